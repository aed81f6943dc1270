import Foundation
import Facts

/// What `labgen probe --roster` and `labgen capture --roster` share: one job per attendee, a
/// few at a time, a progress line when each starts and ends, and each attendee's machine
/// reached over their own `ssh` (or this machine). One attendee's failure never stops the others.
public struct RosterJobs: Sendable {
    public var roster: Roster
    /// The roster file's folder: attendees' `facts` paths are relative to it.
    public var baseDirectory: URL
    public var concurrency: Int
    public var connectTimeout: Int
    /// How commands run on this machine (also wraps ssh).
    public var local: LocalRunner

    /// - Parameters:
    ///   - roster: the attendees.
    ///   - baseDirectory: the roster file's folder.
    ///   - concurrency: attendees handled at the same time.
    ///   - connectTimeout: ssh's ConnectTimeout, in seconds.
    ///   - local: how commands run here.
    public init(roster: Roster, baseDirectory: URL, concurrency: Int = 4, connectTimeout: Int = 10,
                local: LocalRunner = LocalRunner()) {
        self.roster = roster
        self.baseDirectory = baseDirectory
        self.concurrency = max(1, concurrency)
        self.connectTimeout = connectTimeout
        self.local = local
    }

    /// One attendee's result.
    public struct Outcome: Sendable {
        public var attendee: Roster.Attendee
        public var factsFile: URL
        /// nil on success.
        public var failure: String?
        /// What the progress line says on success (default: the facts file).
        public var detail: String?

        public init(attendee: Roster.Attendee, factsFile: URL, failure: String?, detail: String? = nil) {
            self.attendee = attendee
            self.factsFile = factsFile
            self.failure = failure
            self.detail = detail
        }
    }

    /// Runs `job` for every attendee; outcomes in roster order.
    /// - Parameters:
    ///   - verb: what the progress line says is happening (`probing`).
    ///   - progress: receives one line per start and per end.
    ///   - job: one attendee's work.
    public func run(verb: String, progress: @escaping @Sendable (String) -> Void,
                    _ job: @escaping @Sendable (Roster.Attendee) async -> Outcome) async -> [Outcome] {
        let attendees = roster.attendees
        var outcomes: [Int: Outcome] = [:]
        await withTaskGroup(of: (Int, Outcome).self) { group in
            var next = 0
            func launch() {
                guard next < attendees.count else { return }
                let index = next
                next += 1
                let attendee = attendees[index]
                progress("[\(index + 1)/\(attendees.count)] \(attendee.id): \(verb) \(attendee.ssh ?? "this machine")…")
                group.addTask { (index, await job(attendee)) }
            }
            for _ in 0..<concurrency { launch() }
            while let (index, outcome) = await group.next() {
                outcomes[index] = outcome
                let status = outcome.failure.map { "FAILED: \($0.split(separator: "\n").first ?? "")" }
                    ?? "ok → \(outcome.detail ?? outcome.factsFile.path)"
                progress("[\(index + 1)/\(attendees.count)] \(outcome.attendee.id): \(status)")
                launch()
            }
        }
        return attendees.indices.compactMap { outcomes[$0] }
    }

    /// The runner reaching `attendee`'s machine: their `ssh`, or this machine.
    public func runner(for attendee: Roster.Attendee) -> any CommandRunner {
        attendee.ssh.map { SSHRunner(destination: $0, connectTimeout: connectTimeout, local: local) } ?? local
    }

    /// Where `attendee`'s facts are: the roster's path, relative to the roster's folder.
    public func factsFile(for attendee: Roster.Attendee) -> URL {
        attendee.facts.hasPrefix("/") ? URL(fileURLWithPath: attendee.facts)
            : baseDirectory.appendingPathComponent(attendee.facts).standardizedFileURL
    }

    /// The end of a roster run: how many succeeded, then who failed and why.
    /// - Parameters:
    ///   - outcomes: what `run` returned.
    ///   - command: what starts the count line (`labgen probe`).
    ///   - done: the past participle for the count line (`probed`).
    public static func summary(_ outcomes: [Outcome], command: String, done: String) -> [String] {
        let failed = outcomes.filter { $0.failure != nil }
        return ["\(command): \(outcomes.count - failed.count) of \(outcomes.count) attendees \(done)"] + failed.map {
            "  ✗ \($0.attendee.id) (\($0.attendee.ssh ?? "local")): \($0.failure ?? "")"
                .replacingOccurrences(of: "\n", with: "\n    ")
        }
    }
}
