import LabgenCore

/// A build stopped by content errors; carries every diagnostic found, sorted.
public struct BuildFailure: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.sorted()
    }

    /// Any error as the diagnostics a build reports.
    /// - Parameters:
    ///   - error: a `BuildFailure`, a `Diagnostic`, or anything else (reported as is).
    init(reporting error: any Error) {
        switch error {
        case let failure as BuildFailure: self = failure
        case let diagnostic as Diagnostic: self.init([diagnostic])
        default: self.init([Diagnostic(file: "labgen", message: "\(error)")])
        }
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
