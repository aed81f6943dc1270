import Facts
import Markdown

/// A page after `fill`: values substituted, blocks expanded, headings given their ids.
public struct FilledPage: Sendable {
    public var source: SourcePage
    public var document: Document
    public var title: String
    /// Every heading in order, with its unique id.
    public var headings: [Heading]
    /// Content files the transforms and handlers read or looked for while filling it.
    public var dependencies: [FileDependency] = []

    /// Where this page sits in the course's navigation.
    public var link: Navigation.Link {
        Navigation.Link(path: source.outputPath, title: title, isHome: source.isHome)
    }

    public struct Heading: Sendable, Equatable, Codable {
        public var level: Int
        public var title: String
        public var id: String
    }
}
