import Markdown

/// Step 2, parse: markdown to a `Document`, once per page whatever the number of editions.
public struct ParseStep: Sendable {
    public init() {}

    public func run(_ course: Course) async -> ParsedCourse {
        let pages = await parallelMap(course.pages) { page in
            ParsedPage(source: page, document: Document(parsing: page.markdown))
        }
        return ParsedCourse(config: course.config, content: course.content, pages: pages)
    }
}
