import Markdown

/// Step 2, parse: markdown to a `Document`, once per page whatever the number of editions.
public struct ParseStep: Sendable {
    public init() {}

    public func run(_ course: Course) async -> ParsedCourse {
        let pages = await parallelMap(course.pages, Self.parse)
        return ParsedCourse(config: course.config, content: course.content, pages: pages)
    }

    /// One page (an incremental build parses, fills and summarises a page in one task).
    @Sendable public static func parse(_ page: SourcePage) -> ParsedPage {
        ParsedPage(source: page, document: Document(parsing: page.markdown))
    }
}
