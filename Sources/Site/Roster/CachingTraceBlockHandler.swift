import LabgenCore
import Foundation
import Markdown
import TraceView

/// The trace handler, its figures shared between attendees (see `TraceFigureCache`).
struct CachingTraceBlockHandler: FencedBlockHandler {
    var inner: TraceBlockHandler
    var cache: TraceFigureCache

    var language: String { inner.language }

    func render(_ block: CodeBlock, at position: SourcePosition?, context: FillContext) throws -> String? {
        let fence = position ?? SourcePosition(line: 1, column: 1)
        guard let factsKey = TraceEmbed.factsKey(body: block.literal, facts: context.facts) else {
            return try inner.render(block, at: position, context: context)
        }
        let key = "\(context.page.path)\u{0}\(fence.line):\(fence.column)\u{0}\(block.info)\u{0}\(block.literal)\u{0}\(factsKey)"
        return try cache.figure(key) { try inner.render(block, at: position, context: context) }
    }
}
