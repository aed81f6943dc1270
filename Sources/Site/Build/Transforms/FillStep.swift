import Foundation
import Facts
import Markdown

/// What a transform may look at while filling one page for one edition of the course.
public struct FillContext: Sendable {
    public var facts: Facts
    public var course: CourseConfig
    public var content: ContentRoot
    public var page: SourcePage
    /// The facts prepared for the parameter language, built once per edition.
    public var parameters: FactsContext

    public init(facts: Facts, course: CourseConfig, content: ContentRoot, page: SourcePage,
                parameters: FactsContext? = nil) {
        self.facts = facts
        self.parameters = parameters ?? FactsContext(facts)
        self.course = course
        self.content = content
        self.page = page
    }

    /// A diagnostic at `position` in this page.
    public func diagnostic(_ message: String, at position: SourcePosition?, severity: Diagnostic.Severity = .error) -> Diagnostic {
        Diagnostic(file: content.display(page.path), line: position?.line ?? 1, column: position?.column ?? 1,
                   severity: severity, message: message)
    }
}

/// A document-to-document hook run per page and per edition (e.g. per attendee): fact
/// substitution (issue 3) is one. Throw a `Diagnostic` or `BuildFailure` to stop the build.
public protocol PageTransform: Sendable {
    func transform(_ document: Document, context: FillContext) throws -> Document
}

/// Renders a fenced block whose info string starts with `language` (` ```trace … `).
public protocol FencedBlockHandler: Sendable {
    /// The first word of the info string this handler takes.
    var language: String { get }
    /// HTML for the block (escape what you emit), or nil to leave it as a code block.
    func render(_ block: CodeBlock, at position: SourcePosition?, context: FillContext) throws -> String?
}

/// Swaps fenced blocks that have a handler for the handler's HTML; others stay code.
public struct FencedBlockExpansion: PageTransform {
    public var handlers: [String: any FencedBlockHandler]

    public init(handlers: [any FencedBlockHandler]) {
        var byLanguage: [String: any FencedBlockHandler] = [:]
        for handler in handlers { byLanguage[handler.language] = handler }
        self.handlers = byLanguage
    }

    public func transform(_ document: Document, context: FillContext) throws -> Document {
        guard !handlers.isEmpty, hasHandledBlock(document.root) else { return document }
        var failures: [Diagnostic] = []
        let root = document.root.replacing { node in
            guard case .codeBlock(let block) = node.kind, block.fenced,
                  let handler = handlers[block.language] else { return nil }
            do {
                guard let html = try handler.render(block, at: node.position, context: context) else { return nil }
                return [Node(.customBlock(html: html), position: node.position)]
            } catch let diagnostic as Diagnostic {
                failures.append(diagnostic)
            } catch let failure as BuildFailure {
                failures += failure.diagnostics
            } catch {
                failures.append(context.diagnostic("\(block.language) block: \(error)", at: node.position))
            }
            return nil
        }
        if !failures.isEmpty { throw BuildFailure(failures) }
        return Document(root: root)
    }

    /// Whether some fenced block below `node` has a handler: most pages have none, and
    /// rewriting them copied every node of the tree for nothing.
    private func hasHandledBlock(_ node: Node) -> Bool {
        if case .codeBlock(let block) = node.kind { return block.fenced && handlers[block.language] != nil }
        return node.children.contains(where: hasHandledBlock)
    }
}

/// Gives every heading a unique French slug id and collects them for the table of contents.
public enum HeadingAnchors {
    public static func apply(to document: Document) -> (Document, [FilledPage.Heading]) {
        var registry = SlugRegistry()
        var headings: [FilledPage.Heading] = []
        var root = document.root
        // Headings only sit in containers of blocks: paragraphs and tables are not entered.
        root.update(descendingInto: { node in
            switch node.kind {
            case .document, .blockQuote, .list, .item, .footnoteDefinition: true
            default: false
            }
        }) { node in
            guard case .heading(let level, let existing) = node.kind else { return }
            let title = node.plainText
            let id = existing ?? registry.unique(for: title)
            headings.append(FilledPage.Heading(level: level, title: title, id: id))
            node.kind = .heading(level: level, id: id)
        }
        return (Document(root: root), headings)
    }
}

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
