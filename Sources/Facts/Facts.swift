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
    /// The author's own parameters (`${{ vars.repo }}`): declared with their types and
    /// defaults in course.yaml, set per attendee here. Empty: not written.
    public var vars: [String: VarValue]
    /// False for a facts file without the KinD/Cilium part (only `schema` and `vars`), or no
    /// facts file at all: a course that uses no cluster value needs none. The cluster fields
    /// then hold placeholders that no page can reach (`FactsContext` leaves them out).
    public var describesCluster: Bool
    /// The folder of the file these facts were read from, against which a capture's `file`
    /// is resolved; not part of the document.
    public var directory: String?
    /// True for the content's own default facts (the original lab's cluster, not a reader's):
    /// pages say so (`default_facts` in the parameter language). Not part of the document.
    public var isDefault = false

    public init(schema: String = Facts.currentSchema, cluster: Cluster, host: Host, nodes: [Node],
                services: [Service], pods: [Pod], cilium: Cilium, lab: Lab,
                provenance: [String: Provenance], comment: [String]? = nil, captures: [String: Capture]? = nil,
                vars: [String: VarValue] = [:]) {
        self.vars = vars
        self.describesCluster = true
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
    /// The KinD/Cilium keys: all present (what `labgen probe` writes) or all absent.
    enum CodingKeys: String, CodingKey {
        case schema, cluster, host, nodes, services, pods, cilium, lab, provenance, comment, captures, vars
    }

    static let clusterKeys: [CodingKeys] = [.cluster, .host, .nodes, .services, .pods, .cilium, .lab]

    /// Top-level names a page reaches only when the facts describe a cluster.
    public static let clusterNames: Set<String> = Set(clusterKeys.map(\.rawValue))

    /// Facts without a cluster: what a course that uses no KinD/Cilium value builds with.
    public static func withoutCluster(vars: [String: VarValue] = [:]) -> Facts {
        var facts = Facts(cluster: .init(name: "", kubernetesVersion: ""), host: .init(bridge: "", ip: "", mac: ""),
                          nodes: [], services: [], pods: [],
                          cilium: .init(version: "", kubeProxyReplacement: "", loadBalancerMode: "", routingMode: "", tunnel: ""),
                          lab: .init(directory: ""), provenance: [:], vars: vars)
        facts.describesCluster = false
        return facts
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let schema = try c.decode(String.self, forKey: .schema)
        let vars = try c.decodeIfPresent([String: VarValue].self, forKey: .vars) ?? [:]
        let comment = try c.decodeIfPresent([String].self, forKey: .comment)
        let captures = try c.decodeIfPresent([String: Capture].self, forKey: .captures)
        guard Self.clusterKeys.contains(where: c.contains) else {
            self = .withoutCluster(vars: vars)
            self.schema = schema
            self.comment = comment
            self.captures = captures
            provenance = try c.decodeIfPresent([String: Provenance].self, forKey: .provenance) ?? [:]
            return
        }
        self.init(schema: schema, cluster: try c.decode(Cluster.self, forKey: .cluster), host: try c.decode(Host.self, forKey: .host),
                  nodes: try c.decode([Node].self, forKey: .nodes), services: try c.decode([Service].self, forKey: .services),
                  pods: try c.decode([Pod].self, forKey: .pods), cilium: try c.decode(Cilium.self, forKey: .cilium),
                  lab: try c.decode(Lab.self, forKey: .lab),
                  provenance: try c.decode([String: Provenance].self, forKey: .provenance), comment: comment,
                  captures: captures, vars: vars)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        if describesCluster {
            try c.encode(cluster, forKey: .cluster)
            try c.encode(host, forKey: .host)
            try c.encode(nodes, forKey: .nodes)
            try c.encode(services, forKey: .services)
            try c.encode(pods, forKey: .pods)
            try c.encode(cilium, forKey: .cilium)
            try c.encode(lab, forKey: .lab)
        }
        if describesCluster || !provenance.isEmpty { try c.encode(provenance, forKey: .provenance) }
        try c.encodeIfPresent(comment, forKey: .comment)
        try c.encodeIfPresent(captures, forKey: .captures)
        if !vars.isEmpty { try c.encode(vars, forKey: .vars) }
    }
}

/// The value of an author-defined parameter: a JSON string, integer or boolean.
public enum VarValue: Codable, Equatable, Sendable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case boolean(Bool)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .boolean(b); return }
        if let i = try? c.decode(Int.self) { self = .integer(i); return }
        self = .string(try c.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .integer(let i): try c.encode(i)
        case .boolean(let b): try c.encode(b)
        }
    }

    public var description: String {
        switch self {
        case .string(let s): s
        case .integer(let i): String(i)
        case .boolean(let b): String(b)
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
