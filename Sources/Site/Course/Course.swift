import Facts
import Markdown

/// Everything `load` found: the configuration and the pages, home first, then labs by name.
public struct Course: Sendable {
    public var config: CourseConfig
    public var content: ContentRoot
    public var pages: [SourcePage]

    public init(config: CourseConfig, content: ContentRoot, pages: [SourcePage]) {
        self.config = config
        self.content = content
        self.pages = pages
    }
}
