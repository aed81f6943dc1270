import Foundation

/// A packet capture taken on an attendee's cluster, recorded in their facts (`captures.dsr`)
/// with the cluster map of the moment it was taken: which MAC and IP were which node, the
/// host's bridge, the veth listened on. A page annotates the packets from this map, never
/// from whatever the facts say later (addresses move when a cluster is recreated).
extension Facts {
    public struct Capture: Codable, Equatable, Sendable {
        /// The pcap, relative to the folder of the facts file (or of the map file) naming it.
        public var file: String
        /// ISO-8601 time the capture was taken.
        public var takenAt: String
        /// The capture command as run (for humans; never run again).
        public var command: String
        public var map: CaptureMap

        public init(file: String, takenAt: String, command: String, map: CaptureMap) {
            self.file = file
            self.takenAt = takenAt
            self.command = command
            self.map = map
        }
    }

    /// Who was who on the wire when a capture was taken.
    public struct CaptureMap: Codable, Equatable, Sendable {
        public var host: Host
        public var nodes: [MapNode]
        /// The node the client's request was sent to, and the node running the backend pod.
        public var contacted: String?
        public var backend: String?
        /// The host-side interface the capture listened on.
        public var veth: String?
        /// The NodePort service as the client addressed it, and the pod it was sent to.
        public var service: Endpoint?
        public var pod: Endpoint?

        public init(host: Host, nodes: [MapNode], contacted: String? = nil, backend: String? = nil,
                    veth: String? = nil, service: Endpoint? = nil, pod: Endpoint? = nil) {
            self.host = host
            self.nodes = nodes
            self.contacted = contacted
            self.backend = backend
            self.veth = veth
            self.service = service
            self.pod = pod
        }
    }

    /// A node as the capture saw it.
    public struct MapNode: Codable, Equatable, Sendable {
        public var name: String
        public var ip: String
        public var mac: String
        public var role: Role
        public var veth: String
        public init(name: String, ip: String, mac: String, role: Role, veth: String) {
            self.name = name
            self.ip = ip
            self.mac = mac
            self.role = role
            self.veth = veth
        }
    }

    /// An address and port.
    public struct Endpoint: Codable, Equatable, Sendable {
        public var ip: String
        public var port: Int
        public init(ip: String, port: Int) {
            self.ip = ip
            self.port = port
        }
    }
}

extension Facts.CaptureMap {
    /// The map of a cluster as its facts describe it now (for a capture about to be taken).
    /// - Parameters:
    ///   - facts: the cluster.
    ///   - contacted: the node the request goes to; `backend`: the pod's node.
    public init(_ facts: Facts, contacted: String? = nil, backend: String? = nil, veth: String? = nil,
                service: Facts.Endpoint? = nil, pod: Facts.Endpoint? = nil) {
        self.init(host: facts.host,
                  nodes: facts.nodes.map { .init(name: $0.name, ip: $0.ip, mac: $0.mac, role: $0.role, veth: $0.veth) },
                  contacted: contacted, backend: backend, veth: veth, service: service, pod: pod)
    }
}

extension Facts {
    /// A capture entry as canonical JSON text (a cache key for what a page shows of it).
    public func encodedCapture(_ capture: Capture) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(capture), as: UTF8.self)
    }
}
