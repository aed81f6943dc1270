import LabgenCore
import Foundation
import Markdown

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

    /// Handlers see the facts: a page that may hold one of their blocks depends on them.
    public func readsFacts(_ page: SourcePage) -> Bool {
        handlers.keys.contains { page.markdown.containsBytes($0) }
    }

    /// The same expansion with each handler's attendee version.
    public func forAttendees(_ editions: AttendeeEditions) -> any PageTransform {
        FencedBlockExpansion(handlers: handlers.keys.sorted().map { handlers[$0]!.forAttendees(editions) })
    }

    /// Whether some fenced block below `node` has a handler: most pages have none, and
    /// rewriting them copied every node of the tree for nothing.
    private func hasHandledBlock(_ node: Node) -> Bool {
        if case .codeBlock(let block) = node.kind { return block.fenced && handlers[block.language] != nil }
        return node.children.contains(where: hasHandledBlock)
    }
}
