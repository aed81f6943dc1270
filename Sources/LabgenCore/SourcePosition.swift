/// A position in a source file, as compilers print it: 1-based line, 1-based column counted
/// in UTF-8 bytes (the unit cmark-gfm uses for its source positions, so markdown, parameter
/// and facts errors point the same way).
public struct SourcePosition: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    /// - Parameters:
    ///   - line: 1-based line.
    ///   - column: 1-based column, in UTF-8 bytes.
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
}
