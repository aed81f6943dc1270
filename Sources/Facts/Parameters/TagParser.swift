import LabgenCore

/// Lexes and parses the inside of one `${{ … }}`, starting just after `${{` and consuming the
/// closing `}}`. Works on UTF-8 bytes so columns match cmark's.
struct TagParser {
    enum Token: Equatable {
        case name(String), string(String), int(Int)
        case dot, comma, lbracket, rbracket, lparen, rparen, assign, equal, notEqual, minus
        case close
    }

    let bytes: [UInt8]
    var offset: Int
    /// Maps a byte offset of the text to its place in the source file.
    let locate: (Int) -> SourcePosition
    let file: String
    private var tokens: [(Token, SourcePosition)] = []
    private var position = 0

    init(bytes: [UInt8], offset: Int, file: String, locate: @escaping (Int) -> SourcePosition) {
        self.bytes = bytes
        self.offset = offset
        self.file = file
        self.locate = locate
    }

    static let keywords: Set<String> = ["for", "in", "if", "else", "end", "and", "or", "not", "true", "false"]

    /// Parses a whole tag; on return `offset` is just past `}}`.
    mutating func parseTag(openedAt open: SourcePosition) throws(Diagnostic) -> Tag {
        try lex(openedAt: open)
        let tag = try tag()
        guard case .close = peek else { throw unexpected("`}}`") }
        return tag
    }

    // MARK: lexing

