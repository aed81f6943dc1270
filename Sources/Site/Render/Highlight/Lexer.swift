/// A lexer turns one range of a code block into sorted, non-overlapping tokens in a single
/// pass over the bytes (no regular expressions: the highlighter runs on every block of every
/// attendee's edition).
protocol Lexer: Sendable {
    func lex(_ b: [UInt8], _ range: Range<Int>, into tokens: inout [Token])
}
