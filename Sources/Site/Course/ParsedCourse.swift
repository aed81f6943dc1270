import Facts
import Markdown

/// The course after `parse`: its configuration, content root and every page parsed, in
/// course order; what each edition is filled from.
public struct ParsedCourse: Sendable {
    public var config: CourseConfig
    public var content: ContentRoot
    public var pages: [ParsedPage]

    public init(config: CourseConfig, content: ContentRoot, pages: [ParsedPage]) {
        self.config = config
        self.content = content
        self.pages = pages
    }
}
