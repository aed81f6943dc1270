/// JSON: keys, strings, numbers, `true` / `false` / `null`, punctuation.
struct JSONLexer: Lexer {
    func lex(_ b: [UInt8], _ range: Range<Int>, into tokens: inout [Token]) {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let c = b[i]
            switch c {
            case Bytes.quote:
                let e = Bytes.stringEnd(b, i, end, quote: Bytes.quote, escapes: true, multiline: false)
                var k = e
                while k < end, Bytes.isSpace(b[k]) || b[k] == Bytes.newline { k += 1 }
                tokens.append(Token(i, e, k < end && b[k] == Bytes.colon ? .key : .string))
                i = e
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","), Bytes.colon:
                tokens.append(Token(i, i + 1, .punct))
                i += 1
            case Bytes.dash, 48...57:
                var e = i + 1
                while e < end, Bytes.isDigit(b[e]) || b[e] == UInt8(ascii: ".") || b[e] == UInt8(ascii: "e")
                        || b[e] == UInt8(ascii: "E") || b[e] == UInt8(ascii: "+") || b[e] == Bytes.dash { e += 1 }
                tokens.append(Token(i, e, .number))
                i = e
            case 97...122:
                var e = i + 1
                while e < end, Bytes.isLetter(b[e]) { e += 1 }
                let w = b[i..<e]
                if w.elementsEqual("true".utf8) || w.elementsEqual("false".utf8) || w.elementsEqual("null".utf8) {
                    tokens.append(Token(i, e, .literal))
                }
                i = e
            default:
                i += 1
            }
        }
    }
}
