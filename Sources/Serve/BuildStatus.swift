import LabgenCore
import Foundation
import Site
import Synchronization

/// The outcome of the latest build, shared by the watcher (writes) and the HTTP connections
/// (read): `version` grows with every successful build, `error` holds the diagnostics of a
/// failed one until a build succeeds again. A lock rather than an actor, so the connection
/// threads read it without hopping onto the concurrency pool.
public final class BuildStatus: @unchecked Sendable {
    private let state = Mutex<(version: Int, error: String?)>((0, nil))
    /// Signalled on every change, for the pages' event streams (`next(after:timeout:)`).
    /// (NSCondition is thread-safe; it is what makes this class `@unchecked`.)
    private let changed = NSCondition()

    public init() {}

    /// Blocks the calling thread (a connection's, never the concurrency pool's) until the
    /// status differs from `seen`, or `timeout` passes; returns the status then.
    func next(after seen: (version: Int, error: String?), timeout: Duration) -> (version: Int, error: String?) {
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
        changed.lock()
        defer { changed.unlock() }
        while true {
            let now = snapshot
            if now != seen { return now }
            if !changed.wait(until: deadline) { return snapshot }
        }
    }

    private func signal() {
        changed.lock()
        changed.broadcast()
        changed.unlock()
    }

    public var version: Int { snapshot.version }
    public var error: String? { snapshot.error }
    /// Both at once, so a reader never sees the version of one build with the error of another.
    public var snapshot: (version: Int, error: String?) { state.withLock { $0 } }

    func succeeded() {
        state.withLock { $0 = ($0.version + 1, nil) }
        signal()
    }

    func failed(_ message: String) {
        state.withLock { $0.error = message }
        signal()
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
