import Foundation
import Facts

/// What a lab captures: where, which packets, and the traffic that makes them.
///
/// Placeholders in `filter` and `urls` are filled from the facts: `{nodePort}`, `{port}`,
/// `{clusterIP}` (of `service`), `{hostIP}`, `{backendNodeIP}`, `{podIP}` (of `backend`).
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
        /// One `curl` to the service's NodePort on every node IP (the lab's DSR test).
        case nodePort
        /// One `curl` per URL.
        case urls([String])
        /// Nothing: the traffic comes from elsewhere during `duration`.
        case none
    }

    public var interface: Interface
    public var filter: String
    public var traffic: Traffic
    /// `name` or `namespace/name`; default: the first NodePort service.
    public var service: String?
    /// A pod label `key=value`; default: the first selector-matching pod of the service.
    public var backend: String?
    /// tcpdump stops after this many packets…
    public var packetCount: Int
    /// …or after this many seconds.
    public var duration: Double

    public init(interface: Interface = .vethOfBackend, filter: String = "tcp port {nodePort}",
                traffic: Traffic = .nodePort, service: String? = nil, backend: String? = nil,
                packetCount: Int = 100, duration: Double = 15) {
        self.interface = interface
        self.filter = filter
        self.traffic = traffic
        self.service = service
        self.backend = backend
        self.packetCount = packetCount
        self.duration = duration
    }

    /// The recipe made concrete for one attendee's facts.
    public struct Plan: Sendable, Equatable {
        public var interface: String
        public var filter: String
        public var urls: [String]
        public var packetCount: Int
        public var duration: Double
    }

    public func plan(for facts: Facts) throws -> Plan {
        let service = try chosenService(in: facts)
        let nodePort = service?.ports.compactMap(\.nodePort).first
        let pod = try backendPod(in: facts, service: service)
        let backendNode = pod.flatMap { pod in facts.nodes.first { $0.name == pod.node } }
        var values: [String: String] = ["hostIP": facts.host.ip]
        if let service {
            values["clusterIP"] = service.clusterIP
            values["port"] = service.ports.first.map { String($0.port) }
        }
        values["nodePort"] = nodePort.map(String.init)
        values["podIP"] = pod?.ip
        values["backendNodeIP"] = backendNode?.ip

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
            urls = facts.nodes.map { "http://\($0.ip):\(nodePort)/" }
        }
        return Plan(interface: interfaceName, filter: try Self.fill(filter, values), urls: urls,
                    packetCount: packetCount, duration: duration)
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
                                 advice: "known placeholders: {nodePort} {port} {clusterIP} {hostIP} {backendNodeIP} {podIP}")
            }
            output += value
            rest = rest[rest.index(after: close)...]
        }
        return output + rest
    }
}
