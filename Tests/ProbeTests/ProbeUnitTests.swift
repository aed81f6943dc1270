import Facts
import Foundation
import Testing
@testable import Probe

@Suite struct ShellQuoteTests {
    @Test func quotedArgumentsSurviveARealShell() async throws {
        let argv = ["plain", "two words", "it's", "$HOME", "a;b|c", "", "*"]
        // What the remote side of ssh does: one line, split again by sh.
        let result = try await LocalRunner().output(["sh", "-c", "printf '%s\\n' " + ShellQuote.join(argv)], timeout: 10)
        #expect(result.stdoutText == argv.map { $0 + "\n" }.joined())
    }

    @Test func sshArgvQuotesEachRemoteArgument() throws {
        let runner = SSHRunner(destination: "alice@vm-alice", connectTimeout: 7)
        #expect(try runner.sshArgv(["kubectl", "--context", "kind kind"]) ==
                ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=7", "--", "alice@vm-alice",
                 "kubectl", "--context", "'kind kind'"])
    }
}

@Suite struct LocalRunnerTests {
    /// The sleep is far longer than any scheduling delay of a loaded 2-core CI machine running
    /// the whole suite at once: finishing well before it proves the timeout killed it.
    @Test func timeoutKillsTheCommand() async throws {
        let started = Date()
        await #expect(throws: CommandError.self) { _ = try await LocalRunner().run(["sleep", "600"], timeout: 0.5) }
        #expect(Date().timeIntervalSince(started) < 300)
    }

    /// Children must not inherit Swift's blocked SIGINT, or tcpdump could not be stopped cleanly.
    @Test func childrenReceiveSIGINT() async throws {
        let running = try LocalRunner().start(["sleep", "600"])
        try await Task.sleep(nanoseconds: 200_000_000)
        running.interrupt()
        let result = try await running.wait(timeout: 300)
        #expect(result.exitCode == 128 + SIGINT)
    }

    @Test func missingProgramIsNotFound() async throws {
        await #expect(throws: CommandError.notFound(program: "no-such-tool-xyz", display: "no-such-tool-xyz")) {
            _ = try await LocalRunner().run(["no-such-tool-xyz"], timeout: 5)
        }
    }
}

@Suite struct KubeParsingTests {
    @Test func oldMasterLabelIsControlPlane() throws {
        let json = """
        {"items": [{"metadata": {"name": "old-master", "labels": {"node-role.kubernetes.io/master": ""}},
                    "spec": {"podCIDR": "10.244.0.0/24", "providerID": "kind://docker/lab/old-master"},
                    "status": {"addresses": [{"type": "InternalIP", "address": "fc00::2"},
                                             {"type": "InternalIP", "address": "172.18.0.9"}]}},
                   {"metadata": {"name": "plain"}, "spec": {},
                    "status": {"addresses": [{"type": "InternalIP", "address": "172.18.0.8"}]}}]}
        """
        let nodes = try KubeClient.nodes(from: JSONDecoder().decode(KubeList<KubeNode>.self, from: Data(json.utf8)))
        #expect(nodes.map(\.role) == [.controlPlane, .worker])
        #expect(nodes[0].ip == "172.18.0.9")
        #expect(nodes[0].cluster == "lab")
        #expect(nodes[1].podCIDR == "")
    }

    @Test func ciliumDefaultsAndNewerKeys() {
        let old = KubeClient.cilium(from: ["kube-proxy-replacement": "strict", "tunnel": "vxlan"], version: "1.12.2")
        #expect(old.loadBalancerMode == "snat")
        #expect(old.routingMode == "tunnel")
        let new = KubeClient.cilium(from: ["kube-proxy-replacement": "true", "routing-mode": "native", "bpf-lb-mode": "hybrid"],
                                    version: "1.15.1")
        #expect(new.tunnel == "disabled")
        #expect(new.routingMode == "native")
        #expect(new.loadBalancerMode == "hybrid")
    }

