/// POSIX shell / bash: commands (first word of each simple command), options, strings,
/// variables and expansions, comments, keywords and operators.
struct ShellLexer: Lexer {
    static let keywords = Bytes.words(["if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while",
                                       "until", "case", "esac", "function", "select", "return", "!", "{", "}",
                                       "[[", "]]"])
    /// Keywords after which the next word is a command again.
    static let commandIntroducers = Bytes.words(["if", "then", "else", "elif", "do", "while", "until", "!", "{", "time"])

    func lex(_ b: [UInt8], _ range: Range<Int>, into tokens: inout [Token]) {
        var i = range.lowerBound
        let end = range.upperBound
        var commandStart = true
        while i < end {
            let c = b[i]
            switch c {
            case Bytes.newline:
                // A line ending in `\` continues the same command.
                if !(i > range.lowerBound && b[i - 1] == Bytes.backslash) { commandStart = true }
                i += 1
            case Bytes.space, Bytes.tab, 13:
                i += 1
            case Bytes.hash where i == range.lowerBound || Self.isBreak(b[i - 1]):
                let e = Bytes.lineEnd(b, i, end)
                tokens.append(Token(i, e, .comment))
                i = e
            case Bytes.apostrophe:
                let e = Bytes.stringEnd(b, i, end, quote: Bytes.apostrophe, escapes: false)
                tokens.append(Token(i, e, .string))
                i = e
                commandStart = false
            case Bytes.quote:
                i = doubleQuoted(b, i, end, into: &tokens)
                commandStart = false
            case Bytes.dollar:
                let (e, opensCommand) = expansion(b, i, end, into: &tokens)
                i = e
                commandStart = opensCommand
            case UInt8(ascii: "|"), UInt8(ascii: "&"), UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"),
                 UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "`"):
                var e = i + 1
                while e < end, Self.isOperator(b[e]) { e += 1 }
                tokens.append(Token(i, e, .op))
                // `cmd > file`, `2>&1`: after a redirection comes a word, not a command.
                let last = b[e - 1]
                commandStart = last == UInt8(ascii: "|") || last == UInt8(ascii: "&") || last == UInt8(ascii: ";")
                    || last == UInt8(ascii: "(") || last == UInt8(ascii: "`")
                if last == UInt8(ascii: "&") && e - i >= 2 && b[e - 2] == UInt8(ascii: ">") { commandStart = false }
                i = e
            default:
                var e = i
                while e < end, !Self.isWordBreak(b[e]) { e += 1 }
                if e == i { e = i + 1 }
                let word = b[i..<e]
                if commandStart {
                    if let eq = word.firstIndex(of: UInt8(ascii: "=")), eq > i, word[i..<eq].allSatisfy(Bytes.isIdent) {
                        tokens.append(Token(i, eq, .variable))       // NAME=value before a command
                    } else if Self.keywords.contains(word) {
                        tokens.append(Token(i, e, .keyword))
                        commandStart = Self.commandIntroducers.contains(word)
                    } else {
                        tokens.append(Token(i, e, .command))
                        commandStart = word.elementsEqual("sudo".utf8) || word.elementsEqual("time".utf8)
                            || word.elementsEqual("exec".utf8) || word.elementsEqual("xargs".utf8)
                    }
                } else if c == Bytes.dash {
                    tokens.append(Token(i, e, .option))
                } else if word.allSatisfy(Bytes.isDigit) {
                    tokens.append(Token(i, e, .number))
                } else if Self.keywords.contains(word) && (word.elementsEqual("in".utf8) || word.elementsEqual("do".utf8)
                                                           || word.elementsEqual("done".utf8) || word.elementsEqual("fi".utf8)
                                                           || word.elementsEqual("then".utf8)) {
                    tokens.append(Token(i, e, .keyword))
                    commandStart = !word.elementsEqual("in".utf8) && !word.elementsEqual("done".utf8) && !word.elementsEqual("fi".utf8)
                }
                i = e
            }
        }
    }

    /// `"…"`: string runs around `$var` / `${…}` / `$(…)` expansions.
    private func doubleQuoted(_ b: [UInt8], _ start: Int, _ end: Int, into tokens: inout [Token]) -> Int {
        var runStart = start
        var j = start + 1
        while j < end {
            let c = b[j]
            if c == Bytes.backslash { j += 2; continue }
            if c == Bytes.quote { j += 1; break }
            if c == Bytes.dollar, j + 1 < end, Bytes.isIdent(b[j + 1]) || b[j + 1] == UInt8(ascii: "{") {
                if j > runStart { tokens.append(Token(runStart, j, .string)) }
                let (e, _) = expansion(b, j, end, into: &tokens)
                j = e
                runStart = j
                continue
            }
            j += 1
        }
        j = min(j, end)
        if j > runStart { tokens.append(Token(runStart, j, .string)) }
        return j
    }

    /// `$name`, `$1`, `$?`, `${…}`, `$'…'`; `$(` and `$((` open a command.
    private func expansion(_ b: [UInt8], _ i: Int, _ end: Int, into tokens: inout [Token]) -> (Int, Bool) {
        guard i + 1 < end else { tokens.append(Token(i, i + 1, .variable)); return (i + 1, false) }
        let n = b[i + 1]
        if n == UInt8(ascii: "(") {
            let e = (i + 2 < end && b[i + 2] == UInt8(ascii: "(")) ? i + 3 : i + 2
            tokens.append(Token(i, e, .op))
            return (e, e == i + 2)
        }
        if n == UInt8(ascii: "{") {
            var e = i + 2
            while e < end, b[e] != UInt8(ascii: "}"), b[e] != Bytes.newline { e += 1 }
            if e < end, b[e] == UInt8(ascii: "}") { e += 1 }
            tokens.append(Token(i, e, .variable))
            return (e, false)
        }
        if n == Bytes.apostrophe {
            let e = Bytes.stringEnd(b, i + 1, end, quote: Bytes.apostrophe, escapes: true)
            tokens.append(Token(i, e, .string))
            return (e, false)
        }
        if Bytes.isIdent(n) && n < 0x80 {
            var e = i + 1
            if Bytes.isDigit(n) { e += 1 } else { while e < end, Bytes.isIdent(b[e]), b[e] < 0x80 { e += 1 } }
            tokens.append(Token(i, e, .variable))
            return (e, false)
        }
        if "?@#*!$-".utf8.contains(n) {
            tokens.append(Token(i, i + 2, .variable))
            return (i + 2, false)
        }
        return (i + 1, false)
    }

    @inline(__always) static func isOperator(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "|") || c == UInt8(ascii: "&") || c == UInt8(ascii: ";") || c == UInt8(ascii: "<") || c == UInt8(ascii: ">")
    }

    /// Where a `#` starts a comment: at the start of a word.
    @inline(__always) static func isBreak(_ c: UInt8) -> Bool {
        Bytes.isSpace(c) || c == Bytes.newline || c == UInt8(ascii: ";") || c == UInt8(ascii: "|") || c == UInt8(ascii: "&") || c == UInt8(ascii: "(")
    }

    @inline(__always) static func isWordBreak(_ c: UInt8) -> Bool {
        switch c {
        case Bytes.space, Bytes.tab, 13, Bytes.newline, Bytes.quote, Bytes.apostrophe, Bytes.dollar,
             UInt8(ascii: "|"), UInt8(ascii: "&"), UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "`"):
            return true
        default:
            return false
        }
    }
}
