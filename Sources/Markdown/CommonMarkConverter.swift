import CCmarkGFM
import LabgenCore
import CCmarkGFMShim
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The only file that sees C: parses with the system libcmark-gfm and copies its tree into
/// Swift `Node` values. Every C object is created and freed in `withParsedTree`.
enum CommonMarkConverter {
    /// Parse-time and render-time options, identical as the cmark docs advise. UNSAFE lets
    /// trusted author HTML (`<ins>`) through; GITHUB_PRE_LANG is left out on purpose: it makes
    /// `<pre lang="bash">`, while GitHub pages and our templates use `class="language-bash"`.
    static let options: Int32 = CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES

    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// The Swift tree of `source`, and where the first node nested deeper than
    /// `Document.maxNesting` starts (nil when none is): the tree stops at the limit.
    /// - Parameters:
    ///   - source: the page's markdown.
    ///   - countingOn: count a column on from the previous position of its line (the fast
    ///     path); false counts every column from its line's start, the tests' reference.
    static func convert(_ source: String, countingOn: Bool = true) -> (root: Node, tooDeep: SourcePosition?) {
        withParsedTree(source) { root, _ in convertTree(root, source: source, countingOn: countingOn) }
    }

    /// cmark-gfm's own HTML for `source`, with the same extensions and options: the
    /// reference the Swift renderer is tested against.
    static func referenceHTML(_ source: String) -> String {
        withParsedTree(source) { root, parser in
            guard let html = cmark_render_html(root, options, cmark_parser_get_syntax_extensions(parser)) else {
                return ""
            }
            defer { free(html) }
            return String(cString: html)
        }
    }

    /// Parser set-up (extension registration) takes turns. Parses themselves run in
    /// parallel: libcmark-gfm 0.29.0.gfm.6 switches process-global inline tables off after
    /// each parse, which made parallel parses lose strikethrough and tables, and
    /// CCmarkGFMShim's `cmark_manage_extensions_special_characters` keeps them on.
    private static let parseLock = Mutex(())