    @Test func ciliumVersionFromImageTag() throws {
        func version(_ image: String) throws -> String? {
            let json = #"{"metadata":{"name":"cilium"},"spec":{"template":{"spec":{"containers":[{"name":"cilium-agent","image":"\#(image)"}]}}}}"#
            return KubeClient.ciliumVersion(from: try JSONDecoder().decode(KubeDaemonSet.self, from: Data(json.utf8)))
        }
        #expect(try version("quay.io/cilium/cilium:v1.12.2@sha256:986f8b04cfdb35cf714701e58e35da0ee63da2b8a048ab596ccb49de58d5ba36") == "1.12.2")
        #expect(try version("localhost:5000/cilium/cilium:v1.14.0") == "1.14.0")
        #expect(try version("localhost:5000/cilium/cilium") == nil)
    }
}

@Suite struct ContainerRuntimeTests {
    @Test func dockerNetworkAndInspectOfKindNodes() async throws {
        let runner = RecordedRunner(answers: [
            ["docker", "network", "inspect", "kind"]: try Fixture.text("docker-network-inspect-kind.json"),
            ["docker", "inspect", "kind-worker3"]: try Fixture.text("docker-inspect-kind-worker3.json"),
        ])
        let docker = CLIContainerRuntime(name: "docker", runner: runner)
        let network = try await docker.network(named: "kind")
        #expect(network.value.bridge == "br-db3e7f685321")
        #expect(network.value.subnet == "172.18.0.0/16")
        #expect(network.value.gateway == "172.18.0.1")
        #expect(network.value.endpoints["kind-control-plane"] == RuntimeEndpoint(mac: "02:42:ac:12:00:03", ip: "172.18.0.3"))
        #expect(network.provenance.source == "docker network inspect kind")
        let worker3 = try await docker.endpoint(of: "kind-worker3", on: "kind")
        #expect(worker3.value == RuntimeEndpoint(mac: "02:42:ac:12:00:05", ip: "172.18.0.5"))
        await #expect(throws: ProbeError.self) { _ = try await docker.endpoint(of: "kind-worker3", on: "bridge") }
    }

    @Test func podmanNetwork() async throws {
        let runner = RecordedRunner(answers: [["podman", "network", "inspect", "kind"]: try Fixture.text("podman-network-inspect-kind.json")])
        let found = await CLIContainerRuntime.detect(runner: runner, network: "kind", timeout: 5)
        #expect(found?.runtime.name == "podman")
        #expect(found?.network.value.bridge == "podman1")
        #expect(found?.network.value.subnet == "10.89.0.0/24")
    }
}

@Suite struct CaptureRecipeTests {
    func defaultFacts() throws -> Facts {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../content/facts/default.json")
        return try JSONDecoder().decode(Facts.self, from: Data(contentsOf: url))
    }

    @Test func labRecipeOnTheSeedFacts() throws {
        let plan = try CaptureRecipe(backend: "app=echoserver").plan(for: defaultFacts())
        #expect(plan.interface == "vethff61702")
        // The SYN arrives DNATed to the pod, the SYN-ACK leaves from the NodePort: both kept.
        #expect(plan.filter == "tcp port 31400 or (host 10.244.3.250 and tcp port 8080)")
        // One request, to the first worker that does not run the pod (the lab's "Node tiers").
        #expect(plan.urls == ["http://172.18.0.2:31400/"])
        #expect(plan.requireDSR)
        #expect(plan.map.contacted == "kind-worker")
        #expect(plan.map.backend == "kind-worker3")
        #expect(plan.map.veth == "vethff61702")
        #expect(plan.map.service == Facts.Endpoint(ip: "172.18.0.2", port: 31400))
        #expect(plan.map.pod == Facts.Endpoint(ip: "10.244.3.250", port: 8080))
        #expect(plan.map.nodes.map(\.mac) == ["02:42:ac:12:00:03", "02:42:ac:12:00:02", "02:42:ac:12:00:04", "02:42:ac:12:00:05"])
        #expect(plan.map.host.mac == "02:42:1f:d6:b7:3b")
    }

