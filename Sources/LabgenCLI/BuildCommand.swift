import LabgenCore
import ArgumentParser
import Foundation
import Site

/// Options shared by `build` and `check`.
struct ContentOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The course sources: course.yaml, index.md, labs/ (labs and parts), pages/, files.", valueName: "DIR"))
    var content: String = "content"

    @Option(name: .long, help: ArgumentHelp("Facts to fill the labs with (default: DIR/facts/default.json).", valueName: "FILE"))
    var facts: String?

    @Flag(name: .long, help: "Print errors only.")
    var quiet = false

    @Flag(name: .long, help: "Print each build step too.")
    var verbose = false

    @Option(name: .long, help: ArgumentHelp("Theme files overriding the built-in theme, any subset (default: templates/ beside the content directory, if any).", valueName: "DIR"))
    var templates: String?

    var contentRoot: ContentRoot {
        ContentRoot(URL(fileURLWithPath: content), displayPath: content)
    }

    var templatesURL: URL {
        if let templates { return URL(fileURLWithPath: templates) }
        // Absent is fine: the built-in theme alone.
        return URL(fileURLWithPath: content).standardizedFileURL.deletingLastPathComponent().appendingPathComponent("templates")
    }

    /// Run from inside a course (`labgen serve` in content/labs/), like git: when `--content`
    /// is left at its default and there is no content/ here, the nearest folder above that
    /// holds content/course.yaml becomes the working directory (relative `--facts` and
    /// `--templates` keep meaning what they meant where the command was typed).
    mutating func findCourseRoot() {
        let fm = FileManager.default
        guard content == "content", !fm.fileExists(atPath: content) else { return }
        let here = URL(fileURLWithPath: fm.currentDirectoryPath)
        var folder = here.deletingLastPathComponent()
        while folder.path != "/" {
            if fm.fileExists(atPath: folder.appendingPathComponent("content/course.yaml").path) {
                if let f = facts, !f.hasPrefix("/") { facts = here.appendingPathComponent(f).path }
                if let t = templates, !t.hasPrefix("/") { templates = here.appendingPathComponent(t).path }
                guard fm.changeCurrentDirectoryPath(folder.path) else { return }
                Console.error("labgen: using the course in \(folder.path)/")
                return
            }
            folder = folder.deletingLastPathComponent()
        }
    }

    mutating func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose exclude each other") }
        Console.verbosity = quiet ? .quiet : verbose ? .verbose : .normal
        findCourseRoot()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: content, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("content directory '\(content)' not found (here or in a folder above); pass --content DIR, or create a course with `labgen init`")
        }
        if let templates, !FileManager.default.fileExists(atPath: templates, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw ValidationError("templates directory '\(templates)' not found: --templates names a folder of theme files that override the built-in theme")
        }
    }
}

/// Writes to stderr (never stdout: it stays free for piping). Diagnostics get their
/// `error:`/`warning:` coloured when stderr is a terminal, unless NO_COLOR is set
/// (https://no-color.org) or TERM is `dumb`.
enum Console {
    enum Verbosity: Int, Comparable {
        case quiet, normal, verbose
        static func < (a: Verbosity, b: Verbosity) -> Bool { a.rawValue < b.rawValue }
    }

    /// Set once from `--quiet`/`--verbose`, before any output.
    nonisolated(unsafe) static var verbosity = Verbosity.normal

    static let colour = shouldColour(isTerminal: isatty(2) == 1, environment: ProcessInfo.processInfo.environment)

    /// - Parameters:
    ///   - isTerminal: whether stderr is a terminal.
    ///   - environment: the process environment (NO_COLOR, TERM).
    static func shouldColour(isTerminal: Bool, environment: [String: String]) -> Bool {
        isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }

    /// `file:line:col: error: …` with `error:` in bold red (`warning:` in bold yellow).
    static func coloured(_ line: String) -> String {
        for (word, code) in [(": error: ", "1;31"), (": warning: ", "1;33")] {
            if let range = line.range(of: word) {
                let label = word.dropFirst(2).dropLast(2)
                return line[..<range.lowerBound] + ": \u{1B}[\(code)m\(label):\u{1B}[0m " + line[range.upperBound...]
            }
        }
        return line
    }

    /// Errors, warnings and results: shown unless `--quiet` (errors always).
    static func error(_ line: String) {
        if verbosity == .quiet && !line.contains(" error: ") && !line.contains("error:") { return }
        FileHandle.standardError.write(Data(((colour ? coloured(line) : line) + "\n").utf8))
    }

