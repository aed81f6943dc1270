/// One problem in an input file (a page, a facts file, a roster), printed like a compiler's,
/// `file:line:col: error: message`, so editors and CI logs can jump to it.
public struct Diagnostic: Error, Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable { case error, warning }

    /// The file as the user would type it (the folder as given + the relative path).
    public var file: String
    public var position: SourcePosition
    public var severity: Severity
    public var message: String

    /// - Parameters:
    ///   - file: the file as the user would type it.
    ///   - position: where the problem starts.
    ///   - message: what is wrong, and what to do.
    ///   - severity: error (the default) or warning.
    public init(file: String, _ position: SourcePosition, _ message: String, severity: Severity = .error) {
        self.file = file
        self.position = position
        self.severity = severity
        self.message = message
    }

    /// The same, from a line and a column.
    /// - Parameters:
    ///   - file: the file as the user would type it.
    ///   - line: 1-based line.
    ///   - column: 1-based column, in Unicode scalars (`SourcePosition`).
    ///   - severity: error (the default) or warning.
    ///   - message: what is wrong, and what to do.
    public init(file: String, line: Int = 1, column: Int = 1, severity: Severity = .error, message: String) {
        self.init(file: file, SourcePosition(line: line, column: column), message, severity: severity)
    }

    public var line: Int { position.line }
    public var column: Int { position.column }

    public var description: String { "\(file):\(position.line):\(position.column): \(severity.rawValue): \(message)" }

    /// By file, position, then message: the order diagnostics are printed in.
    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        (a.file, a.position.line, a.position.column, a.message) < (b.file, b.position.line, b.position.column, b.message)
    }
}

/// Several diagnostics at once: a facts file or a page reports every problem it has, not
/// just the first, so one edit-and-rerun cycle fixes them all.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    /// - Parameters:
    ///   - diagnostics: the problems, in the order they are printed.
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
