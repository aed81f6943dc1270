/// C and Go: comments, strings and characters, numbers, keywords, types, function names
/// (an identifier before `(`), C preprocessor lines and upper-case macro constants.
struct CLikeLexer: Lexer {
    var keywords: Set<ArraySlice<UInt8>>
    var types: Set<ArraySlice<UInt8>>
    var literals: Set<ArraySlice<UInt8>>
    /// C: `#` lines are preprocessor directives; Go: backquotes are raw strings.
    var preprocessor: Bool
    var rawStrings: Bool

    static let c = CLikeLexer(
        keywords: Bytes.words(["auto", "break", "case", "const", "continue", "default", "do", "else", "enum", "extern",
                               "for", "goto", "if", "inline", "register", "restrict", "return", "sizeof", "static",
                               "struct", "switch", "typedef", "union", "volatile", "while", "__always_inline"]),
        types: Bytes.words(["void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "bool",
                            "_Bool", "size_t", "ssize_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "int8_t",
                            "int16_t", "int32_t", "int64_t", "__u8", "__u16", "__u32", "__u64", "__s8", "__s16",
                            "__s32", "__s64", "__be16", "__be32", "__le16", "__le32", "__sum16", "__wsum"]),
        literals: Bytes.words(["NULL", "true", "false"]),
        preprocessor: true, rawStrings: false)

    static let go = CLikeLexer(
        keywords: Bytes.words(["break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
                               "for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range",
                               "return", "select", "struct", "switch", "type", "var"]),
        types: Bytes.words(["bool", "byte", "complex64", "complex128", "error", "float32", "float64", "int", "int8",
                            "int16", "int32", "int64", "rune", "string", "uint", "uint8", "uint16", "uint32", "uint64",
                            "uintptr", "any"]),
        literals: Bytes.words(["true", "false", "nil", "iota"]),
        preprocessor: false, rawStrings: true)

    func lex(_ b: [UInt8], _ range: Range<Int>, into tokens: inout [Token]) {
        var i = range.lowerBound
        let end = range.upperBound
        var lineStart = true
        while i < end {
            let c = b[i]
            if c == Bytes.newline { lineStart = true; i += 1; continue }
            if Bytes.isSpace(c) { i += 1; continue }
            let atLineStart = lineStart
            lineStart = false
            if c == Bytes.slash, i + 1 < end, b[i + 1] == Bytes.slash {
                let e = Bytes.lineEnd(b, i, end)
                tokens.append(Token(i, e, .comment))
                i = e
            } else if c == Bytes.slash, i + 1 < end, b[i + 1] == Bytes.star {
                var e = i + 2
                while e + 1 < end, !(b[e] == Bytes.star && b[e + 1] == Bytes.slash) { e += 1 }
                e = min(end, e + 2)
                tokens.append(Token(i, e, .comment))
                i = e
            } else if c == Bytes.hash, preprocessor, atLineStart {
                // Directive to the end of the line, following `\` continuations.
                var e = i
                while e < end {
                    e = Bytes.lineEnd(b, e, end)
                    if e < end, e > i, b[e - 1] == Bytes.backslash { e += 1 } else { break }
                }
                tokens.append(Token(i, e, .meta))
                i = e
            } else if c == Bytes.quote || c == Bytes.apostrophe {
                let e = Bytes.stringEnd(b, i, end, quote: c, escapes: true, multiline: false)
                tokens.append(Token(i, e, .string))
                i = e
            } else if c == UInt8(ascii: "`"), rawStrings {
                let e = Bytes.stringEnd(b, i, end, quote: c, escapes: false)
                tokens.append(Token(i, e, .string))
                i = e
            } else if Bytes.isDigit(c) {
                var e = i + 1
                while e < end, Bytes.isIdent(b[e]) || b[e] == UInt8(ascii: "."), b[e] < 0x80 { e += 1 }
                tokens.append(Token(i, e, .number))
                i = e
            } else if Bytes.isIdent(c) {
                var e = i + 1
                while e < end, Bytes.isIdent(b[e]) { e += 1 }
                let w = b[i..<e]
                if keywords.contains(w) {
                    tokens.append(Token(i, e, .keyword))
                } else if types.contains(w) {
                    tokens.append(Token(i, e, .type))
                } else if literals.contains(w) {
                    tokens.append(Token(i, e, .literal))
                } else if e < end, b[e] == UInt8(ascii: "(") {
                    tokens.append(Token(i, e, .function))
                } else if preprocessor, e - i > 1, w.allSatisfy({ ($0 >= 65 && $0 <= 90) || $0 == 95 || Bytes.isDigit($0) }) {
                    tokens.append(Token(i, e, .literal))
                }
                i = e
            } else {
                i += 1
            }
        }
    }
}
