import LabgenCore
import Facts
import Foundation
import Markdown

/// `labgen build --roster FILE`: the shared course once, then one personalised copy per
/// attendee under `<token>/` (token = HMAC-SHA256 of the id with the instructor's secret),
/// each with a printable handout, and an instructor index no attendee page links to.
///
/// The course is loaded and parsed once; each attendee only costs fill → check → render.
/// An attendee whose facts are bad is reported and skipped; the others are built.
public struct RosterBuild: Sendable {
    public var site: SiteBuild
    public var rosterFile: URL
    public var rosterDisplayPath: String
    /// Also print each handout to `<token>/handout.pdf` with headless Chromium.
    public var pdf: Bool
    /// Render each attendee's pages by splicing their values into pages rendered once per
    /// structure (`EditionRenderer`); false renders every page of every attendee in full
    /// (the reference the fast path is tested against).
    public var splice = true

    public init(site: SiteBuild, rosterFile: URL, rosterDisplayPath: String? = nil, pdf: Bool = false) {
        self.site = site
        self.rosterFile = rosterFile
        self.rosterDisplayPath = rosterDisplayPath ?? rosterFile.path
        self.pdf = pdf
    }

    public struct Built: Sendable, Equatable {
        public var id: String
        public var name: String
        public var token: String
    }

    public struct Failure: Sendable {
        public var id: String
        public var name: String
        public var diagnostics: [Diagnostic]
    }

    /// Who was built, who failed and why, and where the instructor index is.
    public struct Report: Sendable {
        public var built: [Built]
        public var failures: [Failure]
        /// `instructor-<token>.html`, relative to the output.
        public var instructorIndex: String
        public var files: Int
    }

