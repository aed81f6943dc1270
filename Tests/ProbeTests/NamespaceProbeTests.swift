import Facts
import Foundation
import Packets
import Testing
@testable import Probe

/// The probe and capture against the real kernel: a KinD-shaped topology in network
/// namespaces, the real `ip`/`bridge`/`tcpdump`/`kubectl`, and the replayed API.
@Suite(.serialized, .enabled(if: Capability.netns, "needs root and `ip netns` (CI runs as root)"))
struct NamespaceProbeTests {
    /// What the topology script and the API fixtures configure, as facts.
    func expected(_ topology: Topology) -> (host: Facts.Host, nodes: [Facts.Node]) {
        let host = Facts.Host(bridge: topology.bridge, ip: "172.18.0.1", mac: "02:42:1f:d6:b7:3b")
        let nodes = [("kind-control-plane", Facts.Role.controlPlane, 3, "10.244.0.0/24"),
                     ("kind-worker", .worker, 2, "10.244.1.0/24"),
                     ("kind-worker2", .worker, 4, "10.244.2.0/24"),
                     ("kind-worker3", .worker, 5, "10.244.3.0/24")].map { name, role, octet, cidr in
            Facts.Node(name: name, role: role, ip: "172.18.0.\(octet)", mac: "02:42:ac:12:00:0\(octet)",
                       veth: topology.veth(lastOctet: octet), podCIDR: cidr)
        }
        return (host, nodes)
    }

    func withCluster(_ body: (Topology, KubeReplay) async throws -> Void) async throws {
        let topology = try await Topology.up()
        do {
            let replay = try await KubeReplay.start(runner: topology.hostRunner)
            do { try await body(topology, replay) } catch {
                await replay.stop()
                throw error
            }
            await replay.stop()
        } catch {
            await topology.down()
            throw error
        }
        await topology.down()
    }

