import LabgenCore

/// Renders a `Node` tree to HTML, byte-identical to cmark-gfm's renderer for the nodes cmark
/// makes (tested against it), plus heading ids, custom nodes and a pluggable code renderer.
public struct HTMLRenderer: Sendable {
    public var codeBlockRenderer: any CodeBlockRenderer

    /// Maps each link destination as it is written out (`.md` → `.html` for the site): a
    /// hook, so that no page tree is copied to rewrite its links.
    public var linkDestination: @Sendable (String) -> String

    /// The accessible name of a footnote's link back to its reference, in the page's
    /// language (cmark's own is "Back to content").
    public var footnoteBackLabel: String

    public init(codeBlockRenderer: any CodeBlockRenderer = PlainCodeBlockRenderer(),
                linkDestination: @escaping @Sendable (String) -> String = { $0 },
                footnoteBackLabel: String = "Back to content") {
        self.codeBlockRenderer = codeBlockRenderer
        self.linkDestination = linkDestination
        self.footnoteBackLabel = footnoteBackLabel
    }

    public func render(_ root: Node) -> String {
        String(decoding: renderBytes(root), as: UTF8.self)
    }

    /// The HTML as UTF-8 bytes, for callers that write bytes (a page) without a String.
    public func renderBytes(_ root: Node) -> [UInt8] {
        var state = State(renderer: self, footnotes: Footnotes(root))
        state.render(root, parent: nil, grandparent: nil, isLast: true)
        if state.footnoteIndex > 0 { state.put("</ol>\n</section>\n") }
        return state.out
    }

    /// A document's children from `start` on, as if the others were not there (a page
    /// renders its leading title apart): the same bytes as rendering a document holding
    /// only those children, without copying the tree to make one.
    public func renderBytes(_ document: Node, childrenFrom start: Int) -> [UInt8] {
        var footnotes = Footnotes()
        for i in start..<document.children.count { footnotes.count(document.children[i]) }
        var state = State(renderer: self, footnotes: footnotes)
        for i in start..<document.children.count {
            state.render(document.children[i], parent: document, grandparent: nil, isLast: i == document.children.count - 1)
        }
        if state.footnoteIndex > 0 { state.put("</ol>\n</section>\n") }
        return state.out
    }

    /// Numbers and reference counts of footnotes, computed as cmark does after parsing.
    struct Footnotes {
        var number: [String: Int] = [:]
        var referenceCount: [String: Int] = [:]

        init() {}

        init(_ root: Node) { count(root) }

        mutating func count(_ root: Node) {
            root.forEach { node in
                switch node.kind {
                case .footnoteDefinition(let label):
                    if number[label] == nil { number[label] = number.count + 1 }
                case .footnoteReference(let label, _):
                    referenceCount[label, default: 0] += 1
                default: break
                }
            }
        }
    }

    struct State {
        let renderer: HTMLRenderer
        let footnotes: Footnotes
        var out: [UInt8] = []
        var footnoteIndex = 0
        var writtenFootnoteIndex = 0
        var tableAlignments: [TableAlignment] = []
        var inTableHeader = false
        var needsClosingTableBody = false

        init(renderer: HTMLRenderer, footnotes: Footnotes) {
            self.renderer = renderer
            self.footnotes = footnotes
            out.reserveCapacity(1 << 14)
        }

        mutating func put(_ s: String) { out += s.utf8 }
        mutating func escaped(_ s: String) { HTMLEscaping.appendEscaped(s, to: &out) }
        mutating func href(_ s: String) { HTMLEscaping.appendHref(s, to: &out) }
        mutating func cr() {
            if let last = out.last, last != 0x0A { out.append(0x0A) }
        }

        mutating func children(of node: Node, grandparent: Node?) {
            for i in node.children.indices {
                render(node.children[i], parent: node, grandparent: grandparent, isLast: i == node.children.count - 1)
            }
        }

