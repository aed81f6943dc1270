import LabgenCore
import Foundation
import Facts
import Markdown

/// Step 3, fill: runs the transforms in order on every page for one set of facts, then
/// gives headings their anchors. Pages are filled in parallel; order is kept.
public struct FillStep: Sendable {
    public var transforms: [any PageTransform]

    public init(transforms: [any PageTransform]) {
        self.transforms = transforms
    }

    public func run(_ course: ParsedCourse, facts: Facts) async throws -> [FilledPage] {
        let parameters = FactsContext(facts)
        let results = await parallelMap(course.pages) { [self] page in
            fill(page, course: course.config, content: course.content, facts: facts, parameters: parameters)
        }
        var pages: [FilledPage] = []
        var diagnostics: [Diagnostic] = []
        for result in results {
            switch result {
            case .success(let page): pages.append(page)
            case .failure(let failure): diagnostics += failure.diagnostics
            }
        }
        if !diagnostics.isEmpty { throw BuildFailure(diagnostics) }
        return pages
    }

    /// One page: the transforms in order, then the heading anchors. Also called on its own,
    /// so a build can parse, fill and summarise a page in one task (no barrier per step).
    public func fill(_ page: ParsedPage, course: CourseConfig, content: ContentRoot, facts: Facts,
                     parameters: FactsContext) -> Result<FilledPage, BuildFailure> {
        var content = content
        content.readLog = ReadLog()
        let context = FillContext(facts: facts, course: course, content: content, page: page.source,
                                  parameters: parameters)
        if let position = page.document.tooDeep {
            return .failure(BuildFailure([context.diagnostic(Document.nestingMessage, at: position)]))
        }
        do {
            var document = page.document
            for transform in transforms { document = try transform.transform(document, context: context) }
            let (anchored, headings) = HeadingAnchors.apply(to: document)
            let title = page.source.title
                ?? headings.first(where: { $0.level == 1 })?.title
                ?? String(page.source.path.split(separator: "/").last ?? "").replacingOccurrences(of: ".md", with: "")
            return .success(FilledPage(source: page.source, document: anchored, title: title, headings: headings,
                                       dependencies: content.readLog?.dependencies ?? []))
        } catch let failure as BuildFailure {
            return .failure(failure)
        } catch let diagnostic as Diagnostic {
            return .failure(BuildFailure([diagnostic]))
        } catch {
            return .failure(BuildFailure([context.diagnostic("\(error)", at: nil)]))
        }
    }
}