    /// Progress (each build step): only with `--verbose`.
    static func progress(_ line: String) {
        guard verbosity == .verbose else { return }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Render the course into a static HTML site.",
        discussion: """
        Reads DIR (default content/): course.yaml, the home page index.md, the labs \
        labs/*.md and parts labs/NN-part/ (its index.md, then its labs) in file-name order, \
        and the extra pages pages/*.md. Each page is parsed as GitHub-flavoured markdown \
        (libcmark-gfm), filled with the facts, checked like `labgen check`, and rendered \
        through the mustache templates into OUT (default site/). Files the pages link to \
        (images, scripts, YAML) are copied to the same relative paths; links between \
        .md pages point at the generated .html pages; all URLs are relative, so the site \
        works from file:// and from any static host.

        The site is assembled in a staging folder beside OUT (.OUT.new-PID: the new files \
        and hard links to the unchanged ones) and exchanged with OUT in one rename once \
        everything succeeded: a build that fails or is killed at any point leaves OUT the \
        previous complete site or the new one, never a mix. The previous site is kept \
        beside OUT as .OUT.spare (mostly hard links to the same files), which the next \
        build recycles as its staging folder, so that a rebuild touches only what changed; \
        it can be deleted at any time. The next build also tidies what a killed one left. \
        One build at a time per OUT (lock file .OUT.lock \
        beside it): a second one waits for the first. OUT must be absent, empty, or a previous \
        labgen site. The same inputs give byte-identical files.

        Rebuilds are incremental: OUT/.labgen-cache records digests of every input \
        (pages, facts, files the pages read, templates, course.yaml, the labgen binary), and \
        only pages whose inputs changed are rendered again; a change of any page title or of \
        the page list re-renders every page (they all list every lab). --clean ignores the \
        cache and rebuilds everything.

        Diagnostics are printed on stderr as FILE:LINE:COL: error: MESSAGE.

        EXIT STATUS
          0 on success, 1 on any content or I/O error.

        EXAMPLES
          labgen build
          labgen build --content course/ --out /var/www/tp --facts alice.json
          labgen build --roster roster.yaml --pdf

        ROSTER
          With --roster FILE, the shared course is built as usual (with --facts or the \
        default facts) and each attendee of the roster gets their own copy, filled with \
        their facts file, in OUT/<token>/, where <token> is HMAC-SHA256 of the attendee id \
        keyed with the instructor's secret (the file named by `secret:` in the roster): \
        unguessable, and the same at every build. Each copy has handout.html, every lab on \
        one printable page (and handout.pdf with --pdf). OUT/instructor-<token>.html lists \
        the attendees and their links; no attendee page links to it. An attendee whose \
        facts are invalid is reported and skipped; the others are built and the exit \
        status is 1.
        """)

    @OptionGroup var options: ContentOptions

    @Option(name: .long, help: ArgumentHelp("Where the site goes; replaced as a whole.", valueName: "DIR"))
    var out: String = "site"

    @Option(name: .long, help: ArgumentHelp("Attendee roster (YAML): also build one personalised copy per attendee, in OUT/<token>/, with a printable handout, and an instructor index OUT/instructor-<token>.html.", valueName: "FILE"))
    var roster: String?

    @Flag(name: .long, help: "With --roster: print each handout to OUT/<token>/handout.pdf with headless Chromium.")
    var pdf = false

    func validate() throws {
        if pdf && roster == nil { throw ValidationError("--pdf prints the attendees' handouts: it needs --roster FILE") }
    }

    @Flag(name: .long, help: "Ignore the build cache in OUT: render every page again and write a fresh cache.")
    var clean = false

    func run() async throws {
        if let roster {
            try await runRoster(roster)
            return
        }
        let start = Date()
        let build = options.siteBuild(out: out)
        do {
            let summary = try await build.run(clean: clean, progress: { step in Console.progress("labgen: \(step)") },
                                              waiting: { Console.error("labgen: \($0)") })
            for warning in summary.warnings { Console.error(warning.description) }
            let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
            Console.error("labgen: built \(summary.pages) pages, \(summary.files) files into \(out)/ in \(seconds) s")
        } catch {
            Self.report(error)
            Console.error("labgen: build failed; \(out)/ left as it was (the previous build, or absent if there was none)")
            throw ExitCode.failure
        }
    }

    /// One shared course plus one copy per attendee; a failed attendee does not stop the
    /// others, but makes the exit status non-zero.
    func runRoster(_ roster: String) async throws {
        let start = Date()
        let site = SiteBuild(content: options.contentRoot, output: URL(fileURLWithPath: out),
                             templatesDirectory: options.templatesURL,
                             factsFile: options.facts.map { URL(fileURLWithPath: $0) })
        let build = RosterBuild(site: site, rosterFile: URL(fileURLWithPath: roster), rosterDisplayPath: roster, pdf: pdf)
        let summary: RosterBuild.Report
        do {
            summary = try await build.run(progress: { step in Console.progress("labgen: \(step)") },
                                          waiting: { Console.error("labgen: \($0)") })
        } catch {
            Self.report(error)
            Console.error("labgen: build failed; \(out)/ left as it was (the previous build, or absent if there was none)")
            throw ExitCode.failure
        }
        for failure in summary.failures {
            for diagnostic in failure.diagnostics { Console.error(diagnostic.description) }
        }
        let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
        Console.error("labgen: built the course and \(summary.built.count) of \(summary.built.count + summary.failures.count) attendees (\(summary.files) files) into \(out)/ in \(seconds) s")
        Console.error("labgen: instructor index: \(out)/\(summary.instructorIndex) (keep it to yourself)")
        if !summary.failures.isEmpty {
            Console.error("labgen: failed attendees: " + summary.failures.map { "\($0.id) (\($0.diagnostics.count) error\($0.diagnostics.count == 1 ? "" : "s"))" }.joined(separator: ", "))
            throw ExitCode.failure
        }
    }

    static func report(_ error: any Error) {
        switch error {
        case let failure as BuildFailure:
            for diagnostic in failure.diagnostics { Console.error(diagnostic.description) }
            let count = failure.diagnostics.filter { $0.severity == .error }.count
            Console.error("labgen: \(count) error\(count == 1 ? "" : "s")")
        case let diagnostic as Diagnostic:
            Console.error(diagnostic.description)
        default:
            Console.error("labgen: error: \(error.localizedDescription)")
        }
    }
}