        mutating func render(_ node: Node, parent: Node?, grandparent: Node?, isLast: Bool) {
            switch node.kind {
            case .document:
                children(of: node, grandparent: parent)
            case .blockQuote:
                cr(); put("<blockquote>\n")
                children(of: node, grandparent: parent)
                cr(); put("</blockquote>\n")
            case .list(let ordered, let start, _):
                cr()
                if !ordered { put("<ul>\n") } else if start == 1 { put("<ol>\n") } else { put("<ol start=\"\(start)\">\n") }
                children(of: node, grandparent: parent)
                put(ordered ? "</ol>\n" : "</ul>\n")
            case .item(let task):
                cr(); put("<li>")
                if let checked = task {
                    put(checked ? "<input type=\"checkbox\" checked=\"\" disabled=\"\" /> "
                                : "<input type=\"checkbox\" disabled=\"\" /> ")
                }
                children(of: node, grandparent: parent)
                put("</li>\n")
            case .heading(let level, let id):
                cr(); put("<h\(level)")
                if let id { put(" id=\""); escaped(id); put("\"") }
                put(">")
                children(of: node, grandparent: parent)
                put("</h\(level)>\n")
            case .codeBlock(let block):
                cr(); renderer.codeBlockRenderer.render(block, into: &out)
            case .htmlBlock(let literal):
                cr(); filterHTMLBlock(literal); cr()
            case .customBlock(let html):
                cr(); put(html); cr()
            case .thematicBreak:
                cr(); put("<hr />\n")
            case .paragraph:
                var tight = false
                if let grandparent, case .list(_, _, let t) = grandparent.kind { tight = t }
                if tight {
                    children(of: node, grandparent: parent)
                } else {
                    cr(); put("<p>")
                    children(of: node, grandparent: parent)
                    if let parent, case .footnoteDefinition(let label) = parent.kind, isLast {
                        put(" ")
                        _ = footnoteBackref(label)
                    }
                    put("</p>\n")
                }
            case .table(let alignments):
                tableAlignments = alignments
                cr(); put("<table>")
                needsClosingTableBody = false
                children(of: node, grandparent: parent)
                if needsClosingTableBody { cr(); put("</tbody>"); cr() }
                needsClosingTableBody = false
                cr(); put("</table>"); cr()
            case .tableRow(let header):
                cr()
                if header {
                    inTableHeader = true
                    put("<thead>"); cr()
                } else if !needsClosingTableBody {
                    put("<tbody>"); cr()
                    needsClosingTableBody = true
                }
                put("<tr>")
                for (i, cell) in node.children.enumerated() {
                    cr()
                    put(inTableHeader ? "<th" : "<td")
                    switch i < tableAlignments.count ? tableAlignments[i] : .none {
                    case .left: put(" align=\"left\"")
                    case .center: put(" align=\"center\"")
                    case .right: put(" align=\"right\"")
                    case .none: break
                    }
                    put(">")
                    children(of: cell, grandparent: node)
                    put(inTableHeader ? "</th>" : "</td>")
                }
                cr(); put("</tr>")
                if header { cr(); put("</thead>"); inTableHeader = false }
            case .tableCell:
                children(of: node, grandparent: parent)
            case .footnoteDefinition(let label):
                if footnoteIndex == 0 { put("<section class=\"footnotes\" data-footnotes>\n<ol>\n") }
                footnoteIndex += 1
                put("<li id=\"fn-"); href(label); put("\">\n")
                children(of: node, grandparent: parent)
                if footnoteBackref(label) { put("\n") }
                put("</li>\n")
            case .text(let s):
                escaped(s)
            case .softBreak:
                put("\n")
            case .lineBreak:
                put("<br />\n")
            case .code(let s):
                put("<code>"); escaped(s); put("</code>")
            case .htmlInline(let literal):
                if literal.utf8.count >= 3, TagFilter.isFiltered(Array(literal.utf8)[...]) {
                    put("&lt;"); out += literal.utf8.dropFirst()
                } else {
                    out += literal.utf8
                }
            case .customInline(let open, let close):
                put(open)
                children(of: node, grandparent: parent)
                put(close)
            case .emphasis:
                put("<em>"); children(of: node, grandparent: parent); put("</em>")
            case .strong:
                put("<strong>"); children(of: node, grandparent: parent); put("</strong>")
            case .strikethrough:
                put("<del>"); children(of: node, grandparent: parent); put("</del>")
            case .link(let destination, let title):
                put("<a href=\""); href(renderer.linkDestination(destination))
                if !title.isEmpty { put("\" title=\""); escaped(title) }
                put("\">")
                children(of: node, grandparent: parent)
                put("</a>")
            case .image(let source, let title):
                put("<img src=\""); href(source)
                put("\" alt=\""); escaped(node.plainTextForAlt)
                if !title.isEmpty { put("\" title=\""); escaped(title) }
                put("\" />")
            case .footnoteReference(let label, let index):
                put("<sup class=\"footnote-ref\"><a href=\"#fn-"); href(label)
                put("\" id=\"fnref-"); href(label)
                if index > 1 { put("-\(index)") }
                put("\" data-footnote-ref>")
                put(String(footnotes.number[label] ?? 0))
                put("</a></sup>")
            }
        }

        /// Writes the links back to each reference, once per definition.
        mutating func footnoteBackref(_ label: String) -> Bool {
            guard writtenFootnoteIndex < footnoteIndex else { return false }
            writtenFootnoteIndex = footnoteIndex
            put("<a href=\"#fnref-"); href(label)
            put("\" class=\"footnote-backref\" data-footnote-backref aria-label=\""); escaped(renderer.footnoteBackLabel); put("\">↩</a>")
            let count = footnotes.referenceCount[label] ?? 0
            if count > 1 {
                for i in 2...count {
                    put(" <a href=\"#fnref-"); href(label)
                    put("-\(i)\" class=\"footnote-backref\" data-footnote-backref aria-label=\""); escaped(renderer.footnoteBackLabel)
                    put("\">↩<sup class=\"footnote-ref\">\(i)</sup></a>")
                }
            }
            return true
        }

        mutating func filterHTMLBlock(_ literal: String) {
            let bytes = Array(literal.utf8)
            var i = 0
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "<") && TagFilter.isFiltered(bytes[i...]) {
                    put("&lt;")
                } else {
                    out.append(bytes[i])
                }
                i += 1
            }
        }
    }
}

extension Node {
    /// An image's alt text as cmark writes it: text, code and raw HTML literals, breaks as
    /// spaces, no markup.
    var plainTextForAlt: String {
        var out = ""
        func walk(_ n: Node) {
            switch n.kind {
            case .text(let s), .code(let s), .htmlInline(let s): out += s
            case .softBreak, .lineBreak: out += " "
            default: break
            }
            for c in n.children { walk(c) }
        }
        for c in children { walk(c) }
        return out
    }
}
