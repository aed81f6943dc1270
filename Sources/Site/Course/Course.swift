import Facts
import Markdown

/// Everything `load` found: the configuration and the pages, home first, then labs and parts
/// by name (each part's page before its labs), then the extra pages.
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
