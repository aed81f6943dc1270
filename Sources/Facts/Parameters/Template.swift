import LabgenCore

/// A text from the source file that may hold `${{ … }}` placeholders, with where it starts
/// so errors point into the markdown file.
public struct TemplateText: Sendable, Hashable {
    public var text: String
    public var start: SourcePosition
    /// Column at which lines after the first begin (a code block indented in a list item
    /// starts every line after the indentation). Defaults to 1.
    public var continuationColumn: Int

    public init(_ text: String, at start: SourcePosition = .start, continuationColumn: Int = 1) {
        self.text = text
        self.start = start
        self.continuationColumn = continuationColumn
    }
}

/// What the caller hands to `Template.parse`: texts to fill, and opaque items (inline nodes,
/// whole blocks) that a loop may repeat or a conditional may drop. The caller fills those
/// itself, with the scope the template hands back.
public enum TemplatePiece: Sendable, Hashable {
    case text(TemplateText)
    case opaque(Int)
}

/// A parsed sequence of pieces: parse once per page, fill once per attendee.
public struct Template: Sendable {
    public let file: String
    let nodes: [TemplateNode]

    /// Whether a text needs a template at all (the common case, no, costs one scan).
    public static func mayContainPlaceholders(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { Self.hasOpening($0) } ?? Self.hasOpening(Array(text.utf8))
    }

    private static func hasOpening<C: RandomAccessCollection>(_ bytes: C) -> Bool where C.Element == UInt8, C.Index == Int {
        var i = bytes.startIndex
        while i + 2 < bytes.endIndex {
            if bytes[i] == 0x24, bytes[i + 1] == 0x7B, bytes[i + 2] == 0x7B { return true }
            i += 1
        }
        return false
    }

    /// True when filling cannot change anything but `$${{` escapes: no placeholder, no
    /// control. The caller can then keep `literalText` and skip per-attendee work.
    public var isLiteral: Bool {
        nodes.allSatisfy { if case .text = $0 { true } else if case .opaque = $0 { true } else { false } }
    }

    /// The whole text of a literal single-text template (escapes resolved).
    public var literalText: String? {
        guard isLiteral else { return nil }
        return nodes.map { if case .text(let s) = $0 { s } else { "" } }.joined()
    }

    /// Control tags (`for`, `if`, `else`, `end`) used anywhere at the top level.
    public var hasControlTags: Bool {
        nodes.contains { switch $0 { case .loop, .conditional: true; default: false } }
    }

    /// Whether `text` holds only control tags (`for`, `if`, `else`, `end`) and blanks: a
    /// paragraph like that is a block-level tag wrapping the blocks around it.
    public static func isControlOnly(_ text: String) -> Bool {
        guard mayContainPlaceholders(text),
              let items = try? scan(TemplateText(text), piece: 0, file: "") else { return false }
        return items.allSatisfy { item in
            switch item.kind {
            case .tag(let tag, _): tag.isControl
            case .text(let s): s.allSatisfy(\.isWhitespace)
            case .opaque: false
            }
        }
    }

    /// Parses one text (a paragraph's text node, an inline code span, a code block literal).
    public init(parsing text: TemplateText, file: String) throws(DiagnosticsError) {
        try self.init(parsing: [.text(text)], file: file)
    }