    @Test func probedFactsEqualTheConfiguredTopology() async throws {
        try await withCluster { topology, replay in
            let options = ProbeOptions(kubeconfig: replay.kubeconfig.path, context: "kind-kind", useRuntime: false)
            let facts = try await Prober(runner: topology.hostRunner, options: options).probe()
            let want = expected(topology)
            #expect(facts.host == want.host)
            #expect(facts.nodes == want.nodes)
            #expect(facts.cluster == Facts.Cluster(name: "kind", kubernetesVersion: "v1.25.3"))
            #expect(facts.cilium == Facts.Cilium(version: "1.12.2", kubeProxyReplacement: "strict",
                                                 loadBalancerMode: "dsr", routingMode: "native", tunnel: "disabled"))
            #expect(facts.services == [
                Facts.Service(namespace: "default", name: "kubernetes", type: "ClusterIP", clusterIP: "10.96.0.1",
                              ports: [Facts.Port(name: "https", port: 443, targetPort: 6443)]),
                Facts.Service(namespace: "default", name: "svc-echoserver", type: "NodePort", clusterIP: "10.96.88.153",
                              ports: [Facts.Port(port: 80, targetPort: 8080, nodePort: 31400)]),
            ])
            #expect(facts.pods == [Facts.Pod(namespace: "default", name: "echoserver-7d9c8f6b5-x2k4p", ip: "10.244.3.250",
                                             node: "kind-worker3", labels: ["app": "echoserver", "pod-template-hash": "7d9c8f6b5"])])

            // Every value says which command produced it.
            for index in facts.nodes.indices {
                #expect(facts.provenance(for: "nodes[\(index)].mac")?.source.contains("ip -j neigh show dev \(topology.bridge)") == true)
                #expect(facts.provenance(for: "nodes[\(index)].veth")?.source.contains("bridge -j fdb show br \(topology.bridge)") == true)
                #expect(facts.provenance(for: "nodes[\(index)].ip")?.source.contains("kubectl") == true)
            }
            #expect(facts.provenance(for: "host.mac")?.source.contains("ip -j link show dev \(topology.bridge)") == true)
            #expect(facts.provenance(for: "host.ip")?.source.contains("ip -j addr show") == true)
            #expect(facts.provenance(for: "cilium.loadBalancerMode")?.source.contains("get configmap cilium-config -o json") == true)
            #expect(facts.provenance(for: "cilium.version")?.source.contains("get daemonset cilium -o json") == true)
            #expect(facts.provenance(for: "services[1].ports")?.source.contains("get services --all-namespaces -o json") == true)
            #expect(facts.provenance["*"] == nil)
            let formatter = ISO8601DateFormatter()
            for entry in facts.provenance.values where !entry.source.hasPrefix("labgen") {
                let at = try #require(formatter.date(from: entry.at))
                #expect(abs(at.timeIntervalSinceNow) < 600)
            }
            // kubectl used the kubeconfig; its token never reaches the facts.
            let encoded = String(decoding: try facts.encoded(), as: UTF8.self)
            #expect(!encoded.contains(KubeReplay.token))
            #expect(try Facts(from: facts.encoded()) == facts)
        }
    }

    @Test func dockerAnswersGiveTheSameFacts() async throws {
        try await withCluster { topology, replay in
            let network = try Fixture.text("docker-network-inspect-kind.json")
                .replacingOccurrences(of: "db3e7f685321", with: topology.id)
            let docker = ReplayedDocker(base: topology.hostRunner, topology: topology, networkJSON: network)
            let options = ProbeOptions(kubeconfig: replay.kubeconfig.path, useRuntime: true)
            let facts = try await Prober(runner: docker, options: options).probe()
            let want = expected(topology)
            #expect(facts.host == want.host)
            #expect(facts.nodes == want.nodes)
            #expect(facts.provenance(for: "host.bridge")?.source.contains("docker network inspect kind") == true)
            #expect(facts.provenance(for: "nodes[3].mac")?.source.contains("docker network inspect kind") == true)
            #expect(facts.provenance(for: "nodes[3].veth")?.source.contains("docker exec kind-worker3 cat /sys/class/net/eth0/iflink") == true)
        }
    }

    @Test func noKindNetworkIsAClearError() async throws {
        // The API answers, but this "machine" (an empty namespace) has no bridge for the nodes.
        let namespace = "lgp-\(randomID())-e"
        _ = try await LocalRunner().output(["ip", "netns", "add", namespace], timeout: 10)
        let runner = LocalRunner(prefix: ["ip", "netns", "exec", namespace])
        var caught: ProbeError?
        do {
            _ = try await runner.output(["ip", "link", "set", "lo", "up"], timeout: 10)
            let replay = try await KubeReplay.start(runner: runner)
            let options = ProbeOptions(kubeconfig: replay.kubeconfig.path, useRuntime: false)
            caught = await #expect(throws: ProbeError.self) { try await Prober(runner: runner, options: options).probe() }
            await replay.stop()
        } catch {
            Issue.record(error)
        }
        _ = try? await LocalRunner().run(["ip", "netns", "del", namespace], timeout: 10)
        #expect(caught?.summary.contains("no KinD network") == true)
        #expect(caught?.advice.contains("docker network inspect kind") == true)
    }

    @Test func captureOnTheBackendVethDecodesToSynSynAck() async throws {
        try await withCluster { topology, replay in
            let options = ProbeOptions(kubeconfig: replay.kubeconfig.path, useRuntime: false)
            let facts = try await Prober(runner: topology.hostRunner, options: options).probe()
            // Plain HTTP to the backend's own node (no Cilium here): the handshake, no DSR option.
            let recipe = CaptureRecipe(interface: .vethOfBackend, filter: "tcp port {nodePort}",
                                       traffic: .urls(["http://{backendNodeIP}:{nodePort}/"]),
                                       backend: "app=echoserver", packetCount: 50, duration: 20, requireDSR: false)
            let plan = try recipe.plan(for: facts)
            #expect(plan.interface == topology.veth(lastOctet: 5))
            #expect(plan.filter == "tcp port 31400")
            let factsFile = replay.directory.appendingPathComponent("facts/dsr.json")
            try FactsFile.write(facts, to: factsFile)
            let store = CaptureStore(factsFile: factsFile, name: "plain")
            let taken = try await Capturer(runner: topology.hostRunner).capture(plan)
            try store.save(taken, plan: plan, into: facts)
            let output = store.pcapFile
            let report = taken.report
            #expect((report.packetsCaptured ?? 0) >= 3, "\(report.traffic)")
            #expect(report.traffic == ["curl http://172.18.0.5:31400/ → exit 0"])
            #expect(report.dsrSYNs == 0)
            #expect(taken.command.contains("tcpdump -n -U --immediate-mode -i \(topology.veth(lastOctet: 5))"))
            #expect(taken.command.hasSuffix("-- 'tcp port 31400'"), "\(taken.command)")
            let recorded = try #require(try Facts.load(contentsOf: factsFile).captures?["plain"])
            #expect(recorded.file == "captures/dsr/plain.pcap")
            #expect(recorded.map.backend == "kind-worker3")
            #expect(recorded.map.contacted == "kind-worker")
            #expect(recorded.map.veth == topology.veth(lastOctet: 5))

            // tshark is the oracle: the handshake with the backend node, as seen on its veth.
            let fields = try await LocalRunner().output(
                ["tshark", "-r", output.path, "-T", "fields", "-e", "ip.src", "-e", "ip.dst",
                 "-e", "tcp.flags.syn", "-e", "tcp.flags.ack", "-e", "eth.src"], timeout: 30).stdoutText
            let rows = fields.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
            #expect(rows.first == ["172.18.0.1", "172.18.0.5", "1", "0", "02:42:1f:d6:b7:3b"])
            #expect(rows.dropFirst().first == ["172.18.0.5", "172.18.0.1", "1", "1", "02:42:ac:12:00:05"])
            // Only the backend's traffic crosses its veth: the other nodes' refusals do not.
            #expect(rows.allSatisfy { $0[0] == "172.18.0.5" || $0[1] == "172.18.0.5" })
            // And labgen's own decoder reads the same handshake.
            let packets = try PacketDecoder.decodeFile(output.path)
            let syn = try DisplayFilter("tcp.flags.syn == 1 && tcp.flags.ack == 0")
            let synAck = try DisplayFilter("tcp.flags.syn == 1 && tcp.flags.ack == 1")
            #expect(packets.count == rows.count)
            #expect(packets.first.map { $0.matches(syn) } == true, "\(packets.first?.summary ?? "")")
            #expect(packets.dropFirst().first.map { $0.matches(synAck) } == true, "\(packets.dropFirst().first?.summary ?? "")")
            #expect(packets.allSatisfy { $0.issue == nil })
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)
            #expect(leftovers == ["plain.pcap"])

            // The same traffic as a DSR capture: no SYN carries the option, so it is refused
            // and the previous pcap and facts stay byte for byte.
            let before = (try Data(contentsOf: factsFile), try Data(contentsOf: output))
            var dsr = plan
            dsr.requireDSR = true
            let refused = await #expect(throws: ProbeError.self) {
                let again = try await Capturer(runner: topology.hostRunner).capture(dsr)
                try CaptureStore(factsFile: factsFile, name: "plain").save(again, plan: dsr, into: facts)
            }
            #expect(refused?.summary.contains("no SYN carrying Cilium's DSR option (IPv4 option 0x9a)") == true, "\(String(describing: refused))")
            #expect(refused?.advice.contains("the request reached the pod's own node") == true)
            #expect(try Data(contentsOf: factsFile) == before.0)
            #expect(try Data(contentsOf: output) == before.1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: factsFile.deletingLastPathComponent().path).sorted()
                    == ["captures", "dsr.json"])
        }
    }
}

extension Facts {
    init(from data: Data) throws { self = try JSONDecoder().decode(Facts.self, from: data) }
}
