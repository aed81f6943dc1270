import Site
import Synchronization

/// The outcome of the latest build, shared by the watcher (writes) and the HTTP connections
/// (read): `version` grows with every successful build, `error` holds the diagnostics of a
/// failed one until a build succeeds again. A lock rather than an actor, so the connection
/// threads read it without hopping onto the concurrency pool.
public final class BuildStatus: Sendable {
    private let state = Mutex<(version: Int, error: String?)>((0, nil))

    public init() {}

    public var version: Int { snapshot.version }
    public var error: String? { snapshot.error }
    /// Both at once, so a reader never sees the version of one build with the error of another.
    public var snapshot: (version: Int, error: String?) { state.withLock { $0 } }

    func succeeded() {
        state.withLock { $0 = ($0.version + 1, nil) }
    }

    func failed(_ message: String) {
        state.withLock { $0.error = message }
    }

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
