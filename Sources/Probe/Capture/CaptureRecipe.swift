import Foundation
import Facts

/// What a lab captures: where, which packets, and the traffic that makes them.
///
/// The default is the DSR lab's: one request to the service's NodePort on a node that does
/// not run the pod (a worker if there is one), captured on the veth of the pod's node with a
/// filter that keeps both packets DSR is about: the SYN, which arrives there DNATed to
/// podIP:targetPort and carries Cilium's option, and the SYN-ACK the backend sends straight
/// back from the NodePort.
///
/// Placeholders in `filter` and `urls` are filled from the facts: `{nodePort}`, `{port}`,
/// `{targetPort}`, `{clusterIP}` (of `service`), `{hostIP}`, `{contactedIP}`,
/// `{backendNodeIP}`, `{podIP}` (of `backend`).
public struct CaptureRecipe: Sendable, Equatable {
    public enum Interface: Sendable, Equatable {
        /// The KinD bridge (`facts.host.bridge`).
        case bridge
        /// The host veth of the node that runs the pod matching `backend`.
        case vethOfBackend
        case named(String)

        public init(_ text: String) {
            switch text {
            case "bridge": self = .bridge
            case "veth-of-backend": self = .vethOfBackend
            default: self = .named(text)
            }
        }
    }

    public enum Traffic: Sendable, Equatable {
        /// One `curl` to the service's NodePort on the contacted node (the lab's DSR test).
        case nodePort
        /// One `curl` per URL.
        case urls([String])
        /// Nothing: the traffic comes from elsewhere during `duration`.
        case none
    }

    /// The lab's filter: the NodePort (SYN-ACK from the service address) or the pod's
    /// address and target port (the SYN after Cilium's DNAT).
    public static let dsrFilter = "tcp port {nodePort} or (host {podIP} and tcp port {targetPort})"

    public var interface: Interface
    public var filter: String
    public var traffic: Traffic
    /// `name` or `namespace/name`; default: the first NodePort service.
    public var service: String?
    /// A pod label `key=value`; default: the first pod of the service's namespace.
    public var backend: String?
    /// The node the request goes to; default: one not running the pod, a worker if possible.
    public var contact: String?
    /// tcpdump stops after this many packets…
    public var packetCount: Int
    /// …or after this many seconds.
    public var duration: Double
    /// Refuse a capture with no SYN carrying Cilium's DSR option.
    public var requireDSR: Bool

    public init(interface: Interface = .vethOfBackend, filter: String = CaptureRecipe.dsrFilter,
                traffic: Traffic = .nodePort, service: String? = nil, backend: String? = nil,
                contact: String? = nil, packetCount: Int = 100, duration: Double = 15, requireDSR: Bool = true) {
        self.interface = interface
        self.filter = filter
        self.traffic = traffic
        self.service = service
        self.backend = backend
        self.contact = contact
        self.packetCount = packetCount
        self.duration = duration
        self.requireDSR = requireDSR
    }

    /// The recipe made concrete for one attendee's facts.
    public struct Plan: Sendable, Equatable {
        public var interface: String
        public var filter: String
        public var urls: [String]
        public var packetCount: Int
        public var duration: Double
        public var requireDSR: Bool
        /// The cluster as the capture will see it, recorded with the capture.
        public var map: Facts.CaptureMap
    }

