/// A position in a source file, as compilers print it: 1-based line, 1-based column counted
/// in characters (Unicode scalars), so that `Le nœud é ${{ x }}` points at the `$` an editor
/// shows. Parsers that work on UTF-8 bytes (cmark-gfm, the `${{ }}` scanner, the JSON
/// reader) turn their byte offsets into columns with `column(in:lineStart:offset:)`, the one
/// place that counts them.
public struct SourcePosition: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    /// - Parameters:
    ///   - line: 1-based line.
    ///   - column: 1-based column, in Unicode scalars.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The start of a file: where a problem of the file as a whole is reported.
    public static let start = SourcePosition(line: 1, column: 1)

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }

    /// The 1-based column, in Unicode scalars, of the byte at `offset` of a UTF-8 text whose
    /// line starts at byte `lineStart`: one more than the scalars that start in between
    /// (continuation bytes `10xxxxxx` start none).
    /// - Parameters:
    ///   - bytes: the text's UTF-8 bytes.
    ///   - lineStart: the offset of the line's first byte.
    ///   - offset: the offset of the byte whose column is wanted (past the end: the column
    ///     after the last scalar).
    public static func column<C: Collection>(in bytes: C, lineStart: Int, offset: Int) -> Int
        where C.Element == UInt8, C.Index == Int {
        var column = 1
        var i = max(lineStart, bytes.startIndex)
        let end = min(offset, bytes.endIndex)
        while i < end {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return column + max(0, offset - max(end, lineStart))
    }
}
