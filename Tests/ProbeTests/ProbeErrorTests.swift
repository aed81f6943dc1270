import Facts
import Foundation
import Testing
@testable import Probe

/// Each failure gives its own advice and leaves the attendee's previous facts byte-identical.
@Suite struct ProbeErrorTests {
    let oldFacts = Data("{\"previous\": \"facts, must survive\"}\n".utf8)

    /// A roster whose every attendee already has a facts file.
    func roster(_ attendees: [Roster.Attendee]) throws -> (Roster, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lgp-roster-\(randomID())")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("facts"), withIntermediateDirectories: true)
        for attendee in attendees {
            try oldFacts.write(to: directory.appendingPathComponent(attendee.facts))
        }
        return (Roster(attendees: attendees), directory)
    }

    func expectUntouched(_ directory: URL, _ outcomes: [RosterProber.Outcome]) throws {
        for outcome in outcomes {
            #expect(try Data(contentsOf: outcome.factsFile) == oldFacts, "\(outcome.attendee.id)")
        }
        // No temporary file left behind either.
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("facts").path)
        #expect(files.sorted() == outcomes.map { $0.factsFile.lastPathComponent }.sorted())
    }

    @Test func kubeconfigAndClusterErrorsKeepOldFacts() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lgp-kc-\(randomID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let broken = directory.appendingPathComponent("broken-kubeconfig")
        try "apiVersion: v1\nclusters: [\n".write(to: broken, atomically: true, encoding: .utf8)
        let unreachable = directory.appendingPathComponent("unreachable-kubeconfig")
        // Port 9 on loopback: nothing listens, the connection is refused at once.
        let replay = try await KubeReplay.start()
        try replay.writeKubeconfig(server: "http://127.0.0.1:9", to: unreachable)

        let (roster, base) = try roster([
            Roster.Attendee(id: "broken", name: "Broken", facts: "facts/broken.json", kubeconfig: broken.path),
            Roster.Attendee(id: "unreachable", name: "Down", facts: "facts/unreachable.json", kubeconfig: unreachable.path),
            Roster.Attendee(id: "context", name: "Context", facts: "facts/context.json",
                            kubeconfig: replay.kubeconfig.path, context: "kind-nope"),
        ])
        let lines = LineLog()
        let outcomes = await RosterProber(roster: roster, baseDirectory: base, options: ProbeOptions(useRuntime: false),
                                          attendeeTimeout: 60).run { lines.append($0) }
        #expect(outcomes.map(\.attendee.id) == ["broken", "unreachable", "context"])
        #expect(outcomes[0].failure?.contains("error loading config file") == true)
        #expect(outcomes[0].failure?.contains("check the kubeconfig") == true)
        #expect(outcomes[1].failure?.contains("the Kubernetes API does not answer") == true)
        #expect(outcomes[2].failure?.contains("kubectl config get-contexts") == true)
        try expectUntouched(base, outcomes)
        #expect(lines.all.filter { $0.contains("FAILED") }.count == 3)
        await replay.stop()
    }

    @Test func missingKubectlIsAClearError() async throws {
        let (roster, base) = try roster([Roster.Attendee(id: "nokubectl", name: "No kubectl", facts: "facts/nokubectl.json")])
        // A PATH that holds the other tools but not kubectl.
        let bin = base.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for tool in ["ip", "bridge", "ssh"] {
            if let found = LocalRunner().resolve(tool) {
                try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent(tool), withDestinationURL: found)
            }
        }
        let local = LocalRunner(environment: ["PATH": bin.path])
        #expect(local.resolve("kubectl") == nil)
        let outcomes = await RosterProber(roster: roster, baseDirectory: base, options: ProbeOptions(useRuntime: false),
                                          local: local).run { _ in }
        #expect(outcomes[0].failure?.contains("kubectl is not installed") == true)
        #expect(outcomes[0].failure?.contains("install kubectl") == true)
        try expectUntouched(base, outcomes)
    }

    @Test func sshThatNeverAnswersTimesOut() async throws {
        guard LocalRunner().resolve("ssh") != nil else {
            print("ProbeErrorTests: no ssh client, ssh timeout test skipped")
            return
        }
        // Loopback listeners that accept and stay silent: ssh waits for a banner that never comes.
        let silent = try SilentListener()
        let (roster, base) = try roster([
            Roster.Attendee(id: "silent", name: "Silent", facts: "facts/silent.json", ssh: "ssh://lab@127.0.0.1:\(silent.port)"),
            Roster.Attendee(id: "slow", name: "Slow", facts: "facts/slow.json", ssh: "ssh://lab@127.0.0.1:\(silent.port)"),
        ])
        // ssh's own ConnectTimeout (1 s) for everyone: its message, not labgen's 30 s limit
        // (no wall-clock check: the whole suite shares 2 cores in CI).
        let outcomes = await RosterProber(roster: roster, baseDirectory: base, options: ProbeOptions(useRuntime: false),
                                          attendeeTimeout: 30, connectTimeout: 1).run { _ in }
        for outcome in outcomes {
            #expect(outcome.failure?.contains("ssh to ssh://lab@127.0.0.1:\(silent.port) failed") == true, "\(outcome.failure ?? "ok")")
            #expect(outcome.failure?.contains("timed out") == true, "\(outcome.failure ?? "ok")")
        }
        try expectUntouched(base, outcomes)

        // …and labgen's per-attendee limit when ssh would wait longer.
        let limited = await RosterProber(roster: Roster(attendees: [roster.attendees[0]]), baseDirectory: base,
                                         options: ProbeOptions(useRuntime: false), attendeeTimeout: 1,
                                         connectTimeout: 30).run { _ in }
        #expect(limited[0].failure?.contains("no answer within 1 s") == true, "\(limited[0].failure ?? "ok")")
        try expectUntouched(base, outcomes)
        withExtendedLifetime(silent) {}
    }
}

final class LineLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
