import Foundation
import Testing
import Facts
import Markdown
import TraceView
@testable import Site

/// The roster's shared trace figures (`TraceFigureCache`: attendees whose figures read the
/// same values share one render) must write exactly what drawing every attendee's figures
/// writes.
@Suite struct TraceFigureCacheTests {
    /// The default facts with other addresses: the same trace values as the default, so its
    /// figures come from the cache the first attendee filled.
    static func sameShapeText() throws -> String {
        try RosterBuildTests.defaultText()
            .replacingOccurrences(of: "172.18.0.", with: "10.23.0.")
            .replacingOccurrences(of: "02:42:ac:12:00:0", with: "02:42:0a:17:00:0")
            .replacingOccurrences(of: "31400", with: "30999")
            .replacingOccurrences(of: "vethff61702", with: "veth0badcafe")
            .replacingOccurrences(of: "/home/lab/basic", with: "/home/zoe/tp_dsr-2")
    }

    static func build(sharingFigures: Bool) async throws -> (URL, RosterBuild.Report) {
        let attendees = [("alice", "Alice", try RosterBuildTests.defaultText()),
                         ("bob", "Bob <b>", try RosterBuildTests.otherText()),
                         ("chloe", "Chloé & co", try sameShapeText()),
                         ("dan", "Dan", try RosterBuildTests.defaultText().replacingOccurrences(of: "\"dsr\"", with: "\"snat\""))]
        return try await RosterBuildTests.build(attendees) { $0.sharingFigures = sharingFigures }
    }

    @Test func sharedFiguresEqualEveryAttendeesOwn() async throws {
        let (fast, fastSummary) = try await Self.build(sharingFigures: true)
        let (full, fullSummary) = try await Self.build(sharingFigures: false)
        #expect(fastSummary.failures.isEmpty && fullSummary.failures.isEmpty, "\(fastSummary.failures.map(\.diagnostics))")
        #expect(fastSummary.built == fullSummary.built)
        let a = try Fixture.tree(fast)
        let b = try Fixture.tree(full)
        #expect(Set(a.keys) == Set(b.keys))
        for (path, bytes) in a where b[path] != bytes {
            Issue.record("\(path) differs between shared figures and every attendee's own")
        }
        // The values really are the attendee's own.
        let chloe = RosterSecret(Array(RosterBuildTests.secret.utf8)).token(for: "chloe")
        let lab = String(decoding: try #require(a["\(chloe)/labs/01-ebpf-dsr.html"]), as: UTF8.self)
        #expect(lab.contains(">10.23.0.5</span>") && lab.contains(">/home/zoe/tp_dsr-2</span>"))
        #expect(!ParameterSubstitutionTests.withoutRecordedExample(lab).contains("172.18.0.5"))
    }

    @Test func traceFiguresAreKeyedByTheValuesTheyRead() throws {
        let body = "capture: dsr\nfile: ../captures/seed-dsr.pcap\nservice: svc-echoserver\npod: app=echoserver\n"
        let facts = try ParameterSubstitutionTests.defaultFacts()
        let key = try #require(TraceEmbed.factsKey(body: body, facts: facts))
        var other = facts
        other.nodes[0].ip = "10.9.9.9"   // the control plane: neither contacted nor the pod's node
        #expect(TraceEmbed.factsKey(body: body, facts: other) == key)
        other.services[0].ports[0].nodePort = 30999   // another NodePort: other bytes, another figure
        #expect(TraceEmbed.factsKey(body: body, facts: other) != key)
        #expect(TraceEmbed.factsKey(body: "file: ../captures/seed-dsr.pcap\n", facts: other) == "", "a recorded example alone reads no facts")
    }
}