    /// The contacted node is never the pod's: for every placement, a worker other than it,
    /// the control plane only when no other worker exists, and a refusal on one node.
    @Test func contactedNodeForEveryClusterShape() throws {
        var facts = try defaultFacts()
        facts.pods[0].node = "kind-worker"
        #expect(try CaptureRecipe().plan(for: facts).map.contacted == "kind-worker2")
        facts.pods[0].node = "kind-control-plane"
        #expect(try CaptureRecipe().plan(for: facts).map.contacted == "kind-worker")
        facts.nodes = facts.nodes.filter { $0.role == .controlPlane || $0.name == "kind-worker" }
        facts.pods[0].node = "kind-worker"
        let two = try CaptureRecipe().plan(for: facts)
        #expect(two.map.contacted == "kind-control-plane")
        #expect(two.urls == ["http://172.18.0.3:31400/"])
        facts.nodes = facts.nodes.filter { $0.name == "kind-worker" }
        let alone = #expect(throws: ProbeError.self) { try CaptureRecipe().plan(for: facts) }
        #expect(alone?.summary.contains("DSR cannot be shown") == true)
        #expect(throws: ProbeError.self) { try CaptureRecipe(contact: "kind-worker9").plan(for: try defaultFacts()) }
        #expect(try CaptureRecipe(contact: "kind-worker2").plan(for: try defaultFacts()).urls == ["http://172.18.0.4:31400/"])
    }

    @Test func storePathsStayBelowTheFactsFolder() throws {
        let base = URL(fileURLWithPath: "/srv/workshop/facts/alice.json")
        let store = CaptureStore(factsFile: base)
        #expect(store.pcapFile.path == "/srv/workshop/facts/captures/alice/dsr.pcap")
        #expect(try store.relativePCAPPath() == "captures/alice/dsr.pcap")
        let inside = CaptureStore(factsFile: base, name: "second", pcapFile: URL(fileURLWithPath: "/srv/workshop/facts/pcaps/../x/2.pcap"))
        #expect(try inside.relativePCAPPath() == "x/2.pcap")
        let outside = CaptureStore(factsFile: base, pcapFile: URL(fileURLWithPath: "/srv/workshop/dsr.pcap"))
        let error = #expect(throws: ProbeError.self) { try outside.validate() }
        #expect(error?.summary.contains("is not below /srv/workshop/facts") == true)
        #expect(throws: ProbeError.self) { try CaptureStore(factsFile: base, name: "DSR run").validate() }
    }

    @Test func placeholdersAndErrors() throws {
        let facts = try defaultFacts()
        let plan = try CaptureRecipe(interface: .bridge, filter: "host {podIP} and port {port}",
                                     traffic: .urls(["http://{clusterIP}:{port}/"])).plan(for: facts)
        #expect(plan.interface == "br-db3e7f685321")
        #expect(plan.filter == "host 10.244.3.250 and port 80")
        #expect(plan.urls == ["http://10.96.88.153:80/"])
        #expect(throws: ProbeError.self) { try CaptureRecipe(filter: "port {nope}").plan(for: facts) }
        #expect(throws: ProbeError.self) { try CaptureRecipe(backend: "app=missing").plan(for: facts) }
    }
}

@Suite struct FactsFileTests {
    @Test func writesCanonicalBytesAndNoTemporaryFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lgp-write-\(randomID())")
        let url = directory.appendingPathComponent("facts.json")
        let facts = try CaptureRecipeTests().defaultFacts()
        try FactsFile.write(facts, to: url)
        #expect(try Data(contentsOf: url) == facts.encoded())
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["facts.json"])
    }

    /// A new probe replaces the cluster's values but keeps the captures recorded there.
    @Test func aProbeKeepsTheRecordedCaptures() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lgp-write-\(randomID())")
        let url = directory.appendingPathComponent("facts.json")
        var facts = try CaptureRecipeTests().defaultFacts()
        let plan = try CaptureRecipe().plan(for: facts)
        let capture = Facts.Capture(file: "captures/facts/dsr.pcap", takenAt: "2026-12-05T04:00:00Z",
                                    command: "tcpdump -n -i vethff61702", map: plan.map)
        facts.captures = ["dsr": capture]
        try FactsFile.write(facts, to: url)
        var probed = try CaptureRecipeTests().defaultFacts()
        probed.nodes[1].ip = "172.18.0.9"
        try FactsFile.writeProbed(probed, to: url)
        let written = try Facts.load(contentsOf: url)
        #expect(written.nodes[1].ip == "172.18.0.9")
        #expect(written.captures == ["dsr": capture])
        // Nothing to keep: the probed facts as they are.
        let fresh = directory.appendingPathComponent("fresh.json")
        try FactsFile.writeProbed(probed, to: fresh)
        #expect(try Data(contentsOf: fresh) == probed.encoded())
    }
}
