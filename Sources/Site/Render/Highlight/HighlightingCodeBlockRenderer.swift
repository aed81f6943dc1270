import LabgenCore
import Markdown

/// Code blocks with build-time syntax highlighting (`<span class="tok-…">`) for shell,
/// console, YAML, JSON, Go and C, and on every block with commands a `data-copy` attribute
/// on `<pre>` holding exactly the text the copy button puts on the clipboard.
///
/// Marks (values filled from facts) stay whole: a mark is the outer span and tokens are
/// cut at its edges, so `<span class="param">` never straddles a token span. Languages it
/// does not know render exactly as `PlainCodeBlockRenderer`.
public struct HighlightingCodeBlockRenderer: CodeBlockRenderer {
    public init() {}

    /// The lexer for an info string's first word, if the language is highlighted.
    static func lexer(for language: String) -> (any Lexer)? {
        switch language.lowercased() {
        case "bash", "sh", "shell", "zsh": return TranscriptLexer(console: false)
        case "console", "shell-session", "terminal": return TranscriptLexer(console: true)
        case "yaml", "yml": return YAMLLexer()
        case "json": return JSONLexer()
        case "go", "golang": return CLikeLexer.go
        case "c", "h": return CLikeLexer.c
        default: return nil
        }
    }

    /// What the copy button of `block` copies, or nil when it gets none (not a shell or
    /// console block, or nothing to run in it).
    public static func copyText(_ block: CodeBlock) -> String? {
        let console: Bool
        switch block.language.lowercased() {
        case "bash", "sh", "shell", "zsh": console = false
        case "console", "shell-session", "terminal": console = true
        default: return nil
        }
        let bytes = Array(block.literal.utf8)
        return ShellTranscript(bytes, console: console).commands(bytes)
    }

    /// The tokens of `block`, sorted and non-overlapping (empty when not highlighted).
    public static func tokens(_ block: CodeBlock) -> [Token] {
        guard let lexer = lexer(for: block.language) else { return [] }
        let bytes = Array(block.literal.utf8)
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 4)
        lexer.lex(bytes, 0..<bytes.count, into: &tokens)
        return tokens
    }

    public func render(_ block: CodeBlock) -> String {
        var out: [UInt8] = []
        render(block, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public func render(_ block: CodeBlock, into out: inout [UInt8]) {
        guard let lexer = Self.lexer(for: block.language) else { return PlainCodeBlockRenderer().render(block, into: &out) }
        let bytes = Array(block.literal.utf8)
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 4)
        var copyText: String?
        if let shell = lexer as? TranscriptLexer {
            // One transcript for both the highlighting and the copy text.
            let transcript = ShellTranscript(bytes, console: shell.console)
            shell.lex(bytes, 0..<bytes.count, transcript: transcript, into: &tokens)
            copyText = transcript.commands(bytes)
        } else {
            lexer.lex(bytes, 0..<bytes.count, into: &tokens)
        }
        out.reserveCapacity(out.count + bytes.count * 2 + 80)
        out += Array("<pre".utf8)
        if let copy = copyText {
            out += Array(" data-copy=\"".utf8)
            HTMLEscaping.appendEscaped(copy.utf8, to: &out)
            out.append(Bytes.quote)
        }
        out += Array("><code class=\"language-".utf8)
        HTMLEscaping.appendEscaped(block.language.utf8, to: &out)
        out += Array("\">".utf8)
        Self.appendBody(bytes, tokens: tokens, marks: block.marks, to: &out)
        out += Array("</code></pre>\n".utf8)
    }

    /// Interleaves token spans and mark spans over `bytes`, escaping everything.
    static func appendBody(_ bytes: [UInt8], tokens: [Token], marks: [CodeBlock.Mark], to out: inout [UInt8]) {
        // Same rule as the plain renderer: marks in order, inside the text, not overlapping.
        var validMarks: [CodeBlock.Mark] = []
        var cursor = 0
        for mark in marks where mark.range.lowerBound >= cursor && mark.range.upperBound <= bytes.count && !mark.range.isEmpty {
            validMarks.append(mark)
            cursor = mark.range.upperBound
        }
        let n = bytes.count
        var pos = 0, ti = 0, mi = 0
        var openMark: Int? = nil
        var openToken: TokenKind? = nil
        while pos < n {
            while mi < validMarks.count, validMarks[mi].range.upperBound <= pos { mi += 1 }
            while ti < tokens.count, tokens[ti].end <= pos { ti += 1 }
            let markHere: Int? = mi < validMarks.count && validMarks[mi].range.lowerBound <= pos ? mi : nil
            let tokenHere: TokenKind? = ti < tokens.count && tokens[ti].start <= pos ? tokens[ti].kind : nil
            var next = n
            if mi < validMarks.count {
                next = min(next, markHere != nil ? validMarks[mi].range.upperBound : validMarks[mi].range.lowerBound)
            }
            if ti < tokens.count {
                next = min(next, tokenHere != nil ? tokens[ti].end : tokens[ti].start)
            }
            if markHere != openMark {
                if openToken != nil { out += closeSpan; openToken = nil }
                if openMark != nil { out += closeSpan }
                if let m = markHere {
                    out += Array("<span".utf8)
                    for (name, value) in validMarks[m].attributes {
                        out.append(Bytes.space)
                        HTMLEscaping.appendEscaped(name.utf8, to: &out)
                        out += Array("=\"".utf8)
                        HTMLEscaping.appendEscaped(value.utf8, to: &out)
                        out.append(Bytes.quote)
                    }
                    out.append(UInt8(ascii: ">"))
                }
                openMark = markHere
            }
            if tokenHere != openToken {
                if openToken != nil { out += closeSpan }
                if let kind = tokenHere { out += openSpans[kind]! }
                openToken = tokenHere
            }
            HTMLEscaping.appendEscaped(bytes[pos..<next], to: &out)
            pos = next
        }
        if openToken != nil { out += closeSpan }
        if openMark != nil { out += closeSpan }
    }

    private static let closeSpan = Array("</span>".utf8)
    private static let openSpans: [TokenKind: [UInt8]] = Dictionary(uniqueKeysWithValues: TokenKind.allCases.map {
        ($0, Array("<span class=\"tok-\($0.rawValue)\">".utf8))
    })
}
