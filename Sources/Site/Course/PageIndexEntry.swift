import LabgenCore
import Markdown

/// A page's entry in the course index: what a filled page exposes to the rest of the
/// course — its title and headings (the navigation and table of contents of other pages),
/// the anchors and references the checker matches across pages, its search text. An
/// incremental build keeps it for pages it does not fill again.
public struct PageIndexEntry: Sendable, Codable, Equatable {
    /// Source path, relative to the content root (`labs/01-dsr.md`).
    public var path: String
    public var title: String
    public var isHome: Bool
    /// Heading ids, footnote and footnote-reference ids (`FootnoteLinks`).
    public var anchors: [String]
    /// Links and images in document order.
    public var references: [Reference]
    /// What is wrong within the page alone: inline tags left open, footnote links the
    /// rendered page would have that lead nowhere.
    var pageProblems: [HTMLTagCheck.Problem]
    /// Its sections in the search index, as JSON (`SearchIndex.fragment`).
    public var search: [UInt8]

    public struct Reference: Sendable, Codable, Equatable {
        public var destination: String
        public var isImage: Bool
        public var position: SourcePosition?
    }

    init(path: String, title: String, isHome: Bool, anchors: [String], references: [Reference],
         pageProblems: [HTMLTagCheck.Problem], search: [UInt8]) {
        self.path = path
        self.title = title
        self.isHome = isHome
        self.anchors = anchors
        self.references = references
        self.pageProblems = pageProblems
        self.search = search
    }

    /// `includeSearch: false` skips the search text, which roster editions do not need for
    /// their per-attendee check.
    public init(_ page: FilledPage, includeSearch: Bool = true) {
        path = page.source.path
        title = page.title
        isHome = page.source.isHome
        var anchors = page.headings.map(\.id)
        var references: [Reference] = []
        var hasInlineHTML = false
        var hasFootnotes = false
        page.document.root.forEach { node in
            switch node.kind {
            case .htmlInline: hasInlineHTML = true
            case .footnoteDefinition, .footnoteReference: hasFootnotes = true
            case .link(let destination, _): references.append(Reference(destination: destination, isImage: false, position: node.position))
            case .image(let source, _): references.append(Reference(destination: source, isImage: true, position: node.position))
            default: break
            }
        }
        // Only inline tags can be left open and footnotes have links of their own: most pages
        // have neither, and need no second walk.
        var problems = hasInlineHTML ? HTMLTagCheck.run(page.document.root) : []
        if hasFootnotes {
            let footnotes = FootnoteLinks.check(page.document.root)
            anchors += footnotes.anchors
            problems += footnotes.problems
        }
        self.anchors = anchors
        self.references = references
        pageProblems = problems
        search = includeSearch ? SearchIndex.fragmentBytes(of: page) : []
    }

    public var link: Navigation.Link {
        Navigation.Link(path: SourcePage.outputPath(for: path), title: title, isHome: isHome)
    }
}

extension PageIndexEntry {
    /// What the checker needs of a page (links, anchors, tags), without its search text.
    static func forChecking(_ page: FilledPage) -> PageIndexEntry {
        PageIndexEntry(page, includeSearch: false)
    }
}
