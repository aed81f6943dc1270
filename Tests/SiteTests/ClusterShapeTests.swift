import Foundation
import Testing
import Facts
@testable import Site

/// The lab holds for every cluster shape: the "Node tiers" is never the pod's own node, and a
/// cluster where DSR cannot be shown is refused at the lab's line and column.
@Suite struct ClusterShapeTests {
    /// The default facts with the pod moved and nodes kept, written to a file of their own.
    static func facts(podOn node: String, keeping names: [String]? = nil) throws -> URL {
        var facts = try Facts.load(contentsOf: ParameterSubstitutionTests.repo.appendingPathComponent("content/facts/default.json"))
        facts.pods[0].node = node
        if let names { facts.nodes = facts.nodes.filter { names.contains($0.name) } }
        let dir = try Fixture.temporaryDirectory()
        let url = dir.appendingPathComponent("facts.json")
        try facts.encoded().write(to: url)
        return url
    }

    @Test func podOnTheFirstWorkerIsReachedThroughAnotherNode() async throws {
        let pages = try await ParameterSubstitutionTests.buildRealCourse(facts: try Self.facts(podOn: "kind-worker"))
        let lab = try #require(pages["labs/01-ebpf-dsr.html"]).replacing(#/<[^>]+>/#, with: "")
        // kind-worker2 (172.18.0.4) is contacted, kind-worker (172.18.0.2) answers.
        #expect(lab.contains("curl -s http://172.18.0.4:31400 ; echo"))
        #expect(!lab.contains("curl -s http://172.18.0.2:31400 ; echo"))
        #expect(lab.contains("9a08 a87a 0400 12ac"), "the option for 172.18.0.4:31400")
    }

    @Test func aOneNodeClusterIsRefusedAtTheLabsLine() async throws {
        let facts = try Self.facts(podOn: "kind-control-plane", keeping: ["kind-control-plane"])
        let lab = try String(contentsOf: ParameterSubstitutionTests.repo.appendingPathComponent("content/labs/01-ebpf-dsr.md"), encoding: .utf8)
        let firstUse = try #require(lab.range(of: "other_node(pod(app=\"echoserver\"))"))
        let line = lab[..<firstUse.lowerBound].filter { $0 == "\n" }.count + 1
        do {
            _ = try await ParameterSubstitutionTests.buildRealCourse(facts: facts)
            Issue.record("a one-node cluster was built")
        } catch let failure as BuildFailure {
            let messages = failure.diagnostics.map(\.description)
            #expect(messages.contains { $0.hasPrefix("content/labs/01-ebpf-dsr.md:\(line):") && $0.contains("error: DSR cannot be shown on this cluster") },
                    "\(messages)")
        }
    }
}