    private static func withParsedTree<T>(_ source: String,
                                          _ body: (OpaquePointer, OpaquePointer) -> T) -> T {
        var text = source
        // Pointers cross the lock as integers (an OpaquePointer is not Sendable).
        let parser = OpaquePointer(bitPattern: parseLock.withLock { _ -> Int in
            cmark_gfm_core_extensions_ensure_registered()
            let parser = cmark_parser_new(options)!
            for name in extensionNames {
                if let ext = cmark_find_syntax_extension(name) {
                    cmark_parser_attach_syntax_extension(parser, ext)
                }
            }
            return Int(bitPattern: parser)
        })!
        text.withUTF8 { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return }
            base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                cmark_parser_feed(parser, $0, buffer.count)
            }
        }
        let root = cmark_parser_finish(parser)!
        defer {
            cmark_node_free(root)
            cmark_parser_free(parser)
        }
        return body(root, parser)
    }

    // MARK: Tree copy

    /// cmark counts columns in bytes; positions count them in Unicode scalars (`SourcePosition`),
    /// converted here once for every node of a page. A page in ASCII needs no conversion, and
    /// its bytes are copied only if it has footnotes.
    private final class Columns {
        let text: String
        let ascii: Bool
        let countingOn: Bool
        lazy var source: [UInt8] = Array(text.utf8)
        lazy var lineStarts: [Int] = CommonMarkConverter.lineStarts(source)

        init(_ text: String, countingOn: Bool) {
            self.text = text
            self.countingOn = countingOn
            ascii = text.utf8.withContiguousStorageIfAvailable { !$0.contains { $0 >= 0x80 } }
                ?? !text.utf8.contains { $0 >= 0x80 }
        }

        /// The last position converted: the tree is copied in source order, so the next one on
        /// the same line is counted on from it instead of from the line's start (a paragraph
        /// line holds many inline nodes).
        private var last = (line: 0, offset: 0, column: 1)

        /// cmark's line and byte column as a position.
        func position(line: Int, byteColumn: Int) -> SourcePosition {
            guard !ascii, line >= 1, line <= lineStarts.count else { return SourcePosition(line: line, column: byteColumn) }
            let start = lineStarts[line - 1]
            let offset = start + byteColumn - 1
            let column: Int
            if countingOn, line == last.line, offset >= last.offset, last.offset <= source.count {
                column = last.column + SourcePosition.column(in: source, lineStart: last.offset, offset: offset) - 1
            } else {
                column = SourcePosition.column(in: source, lineStart: start, offset: offset)
            }
            last = (line, offset, column)
            return SourcePosition(line: line, column: column)
        }

        /// The byte offset of a position (its column in scalars), within the source.
        func offset(of position: SourcePosition) -> Int {
            let line = min(max(position.line - 1, 0), lineStarts.count - 1)
            var i = lineStarts[line], column = 1
            while i < source.count, column < position.column {
                i += 1
                while i < source.count, source[i] & 0xC0 == 0x80 { i += 1 }
                column += 1
            }
            return min(i, source.count)
        }
    }

    private static func convertTree(_ root: OpaquePointer, source text: String, countingOn: Bool) -> (root: Node, tooDeep: SourcePosition?) {
        var tooDeep: SourcePosition?
        let columns = Columns(text, countingOn: countingOn)
        var doc = convertNode(root, depth: 0, columns: columns, tooDeep: &tooDeep)
        guard doc.children.contains(where: { if case .footnoteDefinition = $0.kind { true } else { false } }) else {
            return (doc, tooDeep)
        }
        let source = columns.source
        // The public C API hides footnote labels. cmark has matched each reference with its
        // definition already (Unicode case folding), numbered the definitions in the order
        // of their first reference, put them last in that order, and left each reference's
        // number as its literal: a definition's label is read back from the source (its
        // position is its content's start, the label is the `[^…]` before it) and each
        // reference takes the label of the definition with its number.
        var labels: [String] = []
        doc.children = doc.children.map { child in
            guard case .footnoteDefinition = child.kind, let position = child.position else { return child }
            let end = columns.offset(of: position)
            var copy = child
            let label = footnoteLabel(in: source, before: end)
            copy.kind = .footnoteDefinition(label: label)
            labels.append(label)
            return copy
        }
        // The n-th reference to a definition (its `fnref-label-n` id) counts in source order,
        // as cmark counts before moving the definitions last: by line (inline columns on
        // continuation lines are not reliable), then tree order, which is source order within
        // one line (a definition holds its lines alone). References inside an image's
        // description count too.
        var references: [(line: Int, order: Int, number: Int)] = []
        doc.forEach { node in
            guard case .footnoteReference(let literal, _) = node.kind, let number = Int(literal) else { return }
            references.append((node.position?.line ?? 0, references.count, number))
        }
        var seen: [Int: Int] = [:]
        var indexInSourceOrder = [Int](repeating: 0, count: references.count)
        for r in references.sorted(by: { ($0.line, $0.order) < ($1.line, $1.order) }) {
            seen[r.number, default: 0] += 1
            indexInSourceOrder[r.order] = seen[r.number]!
        }
        var order = 0
        let relabelled = doc.replacing { node in
            guard case .footnoteReference(let literal, _) = node.kind else { return nil }
            defer { order += 1 }
            guard let number = Int(literal), labels.indices.contains(number - 1) else { return nil }
            var copy = node
            copy.kind = .footnoteReference(label: labels[number - 1], index: indexInSourceOrder[order])
            return [copy]
        }
        return (relabelled, tooDeep)
    }

    private static func lineStarts(_ source: [UInt8]) -> [Int] {
        var starts = [0]
        for (i, b) in source.enumerated() where b == 0x0A { starts.append(i + 1) }
        return starts
    }

    /// The label of `[^label]` starting at `start`.
    /// - Parameters:
    ///   - source: the page's UTF-8 bytes.
    ///   - start: the offset of the `[`.
    private static func footnoteLabel(in source: [UInt8], from start: Int) -> String {
        var i = start + 2
        var label: [UInt8] = []
        while i < source.count, source[i] != UInt8(ascii: "]") { label.append(source[i]); i += 1 }
        return String(decoding: label, as: UTF8.self)
    }

    /// The label of the last `[^label]:` before `end` (a definition's content start).
    /// - Parameters:
    ///   - source: the page's UTF-8 bytes.
    ///   - end: the offset of the definition's content.
    private static func footnoteLabel(in source: [UInt8], before end: Int) -> String {
        var i = min(end, source.count) - 1
        while i > 0 {
            if source[i - 1] == UInt8(ascii: "["), source[i] == UInt8(ascii: "^") {
                return footnoteLabel(in: source, from: i - 1)
            }
            i -= 1
        }
        return ""
    }

    /// Copies `node` and its subtree down to `Document.maxNesting` levels (the recursion is
    /// bounded by it); the first node below the limit is recorded in `tooDeep`, not copied.
    private static func convertNode(_ node: OpaquePointer, depth: Int, columns: Columns, tooDeep: inout SourcePosition?) -> Node {
        let kind = self.kind(of: node)
        // Before the children: positions are converted in source order (see `Columns`).
        let start = position(of: node, columns)
        var children: [Node] = []
        var child = cmark_node_first_child(node)
        if child != nil, depth == Document.maxNesting {
            if tooDeep == nil { tooDeep = position(of: child!, columns) ?? start }
            child = nil
        }
        while let current = child {
            children.append(convertNode(current, depth: depth + 1, columns: columns, tooDeep: &tooDeep))
            child = cmark_node_next(current)
        }
        return Node(kind, children: children, position: start)
    }

    private static func position(of node: OpaquePointer, _ columns: Columns) -> SourcePosition? {
        let line = Int(cmark_node_get_start_line(node))
        let column = Int(cmark_node_get_start_column(node))
        return line > 0 ? columns.position(line: line, byteColumn: max(column, 1)) : nil
    }

    /// A text, code or HTML node's text.
    private static func literal(_ node: OpaquePointer) -> String {
        string(cmark_node_get_literal(node))
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    private static func typeName(of node: OpaquePointer, is name: StaticString) -> Bool {
        guard let type = cmark_node_get_type_string(node) else { return false }
        return name.withUTF8Buffer { strcmp(type, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self)) == 0 }
    }

    private static func kind(of node: OpaquePointer) -> Node.Kind {
        let type = cmark_node_get_type(node)
        switch type {
        case CMARK_NODE_DOCUMENT: return .document
        case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
        case CMARK_NODE_LIST:
            return .list(ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                         start: Int(cmark_node_get_list_start(node)),
                         tight: cmark_node_get_list_tight(node) != 0)
        case CMARK_NODE_ITEM:
            if typeName(of: node, is: "tasklist") {
                return .item(task: cmark_gfm_extensions_get_tasklist_item_checked(node))
            }
            return .item(task: nil)
        case CMARK_NODE_CODE_BLOCK:
            var length: Int32 = 0, offset: Int32 = 0
            var character: CChar = 0
            let fenced = cmark_node_get_fenced(node, &length, &offset, &character) != 0
            return .codeBlock(CodeBlock(info: string(cmark_node_get_fence_info(node)),
                                        literal: string(cmark_node_get_literal(node)),
                                        fenced: fenced))
        case CMARK_NODE_HTML_BLOCK: return .htmlBlock(literal(node))
        case CMARK_NODE_CUSTOM_BLOCK: return .customBlock(html: string(cmark_node_get_on_enter(node)))
        case CMARK_NODE_PARAGRAPH: return .paragraph
        case CMARK_NODE_HEADING: return .heading(level: Int(cmark_node_get_heading_level(node)), id: nil)
        case CMARK_NODE_THEMATIC_BREAK: return .thematicBreak
        case CMARK_NODE_FOOTNOTE_DEFINITION: return .footnoteDefinition(label: string(cmark_node_get_literal(node)))
        case CMARK_NODE_TEXT: return .text(literal(node))
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_CODE: return .code(literal(node))
        case CMARK_NODE_HTML_INLINE: return .htmlInline(literal(node))
        case CMARK_NODE_CUSTOM_INLINE:
            return .customInline(open: string(cmark_node_get_on_enter(node)), close: string(cmark_node_get_on_exit(node)))
        case CMARK_NODE_EMPH: return .emphasis
        case CMARK_NODE_STRONG: return .strong
        case CMARK_NODE_LINK:
            return .link(destination: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)))
        case CMARK_NODE_IMAGE:
            return .image(source: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)))
        case CMARK_NODE_FOOTNOTE_REFERENCE:
            // The literal is the definition's number once cmark has matched them.
            return .footnoteReference(label: string(cmark_node_get_literal(node)), index: 0)
        default:
            break
        }
        // Extension nodes have dynamically registered types: identify them by name (compared
        // in C: a String per table cell was measurable).
        if typeName(of: node, is: "table_cell") { return .tableCell }
        if typeName(of: node, is: "table_row") || typeName(of: node, is: "table_header") {
            return .tableRow(header: cmark_gfm_extensions_get_table_row_is_header(node) != 0)
        }
        if typeName(of: node, is: "strikethrough") { return .strikethrough }
        switch string(cmark_node_get_type_string(node)) {
        case "table":
            let count = Int(cmark_gfm_extensions_get_table_columns(node))
            var alignments: [TableAlignment] = []
            if let raw = cmark_gfm_extensions_get_table_alignments(node) {
                for i in 0..<count {
                    switch raw[i] {
                    case UInt8(ascii: "l"): alignments.append(.left)
                    case UInt8(ascii: "c"): alignments.append(.center)
                    case UInt8(ascii: "r"): alignments.append(.right)
                    default: alignments.append(.none)
                    }
                }
            }
            return .table(alignments: alignments)
        default:
            // An extension this layer does not know: keep its text rather than lose it.
            return .text(string(cmark_node_get_literal(node)))
        }
    }
}
