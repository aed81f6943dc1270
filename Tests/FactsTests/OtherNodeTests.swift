import LabgenCore
import Foundation
import Testing
@testable import Facts

/// `other_node(…)`: the lab's "Node tiers" is a node the pod does not run on, a worker first,
/// whatever the cluster's shape; a cluster with no such node is refused where the lab asks.
@Suite struct OtherNodeTests {
    static let expression = #"${{ other_node(pod(app="echoserver")).name }} ${{ other_node(pod(app="echoserver")).ip }}"#

    @Test func podOnTheThirdWorkerContactsTheFirst() throws {
        let (text, problems) = fill(Self.expression, try defaultContext())
        #expect(problems.isEmpty)
        #expect(text == "kind-worker 172.18.0.2")
    }

    @Test func podOnTheFirstWorkerContactsAnotherOne() throws {
        var facts = try Facts.load(contentsOf: defaultFactsURL)
        facts.pods[0].node = "kind-worker"
        let (text, problems) = fill(Self.expression, FactsContext(facts))
        #expect(problems.isEmpty)
        #expect(text == "kind-worker2 172.18.0.4")
        #expect(facts.contactNode(avoiding: "kind-worker")?.name == "kind-worker2")
    }

    @Test func workersComeBeforeTheControlPlane() throws {
        var facts = try Facts.load(contentsOf: defaultFactsURL)
        facts.nodes = facts.nodes.filter { $0.name == "kind-control-plane" || $0.name == "kind-worker3" }
        let (text, _) = fill(Self.expression, FactsContext(facts))
        #expect(text == "kind-control-plane 172.18.0.3", "no other worker: the control plane")
        facts.nodes.append(.init(name: "kind-worker9", role: .worker, ip: "172.18.0.9", mac: "02:42:ac:12:00:09", veth: "veth9", podCIDR: "10.244.9.0/24"))
        #expect(fill(Self.expression, FactsContext(facts)).0 == "kind-worker9 172.18.0.9")
    }

    @Test func aOneNodeClusterIsRefusedAtTheExpression() throws {
        var facts = try Facts.load(contentsOf: defaultFactsURL)
        facts.nodes = [facts.nodes[3]]
        let (_, problems) = fill("Vers un Node tiers :\ncurl ${{ other_node(pod(app=\"echoserver\")).ip }}", FactsContext(facts))
        let problem = try #require(problems.first)
        #expect(problem.file == "lab.md")
        #expect(problem.position == SourcePosition(line: 2, column: 10))
        #expect(problem.message.contains("DSR cannot be shown on this cluster"))
        #expect(problem.message.contains("add a worker"))
    }

    @Test func checkAcceptsItAndRejectsMisuse() throws {
        let t = try Template(parsing: TemplateText(Self.expression), file: "lab.md")
        #expect(t.check().isEmpty)
        let (_, problems) = fill("${{ other_node(\"x\") }}", try defaultContext())
        #expect(problems.first?.message.contains("other_node needs a pod or a node") == true)
    }
}
