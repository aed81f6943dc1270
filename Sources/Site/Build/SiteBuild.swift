import LabgenCore
import Facts
import Foundation
import Markdown

/// The build as a short list of steps: load → parse → fill → check → render → write.
///
/// Parsing happens once; fill, check and render run per edition (one set of facts and an
/// output prefix), which is how per-attendee builds reuse the parsed course.
public struct SiteBuild: Sendable {
    public var content: ContentRoot
    public var output: URL
    public var templatesDirectory: URL
    /// `--facts FILE`; nil: `facts/default.json` in the content.
    public var factsFile: URL?
    /// Run in order on every page of every edition (issue 3 puts fact substitution first).
    public var transforms: [any PageTransform]
    /// Fenced-block handlers by info string (` ```trace ` → TraceView).
    public var fencedBlockHandlers: [any FencedBlockHandler]
    public var codeBlockRenderer: any CodeBlockRenderer
    /// Where a test stops or fails the output's commit (read from the environment).
    public var faults = FaultPoints.fromEnvironment()

    public init(content: ContentRoot, output: URL, templatesDirectory: URL, factsFile: URL? = nil,
                transforms: [any PageTransform] = [ParameterSubstitution()],
                fencedBlockHandlers: [any FencedBlockHandler] = SiteBuild.defaultFencedBlockHandlers,
                codeBlockRenderer: any CodeBlockRenderer = HighlightingCodeBlockRenderer()) {
        self.content = content
        self.output = output
        self.templatesDirectory = templatesDirectory
        self.factsFile = factsFile
        self.transforms = transforms
        self.fencedBlockHandlers = fencedBlockHandlers
        self.codeBlockRenderer = codeBlockRenderer
    }

    /// What a build made: its page and file counts, warnings, and the pages it rendered.
    public struct Report: Sendable {
        public var pages: Int
        public var files: Int
        public var warnings: [Diagnostic]
        /// Output paths of the pages rendered by this build (all of them unless incremental).
        public var rendered: [String] = []
    }