    /// Parses a sequence of pieces; a `for`/`if` may open in one text piece and end in a
    /// later one, repeating or dropping the opaque pieces in between.
    public init(parsing pieces: [TemplatePiece], file: String) throws(DiagnosticsError) {
        self.file = file
        var items: [FlatItem] = []
        var problems: [Diagnostic] = []
        for (n, piece) in pieces.enumerated() {
            switch piece {
            case .opaque(let i): items.append(FlatItem(kind: .opaque(i), piece: n))
            case .text(let t):
                do { items += try Self.scan(t, piece: n, file: file) } catch { problems.append(error) }
            }
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        Self.trimStandaloneLines(&items)
        var builder = TreeBuilder(items: items, file: file)
        do { nodes = try builder.build() } catch { throw DiagnosticsError([error]) }
    }

    // MARK: scanning

    struct FlatItem {
        enum Kind {
            case text(String)
            case tag(Tag, SourcePosition)
            case opaque(Int)
        }
        var kind: Kind
        var piece: Int
    }

    static func scan(_ t: TemplateText, piece: Int, file: String) throws(Diagnostic) -> [FlatItem] {
        let bytes = Array(t.text.utf8)
        var lineStarts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { lineStarts.append(i + 1) }
        // Columns in Unicode scalars, as every position (`SourcePosition.column`), counted on
        // from the previous tag of the same line (tags come in order): a line of many
        // placeholders is read once.
        let ascii = !bytes.contains { $0 >= 0x80 }
        var counted = (line: -1, offset: 0, column: 1)
        let locate: (Int) -> SourcePosition = { offset in
            var lo = 0, hi = lineStarts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
            }
            let inLine: Int
            if ascii {
                inLine = offset - lineStarts[lo] + 1
            } else {
                let from = counted.line == lo && counted.offset <= offset ? counted : (lo, lineStarts[lo], 1)
                inLine = from.column - 1 + SourcePosition.column(in: bytes, lineStart: from.offset, offset: offset)
                counted = (lo, offset, inLine)
            }
            return SourcePosition(line: t.start.line + lo, column: (lo == 0 ? t.start.column : t.continuationColumn) - 1 + inLine)
        }
        var items: [FlatItem] = []
        var literal: [UInt8] = []
        func flush() {
            if !literal.isEmpty { items.append(FlatItem(kind: .text(String(decoding: literal, as: UTF8.self)), piece: piece)) }
            literal.removeAll(keepingCapacity: true)
        }
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x24 {
                if i + 3 < bytes.count, bytes[i + 1] == 0x24, bytes[i + 2] == 0x7B, bytes[i + 3] == 0x7B {
                    literal += [0x24, 0x7B, 0x7B]      // `$${{` is a literal `${{`
                    i += 4
                    continue
                }
                if i + 2 < bytes.count, bytes[i + 1] == 0x7B, bytes[i + 2] == 0x7B {
                    flush()
                    let open = locate(i)
                    var parser = TagParser(bytes: bytes, offset: i + 3, file: file, locate: locate)
                    let tag = try parser.parseTag(openedAt: open)
                    items.append(FlatItem(kind: .tag(tag, open), piece: piece))
                    i = parser.offset
                    continue
                }
            }
            literal.append(bytes[i])
            i += 1
        }
        flush()
        return items
    }

    /// A control tag alone on its line (only blanks around it) takes its line with it, as in
    /// Mustache, so that a loop in a code block yields one clean line per item. Lines are read
    /// as scalars, so a line ending `\r\n` (one `Character` in Swift) is a line end too: the
    /// rest of a file keeps its bytes exactly, CRLF or not.
    static func trimStandaloneLines(_ items: inout [FlatItem]) {
        func isBlank(_ s: Substring.UnicodeScalarView) -> Bool { s.allSatisfy { $0 == " " || $0 == "\t" } }
        /// The blanks before a line end, without the `\r` of a `\r\n`.
        func isBlankLineEnd(_ s: Substring.UnicodeScalarView) -> Bool { isBlank(s.last == "\r" ? s.dropLast() : s[...]) }
        var trimBefore: Set<Int> = [], trimAfter: Set<Int> = []
        for (k, item) in items.enumerated() {
            guard case .tag(let tag, _) = item.kind, tag.isControl else { continue }
            var startsLine = true, endsLine = true
            if k > 0, items[k - 1].piece == item.piece {
                if case .text(let s) = items[k - 1].kind {
                    let scalars = Substring(s).unicodeScalars
                    let last = scalars.lastIndex(of: "\n").map { scalars.index(after: $0) } ?? scalars.startIndex
                    startsLine = isBlank(scalars[last...]) && (scalars.contains("\n") || k - 1 == 0 || items[k - 2].piece != item.piece)
                } else {
                    startsLine = false
                }
            }
            if k + 1 < items.count, items[k + 1].piece == item.piece {
                if case .text(let s) = items[k + 1].kind {
                    let scalars = Substring(s).unicodeScalars
                    let first = scalars.firstIndex(of: "\n") ?? scalars.endIndex
                    endsLine = isBlankLineEnd(scalars[..<first]) && (scalars.contains("\n") || k + 2 == items.count || items[k + 2].piece != item.piece)
                } else {
                    endsLine = false
                }
            }
            if startsLine && endsLine {
                if k > 0, items[k - 1].piece == item.piece { trimBefore.insert(k - 1) }
                if k + 1 < items.count, items[k + 1].piece == item.piece { trimAfter.insert(k + 1) }
            }
        }
        for k in trimAfter {
            guard case .text(let s) = items[k].kind else { continue }
            let scalars = s.unicodeScalars
            if let nl = scalars.firstIndex(of: "\n") { items[k].kind = .text(String(scalars[scalars.index(after: nl)...])) } else { items[k].kind = .text("") }
        }
        for k in trimBefore {
            guard case .text(let s) = items[k].kind else { continue }
            let scalars = s.unicodeScalars
            if let nl = scalars.lastIndex(of: "\n") { items[k].kind = .text(String(scalars[...nl])) } else { items[k].kind = .text("") }
        }
    }
}

