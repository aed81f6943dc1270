import LabgenCore

public enum TableAlignment: Sendable, Hashable {
    case none, left, center, right
}

/// One node of a parsed markdown document: a value, so a page parsed once can be filled and
/// rendered many times (once per attendee) from several threads without copying C memory.
public struct Node: Sendable, Equatable {
    public var kind: Kind
    public var children: [Node]
    /// Where the node starts in the source; `nil` for nodes made by a transform.
    public var position: SourcePosition?

    public init(_ kind: Kind, children: [Node] = [], position: SourcePosition? = nil) {
        self.kind = kind
        self.children = children
        self.position = position
    }

    public enum Kind: Sendable, Equatable {
        // Blocks
        case document
        case blockQuote
        case list(ordered: Bool, start: Int, tight: Bool)
        /// A list item; `task` is nil for a plain item, else whether its box is checked.
        case item(task: Bool?)
        case codeBlock(CodeBlock)
        case htmlBlock(String)
        case paragraph
        /// `id` is nil until a transform gives the heading an anchor.
        case heading(level: Int, id: String?)
        case thematicBreak
        case table(alignments: [TableAlignment])
        case tableRow(header: Bool)
        case tableCell
        case footnoteDefinition(label: String)
        /// HTML a transform put in place of a block, emitted verbatim: escape what you put in.
        case customBlock(html: String)

        // Inlines
        case text(String)
        case softBreak
        case lineBreak
        case code(String)
        case htmlInline(String)
        case emphasis
        case strong
        case strikethrough
        case link(destination: String, title: String)
        case image(source: String, title: String)
        /// A reference to the footnote definition with this label; `index` counts the
        /// references to that definition in source order, from 1 (the `n` of `fnref-label-n`).
        case footnoteReference(label: String, index: Int)
        /// HTML a transform put among inlines, emitted verbatim: escape what you put in.
        /// Children are rendered after it; `close` follows them.
        case customInline(open: String, close: String)

        public var isBlock: Bool {
            switch self {
            case .document, .blockQuote, .list, .item, .codeBlock, .htmlBlock, .paragraph,
                 .heading, .thematicBreak, .table, .tableRow, .tableCell, .footnoteDefinition,
                 .customBlock:
                return true
            default:
                return false
            }
        }
    }
}

extension Node {
    /// The text a reader sees: text, code and breaks (as spaces) of this node and below.
    public var plainText: String {
        var out = ""
        appendPlainText(to: &out)
        return out
    }

    private func appendPlainText(to out: inout String) {
        switch kind {
        case .text(let s), .code(let s): out += s
        case .softBreak, .lineBreak: out += " "
        default: break
        }
        for i in children.indices { children[i].appendPlainText(to: &out) }
    }

    /// Visits this node and every node below it, depth first, in document order.
    public func forEach(_ body: (Node) throws -> Void) rethrows {
        try body(self)
        // By index: `for child in` copied every node (retaining all it holds) on each walk.
        for i in children.indices { try children[i].forEach(body) }
    }

    /// Changes nodes in place, parents before children, descending only into nodes for which
    /// `descend` is true: much cheaper than `rewritten` when no node is added or removed.
    public mutating func update(descendingInto descend: (Node) -> Bool = { _ in true },
                                _ body: (inout Node) throws -> Void) rethrows {
        try body(&self)
        guard !children.isEmpty, descend(self) else { return }
        for i in children.indices { try children[i].update(descendingInto: descend, body) }
    }

    /// The tree with the nodes for which `replacement` returns nodes put in their place
    /// (their subtrees are not visited); nil keeps a node. Parents before children. Subtrees
    /// where nothing was replaced are shared, not rebuilt: a page with one trace block copies
    /// only the path down to it (`rewritten` rebuilt every children array of every page).
    public func replacing(_ replacement: (Node) throws -> [Node]?) rethrows -> Node {
        guard let replaced = try replacedList(replacement) else { return self }
        return replaced.first ?? Node(.document)
    }

    private func replacedList(_ replacement: (Node) throws -> [Node]?) rethrows -> [Node]? {
        if let replaced = try replacement(self) { return replaced }
        var newChildren: [Node]?
        for i in children.indices {
            if let replaced = try children[i].replacedList(replacement) {
                if newChildren == nil { newChildren = Array(children[..<i]) }
                newChildren! += replaced
            } else if newChildren != nil {
                newChildren!.append(children[i])
            }
        }
        guard let newChildren else { return nil }
        var copy = self
        copy.children = newChildren
        return [copy]
    }

    /// Rebuilds the tree bottom-up: `transform` sees each node after its children were
    /// rewritten and returns the nodes to put in its place (none to delete it, several to
    /// split it).
    public func rewritten(_ transform: (Node) throws -> [Node]) rethrows -> Node {
        try rewrittenList(transform).first ?? Node(.document)
    }

    private func rewrittenList(_ transform: (Node) throws -> [Node]) rethrows -> [Node] {
        var copy = self
        if !children.isEmpty {
            var newChildren: [Node] = []
            newChildren.reserveCapacity(children.count)
            for child in children { newChildren += try child.rewrittenList(transform) }
            copy.children = newChildren
        }
        return try transform(copy)
    }
}

/// A fenced or indented code block, as handed to a `CodeBlockRenderer`.
public struct CodeBlock: Sendable, Equatable {
    /// The whole info string (`bash`, `trace captures/dsr.pcap`), empty for none.
    public var info: String
    /// The content with its final newline, as cmark keeps it.
    public var literal: String
    public var fenced: Bool
    /// Spans of `literal` a transform wants marked (e.g. a value filled from facts); sorted,
    /// non-overlapping. Renderers wrap them; the default renderer emits `<span>`s.
    public var marks: [Mark]

    public init(info: String, literal: String, fenced: Bool = true, marks: [Mark] = []) {
        self.info = info
        self.literal = literal
        self.fenced = fenced
        self.marks = marks
    }

    /// The first word of the info string: the language (`bash`) or the handler key (`trace`).
    /// Words end at a space, tab or line end only, as cmark-gfm cuts them (`a<U+00A0>b` is one word).
    public var language: String {
        let utf8 = info.utf8
        let end = utf8.firstIndex(where: Self.isASCIIWhitespace) ?? utf8.endIndex
        return end == utf8.endIndex ? info : String(info[..<end])
    }

    /// What follows the first word of the info string, trimmed (`captures/dsr.pcap`).
    public var arguments: String {
        let utf8 = info.utf8
        guard let end = utf8.firstIndex(where: Self.isASCIIWhitespace),
              let first = utf8[end...].firstIndex(where: { !Self.isASCIIWhitespace($0) }),
              let last = utf8.lastIndex(where: { !Self.isASCIIWhitespace($0) }) else { return "" }
        return String(info[first...last])
    }

    /// cmark's `cmark_isspace`: space, tab, line feed, carriage return (not vertical tab or
    /// form feed, which stay in the word).
    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    public struct Mark: Sendable, Equatable {
        /// Byte offsets into `literal`'s UTF-8.
        public var range: Range<Int>
        /// Attributes of the wrapping span, e.g. `["class": "fact", "title": "nodes[0].ip"]`;
        /// values are HTML-escaped by the renderer.
        public var attributes: [(String, String)]

        public init(range: Range<Int>, attributes: [(String, String)]) {
            self.range = range
            self.attributes = attributes
        }

        public static func == (a: Mark, b: Mark) -> Bool {
            a.range == b.range && a.attributes.elementsEqual(b.attributes, by: { $0 == $1 })
        }
    }
}
