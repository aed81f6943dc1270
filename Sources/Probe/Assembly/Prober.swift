import Foundation
import Facts

/// What to probe and how patiently.
public struct ProbeOptions: Sendable {
    public var kubeconfig: String?
    public var context: String?
    /// Seconds allowed for each command.
    public var commandTimeout: Double
    /// The attendee's lab directory (not discoverable: taken from the option).
    public var labDirectory: String
    /// The container runtime network KinD uses.
    public var network: String
    /// Ask docker/podman for MACs and veths when present; iproute2 alone otherwise.
    public var useRuntime: Bool

    public init(kubeconfig: String? = nil, context: String? = nil, commandTimeout: Double = 20,
                labDirectory: String = "/home/lab/basic", network: String = "kind", useRuntime: Bool = true) {
        self.kubeconfig = kubeconfig
        self.context = context
        self.commandTimeout = commandTimeout
        self.labDirectory = labDirectory
        self.network = network
        self.useRuntime = useRuntime
    }
}

/// Reads one machine's KinD cluster into facts: Kubernetes first (which nodes exist), then the
/// host's bridge, then each node's MAC and veth. Every value keeps the command it came from.
public struct Prober: Sendable {
    public var runner: any CommandRunner
    public var options: ProbeOptions
    /// Overrides runtime detection (tests replay docker through it).
    public var runtime: (any ContainerRuntime)?

    public init(runner: any CommandRunner, options: ProbeOptions = ProbeOptions(), runtime: (any ContainerRuntime)? = nil) {
        self.runner = runner
        self.options = options
        self.runtime = runtime
    }

    public func probe() async throws -> Facts {
        let kube = KubeClient(runner: runner, kubeconfig: options.kubeconfig, context: options.context,
                              timeout: options.commandTimeout)
        let snapshot = try await kube.snapshot()
        let kubeNodes = snapshot.nodes.map(\.value)

        var runtime = self.runtime
        var network: Sourced<RuntimeNetwork>?
        if let runtime {
            network = try await runtime.network(named: options.network)
        } else if options.useRuntime,
                  let found = await CLIContainerRuntime.detect(runner: runner, network: options.network,
                                                               timeout: options.commandTimeout) {
            runtime = found.runtime
            network = found.network
        }

        let host = HostNetworkReader(runner: runner, timeout: options.commandTimeout)
        let bridge = try await host.bridge(holding: kubeNodes.map(\.ip), preferred: network?.value.bridge)
        if let wanted = network?.value.bridge, wanted != bridge.value.name {
            throw ProbeError("the \(options.network) network's bridge \(wanted) does not hold the nodes' addresses (found \(bridge.value.name))",
                             advice: "check `ip addr show \(wanted)` and `\(runtime?.name ?? "docker") network inspect \(options.network)`")
        }
        let bridgeMAC = try await host.bridgeMAC(bridge.value.name)
        let links = try await nodeLinks(kubeNodes, bridge: bridge.value.name, host: host,
                                        runtime: runtime, network: network)

        var provenance: [String: Facts.Provenance] = [
            "cluster": snapshot.cluster.provenance,
            "cluster.name": snapshot.nodes[0].provenance,
            "host": bridge.provenance,
            "host.bridge": network?.provenance ?? bridge.provenance,
            "host.mac": bridgeMAC.provenance,
            "nodes": snapshot.nodes[0].provenance,
            "services": snapshot.services.provenance,
            "pods": snapshot.pods.provenance,
            "cilium": snapshot.cilium.provenance,
            "cilium.version": snapshot.ciliumVersion.provenance,
            "lab": Facts.Provenance(source: "labgen probe --lab-dir (not discoverable)", at: snapshot.cluster.provenance.at),
        ]
        var nodes: [Facts.Node] = []
        for (index, node) in kubeNodes.enumerated() {
            let link = links[index]
            provenance["nodes[\(index)].mac"] = link.mac.provenance
            provenance["nodes[\(index)].veth"] = link.veth.provenance
            nodes.append(Facts.Node(name: node.name, role: node.role, ip: node.ip, mac: link.mac.value,
                                    veth: link.veth.value, podCIDR: node.podCIDR))
        }
        var cilium = snapshot.cilium.value
        cilium.version = snapshot.ciliumVersion.value
        return Facts(cluster: snapshot.cluster.value,
                     host: Facts.Host(bridge: bridge.value.name, ip: bridge.value.ip, mac: bridgeMAC.value.lowercased()),
                     nodes: nodes, services: snapshot.services.value, pods: snapshot.pods.value,
                     cilium: cilium, lab: Facts.Lab(directory: options.labDirectory), provenance: provenance)
    }

    struct Link { var mac: Sourced<String>; var veth: Sourced<String> }

    /// Each node's MAC and veth: from the runtime when it answers, else from the neighbour
    /// table and the bridge's forwarding database (pinging the nodes once if they are empty).
    func nodeLinks(_ nodes: [KubeClient.KubeNodeFacts], bridge: String, host: HostNetworkReader,
                   runtime: (any ContainerRuntime)?, network: Sourced<RuntimeNetwork>?) async throws -> [Link] {
        if let runtime, let network {
            let names = try await host.interfaceNames()
            var links: [Link] = []
            for node in nodes {
                let mac: Sourced<String>
                if let endpoint = network.value.endpoints[node.name] {
                    mac = Sourced(endpoint.mac, provenance: network.provenance)
                } else {
                    let endpoint = try await runtime.endpoint(of: node.name, on: options.network)
                    mac = Sourced(endpoint.value.mac, provenance: endpoint.provenance)
                }
                let index = try await runtime.eth0PeerIndex(of: node.name)
                guard let veth = names.value[index.value] else {
                    throw ProbeError("no host interface has ifindex \(index.value), the peer of \(node.name)'s eth0",
                                     advice: "probe the machine that runs the KinD containers (--ssh HOST)")
                }
                links.append(Link(mac: mac, veth: Sourced(veth, provenance: Facts.Provenance(
                    source: "\(index.provenance.source) ; \(names.provenance.source)", at: index.provenance.at))))
            }
            return links
        }

        var macs = try await host.neighbourMACs(on: bridge)
        var ports = try await host.learnedPorts(on: bridge)
        let incomplete = nodes.filter { node in macs[node.ip].map { ports[$0.value] == nil } ?? true }
        if !incomplete.isEmpty {
            for node in incomplete where CommandArgument.checkIP(node.ip) == nil {
                _ = try? await runner.run(["ping", "-c", "1", "-W", "1", node.ip], timeout: 3)
            }
            macs = try await host.neighbourMACs(on: bridge)
            ports = try await host.learnedPorts(on: bridge)
        }
        return try nodes.map { node in
            guard let mac = macs[node.ip] else {
                throw ProbeError("no neighbour entry (MAC) for node \(node.name) (\(node.ip)) on \(bridge)",
                                 advice: "run `ping -c1 \(node.ip)` on the host to fill the neighbour table, then probe again")
            }
            guard let veth = ports[mac.value] else {
                throw ProbeError("the bridge \(bridge) has not learned \(node.name)'s MAC \(mac.value) on any port",
                                 advice: "run `ping -c1 \(node.ip)` on the host to refresh the bridge's forwarding table, then probe again")
            }
            return Link(mac: mac, veth: veth)
        }
    }
}
