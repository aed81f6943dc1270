/// Shell or console: prompts, then the commands lexed as shell, output lines marked.
struct TranscriptLexer: Lexer {
    var console: Bool

    func lex(_ b: [UInt8], _ range: Range<Int>, into tokens: inout [Token]) {
        let transcript = ShellTranscript(range == 0..<b.count ? b : Array(b[range]), console: console)
        lex(b, range, transcript: transcript, into: &tokens)
    }

    /// With the block's transcript already made (the copy text needs it too).
    func lex(_ b: [UInt8], _ range: Range<Int>, transcript: ShellTranscript, into tokens: inout [Token]) {
        let shell = ShellLexer()
        let isScript = !console && !transcript.lines.contains { if case .command(let p) = $0.line { return p > 0 } else { return false } }
        if isScript {
            // One pass over the whole script: quotes and heredocs may span lines.
            shell.lex(b, range, into: &tokens)
            return
        }
        let base = range.lowerBound
        var commandStart: Int?
        var commandEnd = 0
        func flush() {
            if let s = commandStart { shell.lex(b, s..<commandEnd, into: &tokens) }
            commandStart = nil
        }
        for (r, line) in transcript.lines {
            let lo = base + r.lowerBound, hi = base + r.upperBound
            switch line {
            case .command(let p):
                flush()
                if p > 0 { tokens.append(Token(lo, lo + 1, .prompt)) }
                commandStart = lo + p
                commandEnd = hi
            case .continuation:
                commandEnd = hi
            case .output:
                flush()
                if hi > lo, transcript.hasCommands { tokens.append(Token(lo, hi, .output)) }
            }
        }
        flush()
    }
}