    /// - Parameters:
    ///   - progress: told each step (what `--verbose` shows).
    ///   - waiting: told once when another build holds the output's lock (shown by default).
    @discardableResult
    public func run(progress: @escaping @Sendable (String) -> Void = { _ in },
                    waiting: @Sendable (String) -> Void = { _ in }) async throws -> Report {
        try site.checkOutputIsSafe()
        // Held from the start: a second build into the same output waits before any work.
        let outputLock = try await OutputLock.acquire(for: site.output.standardizedFileURL, waiting: waiting)
        defer { outputLock.release() }
        let (roster, secret) = try loadRoster()
        let pipeline = Pipeline(site: site, progress: progress)
        let parsed = try await pipeline.prepare()
        let templates = try await Templates.load(from: site.templatesDirectory)
        guard templates.library.getTemplate(named: "handout") != nil else {
            throw Diagnostic(file: site.templatesDirectory.appendingPathComponent("handout.mustache").path, message: "missing template")
        }

        // The shared course, with the default facts; it also checks every name once.
        progress("shared course")
        var (files, _) = try await site.renderEdition(parsed, .init(facts: try site.loadFacts(config: parsed.config)), templates: templates)

        // Each transform and handler says how it runs for attendees (no casts here).
        let editions = AttendeeEditions(sharingFigures: splice)
        let transforms = site.allTransforms.map { $0.forAttendees(editions) }
        // The attendees' stages report per attendee, not per stage.
        let attendeeStages = Pipeline(site: site)
        let renderer = EditionRenderer(templates: templates, codeBlockRenderer: site.codeBlockRenderer, course: parsed.config)
        let shared = SharedNavigation(templates: templates, course: parsed.config)
        var assetBytes: [String: Data] = [:]
        let base = rosterFile.deletingLastPathComponent()
        let chromium = pdf ? try Chromium.find() : nil
        var built: [Built] = []
        var failures: [Failure] = []
        for attendee in roster.attendees {
            let token = secret.token(for: attendee.id)
            progress("attendee \(attendee.id)")
            do {
                let factsURL = URL(fileURLWithPath: attendee.facts, relativeTo: base).standardizedFileURL
                let factsName = Self.display(attendee.facts, relativeTo: rosterDisplayPath)
                let facts = try parsed.config.resolvingVars(in: try FactsLoader.load(file: factsURL, displayPath: factsName),
                                                            factsFile: factsName, courseFile: parsed.content.display("course.yaml"))
                // The pipeline's fill and check, then a render that splices each attendee's
                // values into pages rendered once per structure (or renders them in full).
                let prefix = token + "/"
                let firstFile = files.count
                let filled = try await attendeeStages.fill(parsed, facts: facts, transforms: transforms)
                let checked = try attendeeStages.check(filled, in: parsed)
                let handout: String
                if splice {
                    let step = RenderStep(templates: templates, codeBlockRenderer: site.codeBlockRenderer)
                    let navigation = shared.navigation(for: filled.map(\.link), step: step)
                    let search = SearchIndex.files(pages: filled)
                    let rendered = await renderer.render(filled, navigation: navigation, searchIndex: SearchIndex.path)
                    for (page, (html, _)) in zip(filled, rendered) {
                        files.append(OutputFile(path: prefix + page.source.outputPath, contents: html))
                    }
                    // As RenderStep.run writes them.
                    files += (templates.assets + search + [navigation.script]).map { OutputFile(path: prefix + $0.path, contents: $0.contents) }
                    handout = Handout(templates: templates, codeBlockRenderer: site.codeBlockRenderer)
                        .render(bodies: zip(filled, rendered).map { ($0, $1.1) }, course: parsed.config, attendee: attendee.name)
                } else {
                    files += await RenderStep(templates: templates, codeBlockRenderer: site.codeBlockRenderer)
                        .run(filled, course: parsed.config, prefix: prefix)
                    handout = Handout(templates: templates, codeBlockRenderer: site.codeBlockRenderer)
                        .render(filled, course: parsed.config, attendee: attendee.name)
                }
                let parameters = FactsContext(facts)
                for asset in checked.assets {
                    if DownloadSubstitution.isFilled(asset) {
                        files.append(OutputFile(path: prefix + asset, contents: try DownloadSubstitution.contents(
                            of: asset, content: parsed.content, facts: parameters)))
                        continue
                    }
                    if assetBytes[asset] == nil { assetBytes[asset] = try parsed.content.read(asset) }
                    files.append(OutputFile(path: prefix + asset, contents: assetBytes[asset]!))
                }
                files.append(OutputFile(path: token + "/handout.html", contents: Data(handout.utf8)))
                if let chromium {
                    // The handout's images, stylesheets and scripts, where it links them.
                    let beside = files[firstFile...].filter { !$0.path.hasSuffix(".html") }
                        .map { OutputFile(path: String($0.path.dropFirst(prefix.count)), contents: $0.contents) }
                    files.append(OutputFile(path: token + "/handout.pdf",
                                            contents: try chromium.printToPDF(html: handout, assets: beside)))
                }
                built.append(Built(id: attendee.id, name: attendee.name, token: token))
            } catch {
                failures.append(Failure(id: attendee.id, name: attendee.name, diagnostics: Self.diagnostics(of: error)))
            }
        }
        let index = "instructor-\(secret.instructorToken).html"
        // Its stylesheet link is fingerprinted like every page's.
        let instructorPage = InstructorIndex.render(course: parsed.config, built: built, failures: failures, pdf: chromium != nil)
        files.append(OutputFile(path: index, contents: Data(templates.fingerprintReferences(instructorPage).utf8)))
        progress("write \(files.count) files to \(site.output.path)")
        var write = WriteStep(output: site.output)
        write.faults = site.faults
        try write.run(files, lock: outputLock)
        return Report(built: built, failures: failures, instructorIndex: index, files: files.count)
    }

    func loadRoster() throws -> (Roster, RosterSecret) {
        let roster: Roster
        do {
            roster = try Roster.load(from: rosterFile, displayPath: rosterDisplayPath)
        } catch {
            throw BuildFailure(error.diagnostics)
        }
        let problems = Roster.problems(in: roster, file: rosterDisplayPath)
        if !problems.isEmpty { throw BuildFailure(problems) }
        let secretPath = roster.secret ?? ""
        let url = URL(fileURLWithPath: secretPath, relativeTo: rosterFile.deletingLastPathComponent()).standardizedFileURL
        do {
            return (roster, try RosterSecret.load(from: url, displayPath: Self.display(secretPath, relativeTo: rosterDisplayPath)))
        } catch {
            throw BuildFailure(error.diagnostics)
        }
    }

    static func display(_ path: String, relativeTo roster: String) -> String {
        if path.hasPrefix("/") { return path }
        let dir = (roster as NSString).deletingLastPathComponent
        return dir.isEmpty ? path : dir + "/" + path
    }

    static func diagnostics(of error: any Error) -> [Diagnostic] {
        switch error {
        case let failure as BuildFailure: failure.diagnostics
        case let diagnostic as Diagnostic: [diagnostic]
        default: [Diagnostic(file: "labgen", message: "\(error)")]
        }
    }
}
