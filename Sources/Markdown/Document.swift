/// A parsed markdown document: GitHub-flavoured (tables, strikethrough, autolinks, tag
/// filter, task lists, footnotes), raw HTML kept (authors are trusted), with source positions.
public struct Document: Sendable, Equatable {
    public var root: Node

    public init(parsing source: String) {
        root = CommonMarkConverter.convert(source)
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
