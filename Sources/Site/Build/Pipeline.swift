import LabgenCore
import Facts
import Foundation

/// The build's one orchestrator: the stages load → parse → fill → check → render → write,
/// run in that order by every entry point — `labgen build` and serve's rebuild
/// (`SiteBuild.run`), `labgen check` (`SiteBuild.check`, through the check) and the roster
/// (`RosterBuild.run`, whose attendees are editions after the shared course). mdBook's
/// `MDBook::build` is the model: one loop, whatever asked for it.
///
/// What each stage redoes for the shared course is the `RebuildPlan`'s answer for its pages,
/// from the previous build's record (`PipelineRun`); with no record — a clean build, a check,
/// a roster — every answer is "redo", through the same code. An attendee's edition is filled,
/// checked and rendered in full from the course parsed once. The site is written once, as a
/// whole (`OutputTransaction`).
struct Pipeline: Sendable {
    /// The stages, in order; their names are what `progress` prints.
    enum Stage: String, Sendable, CaseIterable {
        case load, parse, fill, check, render, write
    }

    var site: SiteBuild
    /// Told each stage (what `--verbose` shows).
    var progress: @Sendable (String) -> Void = { _ in }
    /// Told once when another build holds the output's lock.
    var waiting: @Sendable (String) -> Void = { _ in }

    /// What one run is asked to do.
    struct Request: Sendable {
        /// Read the previous build's record (unless `clean`) and write a new one (`labgen
        /// build`, serve); false: none read or written (a check, a roster).
        var recording = true
        /// Ignore the record: every page redone.
        var clean = false
        /// The last stage: `.write` (a build), or `.check` (`labgen check`: every finding
        /// returned, nothing rendered or written; any stage before `.write` stops there).
        var through: Stage = .write
    }

    /// What a run made.
    struct Outcome: Sendable {
        var report: SiteBuild.Report
        /// The shared course's check: findings and the content files its pages link to.
        var checked: PlannedCheck.Checked
        /// The shared course's facts.
        var facts: Facts
        /// The pages as read (every page when there was no record).
        var pages: [SourcePage]
        /// Per attendee edition, in order: its edition, or why it was not built.
        var attendees: [Result<CourseEdition, BuildFailure>] = []
        /// Files written in all.
        var files: Int
    }

    /// Runs the stages.
    /// - Parameters:
    ///   - request: record or not, the last stage.
    ///   - attendees: the editions after the shared course (a roster), or nil.
    ///   - lock: the output's lock when the caller holds it already; else taken here.
    func run(_ request: Request, attendees: (any AttendeeEditionSource)? = nil, lock: OutputLock? = nil) async throws -> Outcome {
        let writes = request.through == .write
        let output = site.output.standardizedFileURL
        var heldLock = lock
        if writes {
            try site.checkOutputIsSafe()
            // Held until the new site is in place: the previous one is read, then replaced.
            if heldLock == nil { heldLock = try await OutputLock.acquire(for: output, waiting: waiting) }
        }
        defer { if lock == nil { heldLock?.release() } }
        if writes { try WriteStep(output: output).checkReplaceable() }

        var run = PipelineRun(site: site, keepsParsed: attendees != nil, progress: progress)
        let readsRecord = request.recording && !request.clean
            && FileManager.default.fileExists(atPath: output.appendingPathComponent(WriteStep.marker).path)
        try await run.load(previousRecord: readsRecord, loadsTemplates: writes)
        try await run.fillPlanned()
        try await run.planRender()
        let checked = run.check()
        guard writes, let heldLock, let templates = run.templates else {
            return Outcome(report: SiteBuild.Report(pages: run.count, files: 0, warnings: checked.diagnostics),
                           checked: checked, facts: run.facts, pages: run.loaded.compactMap { $0 }, files: 0)
        }
        if checked.diagnostics.contains(where: { $0.severity == .error }) { throw BuildFailure(checked.diagnostics) }

        var write = WriteStep(output: output)
        write.faults = site.faults
        let transaction = try write.begin(lock: heldLock)
        do {
            let sizes = try await run.render(into: transaction)
            let (cache, shared) = try run.write(into: transaction, checked: checked, sizes: sizes)
            var files = run.count + shared
            var outcomes: [Result<CourseEdition, BuildFailure>] = []
            if let attendees {
                let made = try await editions(attendees, from: run.parsedCourse, templates: templates)
                outcomes = made.outcomes
                for file in made.files { try transaction.write(file.path, file.contents) }
                files += made.files.count
            }
            progress("\(Stage.write.rawValue) \(run.stale.count) pages")
            let outputPaths = run.outputPaths
            try write.finish(transaction, record: request.recording ? try cache.encoded() : nil)
            let outcome = Outcome(report: SiteBuild.Report(pages: run.count, files: files, warnings: checked.diagnostics,
                                                           rendered: run.stale.map { outputPaths[$0] }),
                                  checked: checked, facts: run.facts, pages: [], attendees: outcomes, files: files)
            // Freeing every page tree node by node is slow and the site is done: a background
            // task drops them, `build` exits without waiting and `serve` goes back to watching.
            let trees = DeferredRelease(run: run, cache: cache)
            run = PipelineRun(site: site, keepsParsed: false, progress: progress)
            Task.detached(priority: .background) { trees.drop() }
            return outcome
        } catch {
            transaction.abort()
            throw error
        }
    }

