import Facts
import Foundation

/// The build's stages, by name, for the entry points that build whole editions:
/// `labgen check` (load → parse → fill → check), the shared course and every attendee of a
/// roster (fill → check → render, then one write). The course is loaded and parsed once;
/// an edition (one set of facts, one output prefix) is an input to the later stages, not a
/// second composition of them. `IncrementalBuild` runs the same stage types page by page,
/// on what `RebuildPlan` says changed.
struct Pipeline: Sendable {
    /// The stages, in order; their names are what `progress` prints.
    enum Stage: String, Sendable, CaseIterable {
        case load, parse, fill, check, render, write
    }

    var site: SiteBuild
    var progress: @Sendable (String) -> Void = { _ in }

    /// Stages 1–2: the course, read and parsed once for every edition.
    func prepare() async throws -> ParsedCourse {
        progress(Stage.load.rawValue)
        let course = try LoadStep(content: site.content).run()
        progress("\(Stage.parse.rawValue) \(course.pages.count) pages")
        return await ParseStep().run(course)
    }

    /// Stage 3 for one edition.
    /// - Parameters:
    ///   - parsed: the course from `prepare`.
    ///   - facts: the edition's facts.
    ///   - transforms: the transforms to run (the site's, or their attendee versions).
    func fill(_ parsed: ParsedCourse, facts: Facts, transforms: [any PageTransform]) async throws -> [FilledPage] {
        progress(Stage.fill.rawValue)
        return try await FillStep(transforms: transforms).run(parsed, facts: facts)
    }

    /// Stage 4 for one edition: the whole course's check.
    /// - Parameters:
    ///   - pages: the edition's filled pages.
    ///   - parsed: the course they come from.
    ///   - failing: throw `BuildFailure` when an error is found (a build); false returns
    ///     every finding (`labgen check`).
    func check(_ pages: [FilledPage], in parsed: ParsedCourse, failing: Bool = true) throws -> CheckStep.Result {
        progress(Stage.check.rawValue)
        let checked = CheckStep().run(summaries: pages.map(PageIndexEntry.forChecking), content: parsed.content)
        if failing, checked.diagnostics.contains(where: { $0.severity == .error }) { throw BuildFailure(checked.diagnostics) }
        return checked
    }

    /// Stage 5 for one edition, every page in full: the pages, search index, lab list and
    /// assets (`RenderStep`), and the content files the pages link to, downloads filled.
    /// - Parameters:
    ///   - pages: the edition's filled pages.
    ///   - parsed: the course they come from.
    ///   - edition: its facts and output prefix.
    ///   - checked: the check's outcome (the files to publish).
    ///   - templates: the loaded templates.
    func render(_ pages: [FilledPage], in parsed: ParsedCourse, edition: CourseEdition, checked: CheckStep.Result,
                templates: Templates) async throws -> [OutputFile] {
        progress(Stage.render.rawValue)
        var files = await RenderStep(templates: templates, codeBlockRenderer: site.codeBlockRenderer)
            .run(pages, course: parsed.config, prefix: edition.prefix)
        let parameters = FactsContext(edition.facts)
        for asset in checked.assets {
            files.append(OutputFile(path: edition.prefix + asset, contents: try DownloadSubstitution.contents(
                of: asset, content: parsed.content, facts: parameters)))
        }
        return files
    }
}
