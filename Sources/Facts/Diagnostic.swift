/// A position in a source file, as compilers print it: 1-based line, 1-based column counted
/// in UTF-8 bytes (the unit cmark-gfm uses for its source positions, so markdown and facts
/// errors point the same way).
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public static let start = SourceLocation(line: 1, column: 1)
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
    public var description: String { "\(line):\(column)" }
}

/// One problem in an input file, printed `file:line:col: error: message` so editors and CI
/// logs can jump to it.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }
    public var file: String
    public var location: SourceLocation
    public var severity: Severity
    public var message: String

    public init(file: String, _ location: SourceLocation, _ message: String, severity: Severity = .error) {
        self.file = file
        self.location = location
        self.severity = severity
        self.message = message
    }

    public var description: String {
        "\(file):\(location.line):\(location.column): \(severity.rawValue): \(message)"
    }
}

/// Several diagnostics at once: a facts file or a page reports every problem it has, not
/// just the first, so one edit-and-rerun cycle fixes them all.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// The same type under a name that cannot clash with another target's `Diagnostic` (the
/// module and its main type are both called `Facts`, so `Facts.Diagnostic` is not usable).
public typealias FactsDiagnostic = Diagnostic
