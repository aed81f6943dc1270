import Foundation
import Facts

/// Probes every attendee of a roster, a few at a time, each within its own time limit, and
/// writes one facts file per attendee. One attendee's failure never stops the others.
public struct RosterProber: Sendable {
    public typealias Outcome = RosterJobs.Outcome
    public var jobs: RosterJobs
    public var options: ProbeOptions
    /// Seconds allowed for one attendee's whole probe.
    public var attendeeTimeout: Double

    public init(roster: Roster, baseDirectory: URL, options: ProbeOptions, attendeeTimeout: Double = 120,
                concurrency: Int = 4, connectTimeout: Int = 10, local: LocalRunner = LocalRunner()) {
        self.jobs = RosterJobs(roster: roster, baseDirectory: baseDirectory, concurrency: concurrency,
                               connectTimeout: connectTimeout, local: local)
        self.options = options
        self.attendeeTimeout = attendeeTimeout
    }

    public func run(progress: @escaping @Sendable (String) -> Void) async -> [Outcome] {
        await jobs.run(verb: "probing", progress: progress) { await probe($0) }
    }

    func probe(_ attendee: Roster.Attendee) async -> Outcome {
        let file = factsFile(for: attendee)
        var options = options
        options.kubeconfig = attendee.kubeconfig.map { Self.kubeconfigPath($0, remote: attendee.ssh != nil) } ?? options.kubeconfig
        options.context = attendee.context ?? options.context
        let prober = Prober(runner: jobs.runner(for: attendee), options: options)
        do {
            let facts = try await withTimeout(attendeeTimeout, what: attendee.id) {
                try await prober.probe()
            }
            try FactsFile.writeProbed(facts, to: file)
            return Outcome(attendee: attendee, factsFile: file, failure: nil)
        } catch {
            return Outcome(attendee: attendee, factsFile: file, failure: "\(error)")
        }
    }

    /// Where `attendee`'s facts go: the roster's path, relative to the roster's folder.
    public func factsFile(for attendee: Roster.Attendee) -> URL { jobs.factsFile(for: attendee) }

    /// `~/x` means the probed machine's home: locally expanded, over ssh made relative (ssh
    /// commands start in the home directory, and `~` would not be expanded inside quotes).
    public static func kubeconfigPath(_ path: String, remote: Bool) -> String {
        guard path.hasPrefix("~/") else { return path }
        return remote ? String(path.dropFirst(2)) : NSHomeDirectory() + path.dropFirst(1)
    }
}

/// Runs `body`, cancelling it (and so killing its commands) after `seconds`.
public func withTimeout<T: Sendable>(_ seconds: Double, what: String,
                                     _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw ProbeError("\(what): no answer within \(CommandError.format(seconds)) s",
                             advice: "check that the machine and its cluster are up, or raise --timeout")
        }
        return value
    }
}
