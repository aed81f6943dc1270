import LabgenCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Named points of the output commit where a test can make the build die (`SIGKILL`, as a
/// crash or `kill -9` would) or fail with an error, to prove the site is never left half
/// written. Off unless asked for: the `labgen` process reads `LABGEN_TEST_STOP_AT` (kill
/// itself there) and `LABGEN_TEST_FAIL_AT` (throw there), e.g. `commit-step-2` or `write-5`
/// (after the fifth file staged).
public struct FaultPoints: Sendable, Equatable {
    /// The point where the process kills itself.
    public var stop: String?
    /// The point where the build throws a `Diagnostic`.
    public var fail: String?

    public init(stop: String? = nil, fail: String? = nil) {
        self.stop = stop
        self.fail = fail
    }

    public static let none = FaultPoints()

    /// The points named by the environment (none in normal use).
    public static func fromEnvironment() -> FaultPoints {
        let environment = ProcessInfo.processInfo.environment
        return FaultPoints(stop: environment["LABGEN_TEST_STOP_AT"], fail: environment["LABGEN_TEST_FAIL_AT"])
    }

    /// Called as the build passes `point`.
    /// - Parameters:
    ///   - point: the point's name (`commit-step-N`, `write-N`).
    ///   - canFail: whether an error may be thrown here (not once the site was replaced:
    ///     the error would then misreport what `site/` holds).
    func reach(_ point: String, canFail: Bool = true) throws {
        if point == stop { kill(getpid(), SIGKILL) }
        if canFail, point == fail {
            throw Diagnostic(file: "labgen", message: "test failure injected at \(point) (LABGEN_TEST_FAIL_AT)")
        }
    }
}