    /// Stages 3–5 for each attendee's edition, from the course parsed once: its facts, the
    /// transforms' attendee versions, the whole check, its render (every page in full) and
    /// what the source adds to it; then the files made from every outcome. An attendee whose
    /// edition fails is reported and skipped.
    /// - Parameters:
    ///   - attendees: the editions and how they are rendered.
    ///   - parsed: the course, parsed by the shared course's run.
    ///   - templates: the loaded templates.
    private func editions(_ attendees: any AttendeeEditionSource, from parsed: ParsedCourse,
                          templates: Templates) async throws -> (files: [OutputFile], outcomes: [Result<CourseEdition, BuildFailure>]) {
        try attendees.prepare(templates: templates, course: parsed.config)
        let fill = FillStep(transforms: attendees.transforms(site.allTransforms))
        var files: [OutputFile] = []
        var outcomes: [Result<CourseEdition, BuildFailure>] = []
        for i in 0..<attendees.count {
            progress(attendees.label(i))
            do {
                let edition = try attendees.edition(i, config: parsed.config, content: parsed.content)
                let (filled, checked) = try await fillAndCheck(parsed, edition: edition, fill: fill)
                let rendered = try await render(filled, in: parsed, edition: edition, assets: checked.assets, templates: templates)
                files += try rendered + attendees.additions(i, pages: filled, rendered: rendered, edition: edition,
                                                            course: parsed, templates: templates)
                outcomes.append(.success(edition))
            } catch {
                outcomes.append(.failure(BuildFailure(reporting: error)))
            }
        }
        files += try attendees.closing(outcomes, course: parsed.config, templates: templates)
        return (files, outcomes)
    }

    /// Stages 3–4 for one edition, every page: filled with its facts, then the whole check.
    /// - Parameters:
    ///   - parsed: the course, parsed once.
    ///   - edition: its facts.
    ///   - fill: the fill stage with the edition's transforms.
    /// - Throws: `BuildFailure` when the check finds an error.
    func fillAndCheck(_ parsed: ParsedCourse, edition: CourseEdition, fill: FillStep) async throws -> ([FilledPage], CheckStep.Result) {
        let filled = try await fill.run(parsed, facts: edition.facts)
        let checked = CheckStep().run(summaries: filled.map(PageIndexEntry.forChecking), content: parsed.content)
        if checked.diagnostics.contains(where: { $0.severity == .error }) { throw BuildFailure(checked.diagnostics) }
        return (filled, checked)
    }

    /// Stage 5 for one edition, every page in full: the pages, search index, lab list and
    /// assets (`RenderStep`), and the content files the pages link to, downloads filled.
    /// - Parameters:
    ///   - pages: the edition's filled pages.
    ///   - parsed: the course they come from.
    ///   - edition: its facts and output prefix.
    ///   - assets: the content files its pages link to (the check's).
    ///   - templates: the loaded templates.
    func render(_ pages: [FilledPage], in parsed: ParsedCourse, edition: CourseEdition, assets: [String],
                templates: Templates) async throws -> [OutputFile] {
        var files = await RenderStep(templates: templates, codeBlockRenderer: site.codeBlockRenderer)
            .run(pages, course: parsed.config, prefix: edition.prefix)
        let parameters = FactsContext(edition.facts)
        for asset in assets {
            files.append(OutputFile(path: edition.prefix + asset, contents: try DownloadSubstitution.contents(
                of: asset, content: parsed.content, facts: parameters)))
        }
        return files
    }

    /// What a run leaves behind, handed over whole so it is freed away from the caller.
    private struct DeferredRelease: @unchecked Sendable {
        var run: PipelineRun
        var cache: BuildCache

        func drop() {}
    }
}