    private mutating func lex(openedAt open: SourcePosition) throws(Diagnostic) {
        func byte(_ c: Character) -> UInt8 { c.asciiValue! }
        while true {
            while offset < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[offset]) { offset += 1 }
            guard offset < bytes.count else {
                throw Diagnostic(file: file, open, "unterminated `${{`: missing `}}` (write `$${{` for a literal `${{`)")
            }
            let here = locate(offset)
            let b = bytes[offset]
            let next: UInt8? = offset + 1 < bytes.count ? bytes[offset + 1] : nil
            switch b {
            case byte("}") where next == byte("}"):
                offset += 2
                tokens.append((.close, here))
                return
            case byte("a")...byte("z"), byte("A")...byte("Z"), byte("_"):
                let start = offset
                while offset < bytes.count, Self.isNameByte(bytes[offset]) { offset += 1 }
                tokens.append((.name(String(decoding: bytes[start..<offset], as: UTF8.self)), here))
            case byte("0")...byte("9"):
                let start = offset
                while offset < bytes.count, (byte("0")...byte("9")).contains(bytes[offset]) { offset += 1 }
                guard let v = Int(String(decoding: bytes[start..<offset], as: UTF8.self)) else {
                    throw Diagnostic(file: file, here, "number too large")
                }
                tokens.append((.int(v), here))
            case byte("\""), byte("'"):
                tokens.append((.string(try string(quote: b, at: here)), here))
            case byte("=") where next == byte("="): offset += 2; tokens.append((.equal, here))
            case byte("!") where next == byte("="): offset += 2; tokens.append((.notEqual, here))
            default:
                let single: [UInt8: Token] = [byte("."): .dot, byte(","): .comma, byte("["): .lbracket,
                                              byte("]"): .rbracket, byte("("): .lparen, byte(")"): .rparen,
                                              byte("="): .assign, byte("-"): .minus]
                guard let t = single[b] else {
                    let shown = b < 0x80 && b >= 0x21 ? "`\(Character(UnicodeScalar(b)))`" : "this character"
                    throw Diagnostic(file: file, here, "unexpected \(shown) in `${{ … }}`")
                }
                offset += 1
                tokens.append((t, here))
            }
        }
    }

    static func isNameByte(_ b: UInt8) -> Bool {
        (0x61...0x7A).contains(b) || (0x41...0x5A).contains(b) || (0x30...0x39).contains(b) || b == 0x5F
    }

    private mutating func string(quote: UInt8, at start: SourcePosition) throws(Diagnostic) -> String {
        offset += 1
        var out: [UInt8] = []
        while offset < bytes.count {
            let b = bytes[offset]
            if b == quote { offset += 1; return String(decoding: out, as: UTF8.self) }
            if b == 0x0A { break }
            if b == 0x5C, offset + 1 < bytes.count {
                let e = bytes[offset + 1]
                switch e {
                case 0x6E: out.append(0x0A)        // \n
                case 0x74: out.append(0x09)        // \t
                case 0x5C, 0x22, 0x27: out.append(e)
                default:
                    throw Diagnostic(file: file, locate(offset), "unknown escape `\\\(Character(UnicodeScalar(e)))` in string (use \\\\, \\\", \\', \\n or \\t)")
                }
                offset += 2
                continue
            }
            out.append(b)
            offset += 1
        }
        throw Diagnostic(file: file, start, "unterminated string")
    }

    // MARK: parsing

    private var peek: Token { tokens[position].0 }
    private var here: SourcePosition { tokens[position].1 }
    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private func unexpected(_ expected: String) -> Diagnostic {
        let found: String = switch peek {
        case .close: "`}}`"
        case .name(let n): "`\(n)`"
        case .string: "a string"
        case .int(let i): "`\(i)`"
        case .dot: "`.`"
        case .comma: "`,`"
        case .lbracket: "`[`"
        case .rbracket: "`]`"
        case .lparen: "`(`"
        case .rparen: "`)`"
        case .assign: "`=`"
        case .equal: "`==`"
        case .notEqual: "`!=`"
        case .minus: "`-`"
        }
        return Diagnostic(file: file, here, "expected \(expected), found \(found)")
    }

    private mutating func keyword(_ k: String) -> Bool {
        if case .name(k) = peek { advance(); return true }
        return false
    }

    private mutating func tag() throws(Diagnostic) -> Tag {
        if keyword("for") {
            guard case .name(let variable) = peek, !Self.keywords.contains(variable) else {
                throw unexpected("a loop variable name")
            }
            let at = here
            advance()
            guard keyword("in") else { throw unexpected("`in`") }
            return .forLoop(variable: variable, at, in: try expression().expr)
        }
        if keyword("if") { return .ifBranch(try expression().expr) }
        if keyword("else") {
            if keyword("if") { return .elseIf(try expression().expr) }
            return .elseBranch
        }
        if keyword("end") { return .end }
        if case .close = peek { throw Diagnostic(file: file, here, "empty `${{ }}`: expected an expression") }
        return .value(try expression().expr)
    }

    /// The deepest expression tree a tag may hold (parentheses, `not`, `and`/`or` chains,
    /// `.field`/`[i]` chains, calls): evaluating, comparing and freeing an expression recurse
    /// once per level, so `((((…` from a hostile page must stop here. Real tags use under 6.
    static let maxDepth = 64

    /// An expression and the depth of its tree.
    typealias Parsed = (expr: Expr, depth: Int)

    /// `node` made of subexpressions of depth `depth - 1` at most; refused past `maxDepth`.
    private func nested(_ node: Expr, depth: Int, at: SourcePosition) throws(Diagnostic) -> Parsed {
        guard depth <= Self.maxDepth else { throw tooDeep(at) }
        return (node, depth)
    }

    private func tooDeep(_ at: SourcePosition) -> Diagnostic {
        Diagnostic(file: file, at, "expression nested deeper than \(Self.maxDepth) levels: split it, or compute the value in the facts")
    }

    /// Counts one more parenthesis, call or `not` the parser goes into; pair with
    /// `defer { nesting -= 1 }`.
    private mutating func descend(at: SourcePosition) throws(Diagnostic) {
        guard nesting < Self.maxDepth else { throw tooDeep(at) }
        nesting += 1
    }

    private mutating func expression() throws(Diagnostic) -> Parsed {
        var left = try conjunction()
        while true {
            let at = here
            guard keyword("or") else { return left }
            let right = try conjunction()
            left = try nested(.or(left.expr, right.expr), depth: max(left.depth, right.depth) + 1, at: at)
        }
    }

    private mutating func conjunction() throws(Diagnostic) -> Parsed {
        var left = try negation()
        while true {
            let at = here
            guard keyword("and") else { return left }
            let right = try negation()
            left = try nested(.and(left.expr, right.expr), depth: max(left.depth, right.depth) + 1, at: at)
        }
    }

    private mutating func negation() throws(Diagnostic) -> Parsed {
        let at = here
        if keyword("not") {
            try descend(at: at)
            defer { nesting -= 1 }
            let operand = try negation()
            return try nested(.not(operand.expr, at), depth: operand.depth + 1, at: at)
        }
        return try comparison()
    }

    private mutating func comparison() throws(Diagnostic) -> Parsed {
        let left = try postfix()
        let at = here
        let equal: Bool
        switch peek {
        case .equal: equal = true
        case .notEqual: equal = false
        default: return left
        }
        advance()
        let right = try postfix()
        return try nested(.compare(left.expr, equal: equal, right.expr, at), depth: max(left.depth, right.depth) + 1, at: at)
    }

    private mutating func postfix() throws(Diagnostic) -> Parsed {
        var e = try primary()
        while true {
            switch peek {
            case .dot:
                advance()
                guard case .name(let field) = peek else { throw unexpected("a field name after `.`") }
                e = try nested(.member(e.expr, field, here), depth: e.depth + 1, at: here)
                advance()
            case .lbracket:
                let at = here
                advance()
                let negative = peek == .minus
                if negative { advance() }
                guard case .int(let i) = peek else { throw unexpected("an index (a whole number)") }
                advance()
                guard peek == .rbracket else { throw unexpected("`]`") }
                advance()
                e = try nested(.index(e.expr, negative ? -i : i, at), depth: e.depth + 1, at: at)
            default:
                return e
            }
        }
    }

    /// How many parentheses, call arguments and `not`s the parser is inside: it recurses once
    /// for each, so the limit is checked on the way down, before the stack grows.
    private var nesting = 0

    private mutating func primary() throws(Diagnostic) -> Parsed {
        let at = here
        switch peek {
        case .name("true"): advance(); return (.bool(true, at), 1)
        case .name("false"): advance(); return (.bool(false, at), 1)
        case .name(let n) where Self.keywords.contains(n):
            throw Diagnostic(file: file, at, "`\(n)` is a keyword; expected a name or value here")
        case .name(let n):
            advance()
            guard peek == .lparen else { return (.name(n, at), 1) }
            try descend(at: at)
            defer { nesting -= 1 }
            advance()
            var args: [Argument] = []
            var depth = 1
            if peek != .rparen {
                repeat {
                    let (argument, argumentDepth) = try argument()
                    args.append(argument)
                    depth = max(depth, argumentDepth + 1)
                } while consume(.comma)
            }
            guard peek == .rparen else { throw unexpected("`,` or `)`") }
            advance()
            return try nested(.call(n, args, at), depth: depth, at: at)
        case .string(let s): advance(); return (.string(s, at), 1)
        case .int(let i): advance(); return (.int(i, at), 1)
        case .minus:
            advance()
            guard case .int(let i) = peek else { throw unexpected("a number after `-`") }
            advance()
            return (.int(-i, at), 1)
        case .lparen:
            try descend(at: at)
            defer { nesting -= 1 }
            advance()
            let e = try expression()
            guard peek == .rparen else { throw unexpected("`)`") }
            advance()
            return e
        default:
            throw unexpected("a name, a string or a number")
        }
    }

    private mutating func consume(_ t: Token) -> Bool {
        if peek == t { advance(); return true }
        return false
    }

    private mutating func argument() throws(Diagnostic) -> (Argument, depth: Int) {
        let at = here
        if position + 1 < tokens.count, tokens[position + 1].0 == .assign {
            switch peek {
            case .name(let label), .string(let label):
                advance(); advance()
                let value = try expression()
                return (Argument(label: label, value: value.expr, location: at), value.depth)
            default: break
            }
        }
        let value = try expression()
        return (Argument(label: nil, value: value.expr, location: at), value.depth)
    }
}
