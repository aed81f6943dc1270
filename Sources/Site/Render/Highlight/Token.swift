/// What a run of source text is, as the stylesheet sees it (`tok-<rawValue>`).
public enum TokenKind: String, Sendable, CaseIterable {
    case comment, string, keyword, number, variable, option, command, key, literal
    case prompt, output, type, function, meta, punct, op
}

/// A run of bytes of a code block's UTF-8 with its kind; lexers only ever cut at ASCII bytes,
/// so a token never splits a multi-byte character.
public struct Token: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public var kind: TokenKind

    public init(_ start: Int, _ end: Int, _ kind: TokenKind) {
        self.start = start
        self.end = end
        self.kind = kind
    }
}
