/// Recursive-descent parser for `DisplayFilter`; errors carry the column. It recurses once
/// per parenthesis or `!`, up to `maxDepth`; `&&`/`||` chains are read in a loop.
struct FilterParser {
    /// How deep parentheses and `!` may nest: the parser, the matcher and freeing the tree
    /// recurse once per level, so `((((…` on the command line must stop here.
    static let maxDepth = 64
    private var depth = 0

    enum Token: Equatable {
        case word(String), string(String), op(String), lparen, rparen, and, or, not, end
    }
    private var tokens: [(Token, Int)] = []
    private var i = 0
    private let text: [Character]
    private var lexError: FilterError?

    init(_ s: String) {
        text = Array(s)
        lex()
    }

    private mutating func lex() {
        var k = 0
        while k < text.count {
            let c = text[k]
            let col = k + 1
            if c == " " || c == "\t" { k += 1; continue }
            if c == "(" { tokens.append((.lparen, col)); k += 1; continue }
            if c == ")" { tokens.append((.rparen, col)); k += 1; continue }
            if c == "\"" {
                var s = ""
                k += 1
                while k < text.count && text[k] != "\"" {
                    if text[k] == "\\" && k + 1 < text.count { k += 1 }
                    s.append(text[k]); k += 1
                }
                if k >= text.count { lexError = FilterError(column: col, message: "unterminated string"); return }
                k += 1
                tokens.append((.string(s), col)); continue
            }
            let two = k + 1 < text.count ? String(text[k ... k + 1]) : ""
            if ["==", "!=", "<=", ">=", "&&", "||"].contains(two) {
                tokens.append((two == "&&" ? .and : two == "||" ? .or : .op(two), col)); k += 2; continue
            }
            if c == "<" || c == ">" { tokens.append((.op(String(c)), col)); k += 1; continue }
            if c == "!" { tokens.append((.not, col)); k += 1; continue }
            if c == "=" { lexError = FilterError(column: col, message: "use == to compare"); return }
            var w = ""
            while k < text.count, !" \t()!=<>&|\"".contains(text[k]) { w.append(text[k]); k += 1 }
            if w.isEmpty { lexError = FilterError(column: col, message: "unexpected character '\(c)'"); return }
            switch w {
            case "and": tokens.append((.and, col))
            case "or": tokens.append((.or, col))
            case "not": tokens.append((.not, col))
            case "eq": tokens.append((.op("=="), col))
            case "ne": tokens.append((.op("!="), col))
            case "lt": tokens.append((.op("<"), col))
            case "gt": tokens.append((.op(">"), col))
            case "le": tokens.append((.op("<="), col))
            case "ge": tokens.append((.op(">="), col))
            default: tokens.append((.word(w), col))
            }
        }
        tokens.append((.end, text.count + 1))
    }

    private var current: Token { tokens[i].0 }
    private var column: Int { tokens[i].1 }

    mutating func parseAll() throws(FilterError) -> DisplayFilter.Node {
        if let e = lexError { throw e }
        if current == .end { throw FilterError(column: 1, message: "empty filter") }
        let n = try parseOr()
        guard current == .end else { throw FilterError(column: column, message: "unexpected \(describe(current))") }
        return n
    }

    private mutating func parseOr() throws(FilterError) -> DisplayFilter.Node {
        var terms = [try parseAnd()]
        while current == .or { i += 1; terms.append(try parseAnd()) }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    private mutating func parseAnd() throws(FilterError) -> DisplayFilter.Node {
        var terms = [try parseNot()]
        while current == .and { i += 1; terms.append(try parseNot()) }
        return terms.count == 1 ? terms[0] : .and(terms)
    }

    private mutating func parseNot() throws(FilterError) -> DisplayFilter.Node {
        if current == .not {
            try descend()
            defer { depth -= 1 }
            i += 1
            return .not(try parseNot())
        }
        return try parsePrimary()
    }

    /// Counts one more parenthesis or `!` around what follows; pair with `defer { depth -= 1 }`.
    private mutating func descend() throws(FilterError) {
        guard depth < Self.maxDepth else {
            throw FilterError(column: column, message: "parentheses and '!' nested deeper than \(Self.maxDepth) levels; simplify the filter")
        }
        depth += 1
    }

    private mutating func parsePrimary() throws(FilterError) -> DisplayFilter.Node {
        switch current {
        case .lparen:
            let col = column
            try descend()
            defer { depth -= 1 }
            i += 1
            let n = try parseOr()
            guard current == .rparen else {
                throw FilterError(column: column, message: "missing ')' for '(' at column \(col)")
            }
            i += 1
            return n
        case .word(let field):
            guard field.first!.isLetter || field.first == "_" else {
                throw FilterError(column: column, message: "expected a field name, found '\(field)'")
            }
            guard FieldNames.known.contains(field) else {
                throw FilterError(column: column, message: FieldNames.unknown(field))
            }
            i += 1
            guard case .op(let o) = current else { return .present(field) }
            let op = DisplayFilter.Op(rawValue: o)!
            i += 1
            let lit: String
            switch current {
            case .word(let w), .string(let w): lit = w
            default: throw FilterError(column: column, message: "expected a value after '\(o)', found \(describe(current))")
            }
            let litCol = column
            i += 1
            let parsed = FilterParser.literal(lit)
            if op != .eq && op != .ne && parsed.number == nil && parsed.ipv4 == nil {
                throw FilterError(column: litCol, message: "'\(o)' needs a number or an address")
            }
            return .compare(field, op, parsed)
        default:
            throw FilterError(column: column, message: "expected a field name, found \(describe(current))")
        }
    }

    private func describe(_ t: Token) -> String {
        switch t {
        case .word(let w): return "'\(w)'"
        case .string(let s): return "\"\(s)\""
        case .op(let o): return "'\(o)'"
        case .lparen: return "'('"
        case .rparen: return "')'"
        case .and: return "'&&'"
        case .or: return "'||'"
        case .not: return "'!'"
        case .end: return "end of filter"
        }
    }

    static func literal(_ s: String) -> DisplayFilter.Literal {
        var number: UInt64?
        if s.hasPrefix("0x") || s.hasPrefix("0X") { number = UInt64(s.dropFirst(2), radix: 16) } else { number = UInt64(s) }
        return DisplayFilter.Literal(text: s, number: number, ipv4: parseIPv4(s))
    }

    static func parseIPv4(_ s: String) -> (addr: UInt32, prefix: Int)? {
        var prefix = 32
        var addrPart = Substring(s)
        if let slash = s.firstIndex(of: "/") {
            guard let p = Int(s[s.index(after: slash)...]), p >= 0, p <= 32 else { return nil }
            prefix = p
            addrPart = s[..<slash]
        }
        let parts = addrPart.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var a: UInt32 = 0
        for p in parts {
            guard let v = UInt8(p) else { return nil }
            a = a << 8 | UInt32(v)
        }
        return (a, prefix)
    }
}