    /// - Parameters:
    ///   - facts: the attendee's cluster.
    public func plan(for facts: Facts) throws -> Plan {
        let service = try chosenService(in: facts)
        let port = service?.ports.first { $0.nodePort != nil } ?? service?.ports.first
        let nodePort = port?.nodePort
        let pod = try backendPod(in: facts, service: service)
        let backendNode = pod.flatMap { pod in facts.nodes.first { $0.name == pod.node } }
        let contacted = try contactedNode(in: facts, backend: backendNode)
        var values: [String: String] = ["hostIP": facts.host.ip]
        if let service {
            values["clusterIP"] = service.clusterIP
            values["port"] = port.map { String($0.port) }
            values["targetPort"] = port.map { String($0.targetPort) }
        }
        values["nodePort"] = nodePort.map(String.init)
        values["podIP"] = pod?.ip
        values["backendNodeIP"] = backendNode?.ip
        values["contactedIP"] = contacted?.ip

        let interfaceName: String
        switch interface {
        case .bridge: interfaceName = facts.host.bridge
        case .named(let name): interfaceName = name
        case .vethOfBackend:
            guard let backendNode else {
                throw ProbeError("no backend pod\(backend.map { " labelled \($0)" } ?? "") in the facts, so no backend veth",
                                 advice: "pass --backend KEY=VALUE matching a pod in the facts, or --interface bridge")
            }
            interfaceName = backendNode.veth
        }
        let urls: [String]
        switch traffic {
        case .none: urls = []
        case .urls(let list): urls = try list.map { try Self.fill($0, values) }
        case .nodePort:
            guard let nodePort else {
                throw ProbeError("no NodePort service in the facts to send traffic to",
                                 advice: "pass --service NAME of a NodePort service, or --url URL")
            }
            guard let contacted else {
                throw ProbeError("no node to send the request to", advice: "pass --contact NODE or --url URL")
            }
            urls = ["http://\(Self.urlHost(contacted.ip)):\(nodePort)/"]
        }
        if let problem = CommandArgument.checkInterface(interfaceName) {
            throw ProbeError(problem, advice: "pass --interface bridge, veth-of-backend or an interface name from `ip link`")
        }
        for url in urls {
            if let problem = CommandArgument.checkURL(url) {
                throw ProbeError(problem, advice: "pass --url http://HOST:PORT/PATH")
            }
        }
        let map = Facts.CaptureMap(facts, contacted: contacted?.name, backend: backendNode?.name, veth: interfaceName,
                                   service: contacted.flatMap { c in nodePort.map { Facts.Endpoint(ip: c.ip, port: $0) } },
                                   pod: pod.flatMap { p in port.map { Facts.Endpoint(ip: p.ip, port: $0.targetPort) } })
        return Plan(interface: interfaceName, filter: try Self.fill(filter, values), urls: urls,
                    packetCount: packetCount, duration: duration, requireDSR: requireDSR, map: map)
    }

    /// The node the request goes to: `contact` if given, else the first worker not running
    /// the pod, else any node not running it. DSR only shows when the request reaches a node
    /// other than the backend's: with no such node there is nothing to capture.
    /// - Parameters:
    ///   - facts: the cluster.
    ///   - backend: the node running the pod, if known.
    func contactedNode(in facts: Facts, backend: Facts.Node?) throws -> Facts.Node? {
        if let contact {
            guard let node = facts.nodes.first(where: { $0.name == contact }) else {
                throw ProbeError("no node \(contact) in the facts",
                                 advice: "pick one of: \(facts.nodes.map(\.name).joined(separator: ", "))")
            }
            return node
        }
        guard let backend else { return facts.nodes.first { $0.role == .worker } ?? facts.nodes.first }
        guard let node = facts.contactNode(avoiding: backend.name) else {
            if traffic != .nodePort { return nil }
            throw ProbeError("the pod runs on \(backend.name), the cluster's only node: a request to a NodePort cannot reach another node, so DSR cannot be shown",
                             advice: "add a worker to the KinD cluster (kind-config.yaml) and recreate it")
        }
        return node
    }

    func chosenService(in facts: Facts) throws -> Facts.Service? {
        guard let service else {
            return facts.services.first { $0.ports.contains { $0.nodePort != nil } }
        }
        let parts = service.split(separator: "/").map(String.init)
        let found = facts.services.first { parts.count == 2 ? ($0.namespace == parts[0] && $0.name == parts[1]) : $0.name == service }
        guard let found else {
            throw ProbeError("no service \(service) in the facts",
                             advice: "pick one of: \(facts.services.map { "\($0.namespace)/\($0.name)" }.joined(separator: ", "))")
        }
        return found
    }

    func backendPod(in facts: Facts, service: Facts.Service?) throws -> Facts.Pod? {
        guard let backend else {
            return facts.pods.first { $0.namespace == (service?.namespace ?? "default") }
        }
        let pair = backend.split(separator: "=", maxSplits: 1).map(String.init)
        guard pair.count == 2 else {
            throw ProbeError("--backend \(backend) is not KEY=VALUE", advice: "e.g. --backend app=echoserver")
        }
        return facts.pods.first { $0.labels[pair[0]] == pair[1] }
    }

    static func urlHost(_ ip: String) -> String { ip.contains(":") ? "[\(ip)]" : ip }

    static func fill(_ template: String, _ values: [String: String]) throws -> String {
        var output = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw ProbeError("unclosed { in \(template)", advice: "write placeholders as {nodePort}")
            }
            let key = String(rest[rest.index(after: open)..<close])
            guard let value = values[key] else {
                throw ProbeError("{\(key)} in \(template) has no value in these facts",
                                 advice: "known placeholders: {nodePort} {port} {targetPort} {clusterIP} {hostIP} {contactedIP} {backendNodeIP} {podIP}")
            }
            output += value
            rest = rest[rest.index(after: close)...]
        }
        return output + rest
    }
}
