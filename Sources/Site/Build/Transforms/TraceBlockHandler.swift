import LabgenCore
import Foundation
import Markdown
import TraceView

/// ```` ```trace ```` blocks: a capture under the content root, decoded and drawn by TraceView.
/// Block-relative errors become `page:line:col` diagnostics; the block's stylesheet and
/// script (from `templates/assets/`) are linked from the fragment itself, so pages without
/// traces do not load them.
public struct TraceBlockHandler: FencedBlockHandler {
    public var language: String { "trace" }
    public var source: any PacketSource

    public init(source: any PacketSource = PacketsSource()) {
        self.source = source
    }

    public func render(_ block: CodeBlock, at position: SourcePosition?, context: FillContext) throws -> String? {
        let fence = position ?? SourcePosition(line: 1, column: 1)
        let pageDirectory = context.content.url.appendingPathComponent(context.page.path)
            .deletingLastPathComponent().path
        do {
            let html = try TraceEmbed(source: source).render(
                body: block.literal, pageDirectory: pageDirectory, contentRoot: context.content.url.path,
                facts: context.facts, id: "trace-l\(fence.line)", language: context.course.language)
            context.content.noteCapture(of: block, page: context.page.path)
            let root = String(relativeURL(from: context.page.outputPath, to: "index.html").dropLast("index.html".count))
            return "<link rel=\"stylesheet\" href=\"\(root)assets/trace.css\">\n"
                + "<script src=\"\(root)assets/trace.js\" defer></script>\n" + html
        } catch {
            // Body line n is n lines below the fence; cmark strips the fence's indentation.
            throw context.diagnostic("trace block: \(error.message)",
                                     at: SourcePosition(line: fence.line + error.line, column: error.column + fence.column - 1))
        }
    }
}

extension TraceBlockHandler {
    /// Attendees whose facts name a capture's addresses alike share one figure.
    public func forAttendees(_ editions: AttendeeEditions) -> any FencedBlockHandler {
        guard let figures = editions.traceFigures else { return self }
        return CachingTraceBlockHandler(inner: self, cache: figures)
    }
}

extension SiteBuild {
    /// The handlers `labgen build` and `labgen check` use.
    public static var defaultFencedBlockHandlers: [any FencedBlockHandler] { [TraceBlockHandler()] }
}
