import LabgenCore

/// A parsed markdown document: GitHub-flavoured (tables, strikethrough, autolinks, tag
/// filter, task lists, footnotes), raw HTML kept (authors are trusted), with source positions.
public struct Document: Sendable, Equatable {
    public var root: Node
    /// Where the first node nested deeper than `maxNesting` starts, when the source has one:
    /// the tree then stops at the limit, and the page must be refused (`nestingMessage`).
    public var tooDeep: SourcePosition?

    /// The deepest nesting of nodes a page may have (block quotes, lists, emphasis, links…
    /// inside each other; the document is level 0). Every walk of the tree (conversion,
    /// transforms, rendering, freeing) recurses once per level, so a hostile page (100,000
    /// `>`) would overflow the stack; real pages stay under 20. Filling a debug build's page
    /// takes up to ~10 KB of stack per level: 256 levels fit a thread's 8 MB three times.
    public static let maxNesting = 256

    /// The error for a page nested deeper than `maxNesting`.
    public static let nestingMessage = "nesting deeper than \(maxNesting) levels (block quotes, lists, "
        + "emphasis or links inside each other): flatten this part of the page"

    public init(parsing source: String) {
        (root, tooDeep) = CommonMarkConverter.convert(source)
    }

    public init(root: Node) {
        self.root = root
    }

    public func html(renderer: HTMLRenderer = HTMLRenderer()) -> String {
        renderer.render(root)
    }

    /// cmark-gfm's own rendering of `source` with the same options: the yardstick the Swift
    /// renderer is held to (tests, benchmarks).
    public static func referenceHTML(_ source: String) -> String {
        CommonMarkConverter.referenceHTML(source)
    }
}