/// The template tree: control tags matched into loops and conditionals.
indirect enum TemplateNode: Sendable {
    case text(String)
    case value(Expr, SourcePosition)
    case opaque(Int)
    case loop(variable: String, SourcePosition, over: Expr, body: [TemplateNode], SourcePosition)
    case conditional(branches: [(Expr, [TemplateNode])], otherwise: [TemplateNode]?, SourcePosition)
}

extension Template {
    /// How deep `for` and `if` may nest in one template: matching them into a tree, filling
    /// and freeing it recurse once per level. Real labs nest two or three.
    public static let maxNesting = 64
}

private struct TreeBuilder {
    let items: [Template.FlatItem]
    let file: String
    var position = 0
    /// `for`/`if` being read around the current item.
    var depth = 0

    init(items: [Template.FlatItem], file: String) {
        self.items = items
        self.file = file
    }

    mutating func build() throws(Diagnostic) -> [TemplateNode] {
        let (nodes, stop) = try sequence()
        if let (tag, at) = stop {
            let word = if case .end = tag { "`end`" } else { "`else`" }
            throw Diagnostic(file: file, at, "\(word) without a matching `for` or `if`")
        }
        return nodes
    }

    /// Counts one more `for`/`if` around what follows; pair with `defer { depth -= 1 }`.
    private mutating func descend(at: SourcePosition) throws(Diagnostic) {
        guard depth < Template.maxNesting else {
            throw Diagnostic(file: file, at, "`for`/`if` nested deeper than \(Template.maxNesting) levels: flatten the loops and conditions")
        }
        depth += 1
    }

    /// Reads nodes until a closing tag (`end`, `else`, `else if`) or the end; returns it.
    private mutating func sequence() throws(Diagnostic) -> ([TemplateNode], (Tag, SourcePosition)?) {
        var nodes: [TemplateNode] = []
        while position < items.count {
            let item = items[position]
            position += 1
            switch item.kind {
            case .text(let s): if !s.isEmpty { nodes.append(.text(s)) }
            case .opaque(let i): nodes.append(.opaque(i))
            case .tag(let tag, let at):
                switch tag {
                case .value(let e): nodes.append(.value(e, at))
                case .end, .elseBranch, .elseIf: return (nodes, (tag, at))
                case .forLoop(let variable, let varAt, let over):
                    try descend(at: at)
                    defer { depth -= 1 }
                    let (body, stop) = try sequence()
                    guard let (closing, closeAt) = stop else {
                        throw Diagnostic(file: file, at, "`for` without `end`: add `${{ end }}` after the loop body")
                    }
                    guard case .end = closing else {
                        throw Diagnostic(file: file, closeAt, "`else` inside a `for` loop (opened at \(at)); close the loop with `${{ end }}` first")
                    }
                    nodes.append(.loop(variable: variable, varAt, over: over, body: body, at))
                case .ifBranch(let condition):
                    try descend(at: at)
                    defer { depth -= 1 }
                    var branches: [(Expr, [TemplateNode])] = []
                    var current = condition
                    var otherwise: [TemplateNode]?
                    while true {
                        let (body, stop) = try sequence()
                        guard let (closing, closeAt) = stop else {
                            throw Diagnostic(file: file, at, "`if` without `end`: add `${{ end }}` after the conditional text")
                        }
                        if otherwise != nil {
                            otherwise = body
                            guard case .end = closing else {
                                throw Diagnostic(file: file, closeAt, "nothing may follow `else` but `end` (the `if` opened at \(at))")
                            }
                            break
                        }
                        branches.append((current, body))
                        if case .elseIf(let next) = closing { current = next; continue }
                        if case .elseBranch = closing { otherwise = []; continue }
                        break
                    }
                    nodes.append(.conditional(branches: branches, otherwise: otherwise, at))
                }
            }
        }
        return (nodes, nil)
    }
}
