import Foundation

/// One attendee's cluster, as the handout needs it.
///
/// This is the contract between `labgen probe` (which writes it) and `labgen build` (which
/// fills lab pages from it), so it is versioned (`schema`) and every value can be traced back
/// to the command or file it came from (`provenance`).
public struct Facts: Codable, Equatable, Sendable {
    /// The only schema this build of labgen reads and writes.
    public static let currentSchema = "labgen.facts/v1"

    public var schema: String
    public var cluster: Cluster
    public var host: Host
    public var nodes: [Node]
    public var services: [Service]
    public var pods: [Pod]
    public var cilium: Cilium
    public var lab: Lab
    /// Where each value came from, keyed by a path into this document (`nodes[2].mac`,
    /// `host`, or `*` for everything). The longest matching prefix wins, so a probe can
    /// record one entry per command and refine it per value.
    public var provenance: [String: Provenance]
    /// Free text for humans (why a default was chosen); never rendered into pages.
    public var comment: [String]?
    /// Packet captures taken on this cluster, by name (`dsr`), each with its cluster map.
    public var captures: [String: Capture]?

    public init(schema: String = Facts.currentSchema, cluster: Cluster, host: Host, nodes: [Node],
                services: [Service], pods: [Pod], cilium: Cilium, lab: Lab,
                provenance: [String: Provenance], comment: [String]? = nil, captures: [String: Capture]? = nil) {
        self.schema = schema
        self.cluster = cluster
        self.host = host
        self.nodes = nodes
        self.services = services
        self.pods = pods
        self.cilium = cilium
        self.lab = lab
        self.provenance = provenance
        self.comment = comment
        self.captures = captures
    }

    public struct Cluster: Codable, Equatable, Sendable {
        public var name: String
        public var kubernetesVersion: String
        public init(name: String, kubernetesVersion: String) {
            self.name = name
            self.kubernetesVersion = kubernetesVersion
        }
    }

    /// The machine running KinD: the docker bridge of the `kind` network and its address.
    public struct Host: Codable, Equatable, Sendable {
        public var bridge: String
        public var ip: String
        public var mac: String
        public init(bridge: String, ip: String, mac: String) {
            self.bridge = bridge
            self.ip = ip
            self.mac = mac
        }
    }

    public enum Role: String, Codable, Equatable, Sendable {
        case controlPlane = "control-plane"
        case worker
    }

    public struct Node: Codable, Equatable, Sendable {
        public var name: String
        public var role: Role
        /// The node's InternalIP on the KinD network.
        public var ip: String
        public var mac: String
        /// Host-side veth paired with the node container's eth0.
        public var veth: String
        public var podCIDR: String
        public init(name: String, role: Role, ip: String, mac: String, veth: String, podCIDR: String) {
            self.name = name
            self.role = role
            self.ip = ip
            self.mac = mac
            self.veth = veth
            self.podCIDR = podCIDR
        }
    }

    public struct Service: Codable, Equatable, Sendable {
        public var namespace: String
        public var name: String
        public var type: String
        public var clusterIP: String
        public var ports: [Port]
        public init(namespace: String, name: String, type: String, clusterIP: String, ports: [Port]) {
            self.namespace = namespace
            self.name = name
            self.type = type
            self.clusterIP = clusterIP
            self.ports = ports
        }
    }

    public struct Port: Codable, Equatable, Sendable {
        public var name: String?
        public var port: Int
        public var targetPort: Int
        public var nodePort: Int?
        public var `protocol`: String
        public init(name: String? = nil, port: Int, targetPort: Int, nodePort: Int? = nil, protocol: String = "TCP") {
            self.name = name
            self.port = port
            self.targetPort = targetPort
            self.nodePort = nodePort
            self.protocol = `protocol`
        }
    }

    public struct Pod: Codable, Equatable, Sendable {
        public var namespace: String
        public var name: String
        public var ip: String
        public var node: String
        public var labels: [String: String]
        public init(namespace: String, name: String, ip: String, node: String, labels: [String: String]) {
            self.namespace = namespace
            self.name = name
            self.ip = ip
            self.node = node
            self.labels = labels
        }
    }

    public struct Cilium: Codable, Equatable, Sendable {
        public var version: String
        /// `strict`, `partial`, `disabled` (1.12) or `true`/`false` (later releases).
        public var kubeProxyReplacement: String
        /// `dsr`, `snat` or `hybrid`; Cilium treats an absent `bpf-lb-mode` as `snat`.
        public var loadBalancerMode: String
        /// `native` or `tunnel`; DSR needs `native`.
        public var routingMode: String
        /// `disabled`, `vxlan` or `geneve`.
        public var tunnel: String
        public init(version: String, kubeProxyReplacement: String, loadBalancerMode: String,
                    routingMode: String, tunnel: String) {
            self.version = version
            self.kubeProxyReplacement = kubeProxyReplacement
            self.loadBalancerMode = loadBalancerMode
            self.routingMode = routingMode
            self.tunnel = tunnel
        }
    }

    public struct Lab: Codable, Equatable, Sendable {
        /// Where the attendee's copy of the lab files lives on their VM.
        public var directory: String
        public init(directory: String) { self.directory = directory }
    }

    public struct Provenance: Codable, Equatable, Sendable {
        /// The command (as an argument list joined for display) or file the value came from.
        public var source: String
        /// ISO-8601 time of collection; fixed for default facts so builds stay reproducible.
        public var at: String
        public init(source: String, at: String) {
            self.source = source
            self.at = at
        }
    }
}

extension Facts {
    /// The provenance recorded for `path`, by longest matching prefix (`nodes[2].mac` →
    /// `nodes[2]` → `nodes` → `*`).
    public func provenance(for path: String) -> Provenance? {
        var candidate = path
        while true {
            if let found = provenance[candidate] { return found }
            guard let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            candidate = String(candidate[..<cut])
        }
        return provenance["*"]
    }

    /// Canonical JSON: sorted keys and stable formatting, so the same facts always produce
    /// the same bytes (facts files are diffed and committed by instructors).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}
