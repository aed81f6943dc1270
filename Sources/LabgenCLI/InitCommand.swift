import ArgumentParser
import Foundation

/// `labgen init [DIR]`: writes a small working course (the repository's `starter/`, built
/// into labgen) into DIR/content, so that `labgen serve` in DIR shows it at once.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new course that builds and serves at once.",
        discussion: """
        Writes DIR/content/ (DIR defaults to the current directory): course.yaml with a title, \
        a language and two parameters of your own (vars), index.md, one lab using a parameter \
        and a packet trace, facts/default.json (a KinD/Cilium cluster's values, as \
        `labgen probe` writes them) and the capture the lab decodes. The theme is labgen's \
        built-in one: to change part of it, put just the files to override in DIR/templates/ \
        (see docs/templates.md).

        Nothing is overwritten: if DIR/content already exists and is not empty, init stops.

        EXIT STATUS
          0 when the course was written, 1 when DIR/content exists or cannot be written.

        EXAMPLES
          labgen init mon-atelier && cd mon-atelier && labgen serve
          labgen init workshop --language en
        """)

    @Argument(help: ArgumentHelp("Where to create the course (its content/ folder goes inside).", valueName: "DIR"))
    var directory: String = "."

    @Option(name: .long, help: ArgumentHelp("The course's language: fr (default) or en.", valueName: "fr|en"))
    var language: String = "fr"

    func validate() throws {
        guard ["fr", "en"].contains(language) else {
            throw ValidationError("unsupported language '\(language)': labgen's pages and trace views exist in fr and en")
        }
    }

    func run() throws {
        let fm = FileManager.default
        let root = URL(fileURLWithPath: directory)
        let content = root.appendingPathComponent("content")
        if let existing = try? fm.contentsOfDirectory(atPath: content.path), !existing.isEmpty {
            Console.error("\(content.path): error: a course already exists here; choose another DIR (labgen init DIR) or remove it")
            throw ExitCode.failure
        }
        // Written beside, then renamed: an interrupted init leaves no half course.
        let staging = root.appendingPathComponent(".labgen-init-\(getpid())")
        do {
            try fm.createDirectory(at: root, withIntermediateDirectories: true)
            try? fm.removeItem(at: staging)
            for (path, base64) in StarterCourse.files where path.hasPrefix(language + "/") {
                let url = staging.appendingPathComponent(String(path.dropFirst(language.count + 1)))
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(base64Encoded: base64)?.write(to: url)
            }
            if fm.fileExists(atPath: content.path) { try fm.removeItem(at: content) }     // empty: checked above
            try fm.moveItem(at: staging, to: content)
        } catch {
            try? fm.removeItem(at: staging)
            Console.error("\(content.path): error: cannot write the course (\((error as NSError).localizedFailureReason ?? "permission denied?")); check that \(root.path) is writable")
            throw ExitCode.failure
        }
        let cd = directory == "." ? "" : "cd \(directory) && "
        Console.error("labgen: created a course in \(content.path)/")
        Console.error("labgen: next: \(cd)labgen serve    (then edit content/labs/*.md)")
    }
}
