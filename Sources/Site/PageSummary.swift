import Markdown

/// What a filled page exposes to the rest of the course: its title and headings (the
/// navigation and table of contents of other pages), the anchors and references the checker
/// matches across pages. An incremental build keeps it for pages it does not rebuild.
public struct PageSummary: Sendable, Codable, Equatable {
    /// Source path, relative to the content root (`labs/01-dsr.md`).
    public var path: String
    public var title: String
    public var isHome: Bool
    /// Heading ids, footnote and footnote-reference ids.
    public var anchors: [String]
    /// Links and images in document order.
    public var references: [Reference]
    var tagProblems: [HTMLTagCheck.Problem]
    /// Its sections in the search index.
    public var search: [SearchIndex.Entry]

    public struct Reference: Sendable, Codable, Equatable {
        public var destination: String
        public var isImage: Bool
        public var position: SourcePosition?
    }

    public init(_ page: FilledPage) {
        path = page.source.path
        title = page.title
        isHome = page.source.isHome
        var anchors = page.headings.map(\.id)
        var references: [Reference] = []
        page.document.root.forEach { node in
            switch node.kind {
            case .footnoteDefinition(let label): anchors.append("fn-" + label)
            case .footnoteReference(let label): anchors.append("fnref-" + label)
            case .link(let destination, _): references.append(Reference(destination: destination, isImage: false, position: node.position))
            case .image(let source, _): references.append(Reference(destination: source, isImage: true, position: node.position))
            default: break
            }
        }
        self.anchors = anchors
        self.references = references
        tagProblems = HTMLTagCheck.run(page.document.root)
        search = SearchIndex.entries(of: page)
    }

    public var link: Navigation.Link {
        Navigation.Link(path: SourcePage.outputPath(for: path), title: title, isHome: isHome)
    }
}
