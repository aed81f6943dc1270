import LabgenCore
import Markdown

/// The in-page links the renderer makes for footnotes, and the ids they land on, so that
/// `labgen check` verifies what the rendered HTML links to, not only the links the author
/// wrote: a reference links to `#fn-label`, a definition links back to each of its
/// references (`#fnref-label`, `#fnref-label-2`, …). A reference inside an image's
/// description counts for the numbering (as cmark-gfm counts it) but is not rendered, so the
/// link back to it would lead nowhere.
enum FootnoteLinks {
    /// The ids footnotes give the page, and the problems of their links.
    /// - Parameters:
    ///   - root: a parsed (and filled) page.
    static func check(_ root: Node) -> (anchors: [String], problems: [HTMLTagCheck.Problem]) {
        var definitions: [(label: String, position: SourcePosition?)] = []
        var references: [(label: String, index: Int, position: SourcePosition?, rendered: Bool)] = []
        func walk(_ node: Node, inImage: Bool) {
            switch node.kind {
            case .footnoteDefinition(let label): definitions.append((label, node.position))
            case .footnoteReference(let label, let index): references.append((label, index, node.position, !inImage))
            default: break
            }
            let image = if case .image = node.kind { true } else { inImage }
            for child in node.children { walk(child, inImage: image) }
        }
        walk(root, inImage: false)
        guard !definitions.isEmpty || !references.isEmpty else { return ([], []) }

        func referenceID(_ label: String, _ index: Int) -> String { "fnref-" + label + (index > 1 ? "-\(index)" : "") }
        var anchors = definitions.map { "fn-" + $0.label }
        anchors += references.filter(\.rendered).map { referenceID($0.label, $0.index) }
        let ids = Set(anchors)
        var problems: [HTMLTagCheck.Problem] = []
        for reference in references where reference.rendered && !ids.contains("fn-" + reference.label) {
            problems.append(.init(message: "footnote reference [^\(reference.label)] links to '#fn-\(reference.label)', which is not on the page",
                                  position: reference.position))
        }
        for reference in references where !reference.rendered {
            problems.append(.init(message: "footnote reference [^\(reference.label)] inside an image description: the footnote's link back to it ('#\(referenceID(reference.label, reference.index))') leads nowhere; move the reference out of the image",
                                  position: reference.position))
        }
        return (anchors, problems)
    }
}