    /// Builds `output`, redoing only what changed since the last build unless `clean`
    /// (`Pipeline`, planned by `RebuildPlan`); throws `BuildFailure` (content errors) or
    /// `Diagnostic`.
    /// - Parameters:
    ///   - clean: ignore the previous build's record.
    ///   - progress: told each step (what `--verbose` shows).
    ///   - waiting: told once when another build holds the output's lock, which is why this
    ///     one seems stuck (what a user sees by default).
    @discardableResult
    public func run(clean: Bool = false, progress: @escaping @Sendable (String) -> Void = { _ in },
                    waiting: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Report {
        try await Pipeline(site: self, progress: progress, waiting: waiting).run(Pipeline.Request(clean: clean)).report
    }

    /// One edition in memory, every page in full: the pipeline's fill, check and render, as
    /// an attendee's edition runs them, with the site's transforms; content files referenced
    /// by its pages are published under the same prefix.
    /// - Parameters:
    ///   - parsed: the course, loaded and parsed.
    ///   - edition: its facts and prefix.
    ///   - templates: the loaded templates.
    public func renderEdition(_ parsed: ParsedCourse, _ edition: CourseEdition, templates: Templates) async throws -> ([OutputFile], [Diagnostic]) {
        let pipeline = Pipeline(site: self)
        let (filled, checked) = try await pipeline.fillAndCheck(parsed, edition: edition, fill: FillStep(transforms: allTransforms))
        return (try await pipeline.render(filled, in: parsed, edition: edition, assets: checked.assets, templates: templates),
                checked.diagnostics)
    }

    /// `labgen check`: the pipeline through its check stage; returns all diagnostics found.
    public func check() async -> [Diagnostic] {
        do {
            let outcome = try await Pipeline(site: self).run(Pipeline.Request(recording: false, through: .check))
            return (outcome.checked.diagnostics + DownloadSubstitution.check(outcome.checked.assets, content: content, facts: FactsContext(outcome.facts))
                    + literalValues(outcome.pages)).sorted()
        } catch let failure as BuildFailure {
            return failure.diagnostics
        } catch let diagnostic as Diagnostic {
            return [diagnostic]
        } catch {
            return [Diagnostic(file: content.displayPath, message: "\(error)")]
        }
    }

    /// Values of the content's default facts written as literals in its pages (warnings).
    func literalValues(_ pages: [SourcePage]) -> [Diagnostic] {
        guard content.isFile("facts/default.json"), let data = try? content.read("facts/default.json"),
              let defaults = try? FactsFileReader.load(data: data, displayPath: content.display("facts/default.json")),
              defaults.describesCluster else { return [] }
        let check = LiteralValueCheck(defaults: defaults)
        return pages.flatMap { check.diagnostics(markdown: $0.markdown, file: content.display($0.path)) }
    }

    var allTransforms: [any PageTransform] {
        transforms + [FencedBlockExpansion(handlers: fencedBlockHandlers)]
    }

    /// The facts file as diagnostics name it.
    var factsDisplayPath: String { factsFile?.path ?? content.display("facts/default.json") }

    /// The facts for `config`: `--facts FILE`, else `facts/default.json` in the content, else
    /// none (a course that reads no KinD/Cilium value needs no facts), with the course's
    /// `vars` resolved (see `CourseConfig.resolvingVars`).
    /// - Parameters:
    ///   - config: the course, for its `vars`.
    public func loadFacts(config: CourseConfig) throws -> Facts {
        try loadFactsAndDigest(config: config).0
    }

    /// The facts for the course as its course.yaml describes it now.
    public func loadFacts() throws -> Facts {
        try loadFacts(config: LoadStep(content: content).outline().0)
    }

    /// The facts, and a digest of the file they came from (for the build cache).
    /// `validated`: the digest of facts bytes already found valid (the previous build's):
    /// the same bytes are not checked against the rules again.
    func loadFactsAndDigest(config: CourseConfig, validated: Digest? = nil) throws -> (Facts, Digest) {
        let data: Data, display: String
        if let factsFile {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: factsFile.path, isDirectory: &isDirectory) else {
                throw Diagnostic(file: factsFile.path, message: "facts file not found: check the --facts path, or write it with `labgen probe -o \(factsFile.path)`")
            }
            guard !isDirectory.boolValue else {
                throw Diagnostic(file: factsFile.path, message: "--facts names a folder: give a facts file (JSON, labgen.facts/v1), e.g. \(factsFile.path)/default.json")
            }
            do { data = try Data(contentsOf: factsFile) } catch {
                throw Diagnostic(file: factsFile.path, message: "cannot read the facts file (check its permissions)")
            }
            display = factsFile.path
        } else {
            let relative = "facts/default.json"
            guard content.isFile(relative) else {
                let facts = try config.resolvingVars(in: .withoutCluster(), factsFile: nil, courseFile: content.display("course.yaml"))
                return (facts, Digest(""))
            }
            data = try content.read(relative)
            display = content.display(relative)
        }
        let digest = Digest(data)
        var loaded = try FactsFileReader.load(data: data, displayPath: display, validate: digest != validated)
        let defaultFile = content.url.appendingPathComponent("facts/default.json").standardizedFileURL
        loaded.directory = (factsFile ?? defaultFile).deletingLastPathComponent().path
        loaded.isDefault = factsFile == nil || factsFile?.standardizedFileURL.path == defaultFile.path
        return (try config.resolvingVars(in: loaded, factsFile: display, courseFile: content.display("course.yaml")), digest)
    }

    /// The output is replaced wholesale: it must not hold the content or the templates.
    func checkOutputIsSafe() throws {
        let out = output.standardizedFileURL.resolvingSymlinksInPath().path
        for (what, url) in [("content", content.url), ("templates", templatesDirectory.standardizedFileURL.resolvingSymlinksInPath())] {
            let path = url.path
            if path == out || path.hasPrefix(out + "/") || out == "/" {
                throw Diagnostic(file: output.path, message: "output directory would replace the \(what) directory \(path)")
            }
        }
    }
}
