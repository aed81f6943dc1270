/// YAML, line by line: keys, scalars (quoted, numbers, booleans), anchors and aliases,
/// comments, document markers, and the bodies of `|` / `>` block scalars.
struct YAMLLexer: Lexer {
    static let literals = Bytes.words(["true", "false", "null", "yes", "no", "on", "off", "True", "False",
                                       "Null", "NULL", "TRUE", "FALSE", "~"])

    func lex(_ b: [UInt8], _ range: Range<Int>, into tokens: inout [Token]) {
        var i = range.lowerBound
        let end = range.upperBound
        /// Indentation of the key owning a block scalar; deeper lines are its text.
        var blockIndent: Int?
        while i < end {
            let lineEnd = Bytes.lineEnd(b, i, end)
            var j = i
            while j < lineEnd, b[j] == Bytes.space { j += 1 }
            let indent = j - i
            if let owner = blockIndent {
                if j == lineEnd || indent > owner {
                    if j < lineEnd { tokens.append(Token(j, lineEnd, .string)) }
                    i = lineEnd + 1
                    continue
                }
                blockIndent = nil
            }
            if indent == 0, lineEnd - i >= 3,
               (b[i] == Bytes.dash && b[i + 1] == Bytes.dash && b[i + 2] == Bytes.dash)
                || (b[i] == UInt8(ascii: ".") && b[i + 1] == UInt8(ascii: ".") && b[i + 2] == UInt8(ascii: ".")) {
                tokens.append(Token(i, i + 3, .meta))
                j = i + 3
            }
            // `- ` sequence markers, possibly several.
            while j < lineEnd, b[j] == Bytes.dash, j + 1 == lineEnd || b[j + 1] == Bytes.space {
                tokens.append(Token(j, j + 1, .punct))
                j += 1
                while j < lineEnd, b[j] == Bytes.space { j += 1 }
            }
            // A key: a plain or quoted scalar followed by `:` and a space or the line end.
            if j < lineEnd, b[j] != Bytes.hash, let colon = keyColon(b, j, lineEnd) {
                tokens.append(Token(j, colon, .key))
                tokens.append(Token(colon, colon + 1, .punct))
                j = colon + 1
            }
            if value(b, j, lineEnd, into: &tokens) { blockIndent = indent }
            i = lineEnd + 1
        }
    }

    /// The index of the `:` ending a key that starts at `j`, if the line has one.
    private func keyColon(_ b: [UInt8], _ j: Int, _ end: Int) -> Int? {
        var k = j
        if b[j] == Bytes.quote || b[j] == Bytes.apostrophe {
            k = Bytes.stringEnd(b, j, end, quote: b[j], escapes: b[j] == Bytes.quote, multiline: false)
            return k < end && b[k] == Bytes.colon && (k + 1 == end || Bytes.isSpace(b[k + 1])) ? k : nil
        }
        if "[{&*!|>%@`".utf8.contains(b[j]) { return nil }
        while k < end {
            let c = b[k]
            if c == Bytes.colon && (k + 1 == end || Bytes.isSpace(b[k + 1])) { return k }
            if c == Bytes.hash && k > j && Bytes.isSpace(b[k - 1]) { return nil }
            k += 1
        }
        return nil
    }

    /// The rest of a line after a key or marker; returns whether it opens a block scalar.
    private func value(_ b: [UInt8], _ start: Int, _ end: Int, into tokens: inout [Token]) -> Bool {
        var j = start
        var opensBlock = false
        while j < end {
            let c = b[j]
            if Bytes.isSpace(c) { j += 1; continue }
            if c == Bytes.hash && (j == start || Bytes.isSpace(b[j - 1])) {
                tokens.append(Token(j, end, .comment))
                return opensBlock
            }
            switch c {
            case Bytes.quote, Bytes.apostrophe:
                let e = Bytes.stringEnd(b, j, end, quote: c, escapes: c == Bytes.quote, multiline: false)
                tokens.append(Token(j, e, .string))
                j = e
            case UInt8(ascii: "&"), UInt8(ascii: "*"):
                var e = j + 1
                while e < end, !Bytes.isSpace(b[e]), b[e] != UInt8(ascii: ","), b[e] != UInt8(ascii: "]"), b[e] != UInt8(ascii: "}") { e += 1 }
                tokens.append(Token(j, e, .variable))
                j = e
            case UInt8(ascii: "|"), UInt8(ascii: ">"):
                var e = j + 1
                while e < end, b[e] == Bytes.dash || b[e] == UInt8(ascii: "+") || Bytes.isDigit(b[e]) { e += 1 }
                tokens.append(Token(j, e, .op))
                opensBlock = true
                j = e
            case UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ","):
                tokens.append(Token(j, j + 1, .punct))
                j += 1
            default:
                // A plain scalar runs to a comment, or to a flow delimiter.
                var e = j
                while e < end {
                    let d = b[e]
                    if d == Bytes.hash && Bytes.isSpace(b[e - 1]) { break }
                    if d == UInt8(ascii: ",") || d == UInt8(ascii: "]") || d == UInt8(ascii: "}") { break }
                    e += 1
                }
                var t = e
                while t > j, Bytes.isSpace(b[t - 1]) { t -= 1 }
                let word = b[j..<t]
                if Self.literals.contains(word) {
                    tokens.append(Token(j, t, .literal))
                } else if isNumber(word) {
                    tokens.append(Token(j, t, .number))
                }
                j = e
            }
        }
        return opensBlock
    }

    private func isNumber(_ w: ArraySlice<UInt8>) -> Bool {
        guard let first = w.first else { return false }
        guard Bytes.isDigit(first) || ((first == Bytes.dash || first == UInt8(ascii: "+")) && w.count > 1) else { return false }
        var dots = 0
        for c in w.dropFirst() {
            if c == UInt8(ascii: ".") { dots += 1; if dots > 1 { return false } } else if !Bytes.isDigit(c) && c != UInt8(ascii: "_") { return false }
        }
        return true
    }
}
