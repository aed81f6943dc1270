import Foundation
import Facts

/// Captures the lab's traffic for every attendee of a roster, over their own `ssh`, and
/// records each capture in that attendee's facts (`CaptureStore`). An attendee whose capture
/// fails keeps their previous pcap and facts; the others go on.
public struct RosterCapturer: Sendable {
    public var jobs: RosterJobs
    public var recipe: CaptureRecipe
    /// The capture's name in the facts (`dsr`).
    public var name: String
    /// Seconds allowed for one attendee's whole capture (tcpdump, traffic, transfer).
    public var attendeeTimeout: Double

    /// - Parameters:
    ///   - jobs: the roster, its folder, concurrency and how machines are reached.
    ///   - recipe: what to capture, made concrete from each attendee's facts.
    ///   - name: the capture's name in the facts.
    ///   - attendeeTimeout: seconds for one attendee.
    public init(jobs: RosterJobs, recipe: CaptureRecipe, name: String = "dsr", attendeeTimeout: Double = 120) {
        self.jobs = jobs
        self.recipe = recipe
        self.name = name
        self.attendeeTimeout = attendeeTimeout
    }

    public func run(progress: @escaping @Sendable (String) -> Void) async -> [RosterJobs.Outcome] {
        await jobs.run(verb: "capturing on", progress: progress) { await capture($0) }
    }

    func capture(_ attendee: Roster.Attendee) async -> RosterJobs.Outcome {
        let file = jobs.factsFile(for: attendee)
        let store = CaptureStore(factsFile: file, name: name)
        do {
            try store.validate()
            let facts = try store.loadFacts()
            let plan = try recipe.plan(for: facts)
            let capturer = Capturer(runner: jobs.runner(for: attendee))
            let taken = try await withTimeout(attendeeTimeout, what: attendee.id) { try await capturer.capture(plan) }
            try store.save(taken, plan: plan, into: facts)
            let report = taken.report
            return .init(attendee: attendee, factsFile: file, failure: nil,
                         detail: "\(report.packetsCaptured.map(String.init) ?? "?") packets, \(report.dsrSYNs) DSR SYN(s) → \(store.pcapFile.path)")
        } catch {
            return .init(attendee: attendee, factsFile: file, failure: "\(error)")
        }
    }
}
