import Site

/// The outcome of the latest build, shared by the watcher (writes) and the HTTP handler
/// (reads): `version` grows with every successful build, `error` holds the diagnostics of a
/// failed one until a build succeeds again.
public actor BuildStatus {
    public private(set) var version = 0
    public private(set) var error: String?

    public init() {}

    func succeeded() {
        version += 1
        error = nil
    }

    func failed(_ message: String) {
        error = message
    }

    public var snapshot: (version: Int, error: String?) { (version, error) }

    /// The text a build error shows in the terminal and in the page.
    public static func describe(_ error: any Error) -> String {
        switch error {
        case let failure as BuildFailure:
            let count = failure.diagnostics.filter { $0.severity == .error }.count
            return failure.description + "\n\(count) error\(count == 1 ? "" : "s")"
        case let diagnostic as Diagnostic:
            return diagnostic.description
        default:
            return "error: \(error)"
        }
    }
}
