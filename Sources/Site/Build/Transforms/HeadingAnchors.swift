import Foundation
import Markdown

/// Gives every heading a unique French slug id and collects them for the table of contents.
public enum HeadingAnchors {
    public static func apply(to document: Document) -> (Document, [FilledPage.Heading]) {
        var registry = SlugRegistry()
        var headings: [FilledPage.Heading] = []
        var root = document.root
        // Headings only sit in containers of blocks: paragraphs and tables are not entered.
        root.update(descendingInto: { node in
            switch node.kind {
            case .document, .blockQuote, .list, .item, .footnoteDefinition: true
            default: false
            }
        }) { node in
            guard case .heading(let level, let existing) = node.kind else { return }
            let title = node.plainText
            let id = existing ?? registry.unique(for: title)
            headings.append(FilledPage.Heading(level: level, title: title, id: id))
            node.kind = .heading(level: level, id: id)
        }
        return (Document(root: root), headings)
    }
}
