import Foundation
import Facts

/// Finds the KinD bridge and, for each node, its MAC and host-side veth, from iproute2's JSON.
///
/// The MAC comes from the neighbour table (what `arp -an` showed) and the veth from the
/// bridge's forwarding database (what `brctl showmacs` showed), unless a container runtime
/// gives them more directly. A MAC is never derived from an IP.
public struct HostNetworkReader: Sendable {
    public var runner: any CommandRunner
    public var timeout: Double

    public init(runner: any CommandRunner, timeout: Double = 10) {
        self.runner = runner
        self.timeout = timeout
    }

    public struct Bridge: Sendable, Equatable {
        public var name: String
        public var ip: String
        public var prefixLength: Int
        public var mac: String
    }

    public struct NodeLink: Sendable, Equatable {
        public var mac: String
        public var veth: String
    }

    func json<T: Decodable>(_ argv: [String], as type: T.Type) async throws -> (T, CommandResult) {
        let result: CommandResult
        do {
            result = try await runner.output(argv, timeout: timeout)
        } catch CommandError.notFound(let program, _) where program == "ip" || program == "bridge" {
            throw ProbeError("\(program) (iproute2) is not installed on the probed machine",
                             advice: "install iproute2 (`apt-get install iproute2`) and retry")
        }
        return (try result.decode(T.self), result)
    }

    /// The bridge whose IPv4 subnet holds the nodes' addresses; `preferred` (from the
    /// container runtime) wins when given.
    public func bridge(holding nodeIPs: [String], preferred: String?) async throws -> Sourced<Bridge> {
        let (bridges, _) = try await json(["ip", "-j", "link", "show", "type", "bridge"], as: [IPLinkEntry].self)
        let (addresses, addrResult) = try await json(["ip", "-j", "addr", "show"], as: [IPAddrEntry].self)
        let bridgeNames = Set(bridges.map(\.ifname))
        var candidates: [Bridge] = []
        for entry in addresses where bridgeNames.contains(entry.ifname) {
            for info in entry.addr_info ?? [] where info.family == "inet" {
                guard let local = info.local, let prefix = info.prefixlen,
                      nodeIPs.allSatisfy({ IPv4.contains(network: local, prefix: prefix, address: $0) }) else { continue }
                let mac = bridges.first { $0.ifname == entry.ifname }?.address ?? entry.address ?? ""
                candidates.append(Bridge(name: entry.ifname, ip: local, prefixLength: prefix, mac: mac))
            }
        }
        let chosen = preferred.flatMap { name in candidates.first { $0.name == name } }
            ?? candidates.first { $0.name.hasPrefix("br-") } ?? candidates.first
        guard let bridge = chosen else {
            throw ProbeError("no KinD network: no bridge on this machine has an address in the subnet of the nodes (\(nodeIPs.joined(separator: ", ")))",
                             advice: "probe the machine that runs KinD (--ssh HOST), and check `docker network inspect kind`")
        }
        return Sourced(bridge, from: addrResult)
    }

    /// `name`, if it can be passed to `ip … dev` or `bridge … br` as an interface name (it
    /// comes from the container runtime or from iproute2's own output).
    static func checked(_ name: String) throws(CommandError) -> String {
        if let problem = CommandArgument.checkInterface(name) { throw .refused(problem) }
        return name
    }

    /// The bridge's MAC, with the command that shows it.
    public func bridgeMAC(_ bridge: String) async throws -> Sourced<String> {
        let (links, result) = try await json(["ip", "-j", "link", "show", "dev", try Self.checked(bridge)], as: [IPLinkEntry].self)
        guard let mac = links.first?.address else {
            throw ProbeError("bridge \(bridge) has no MAC address", advice: "check `ip link show dev \(bridge)`")
        }
        return Sourced(mac, from: result)
    }

    /// Each node IP's MAC as learned in the neighbour table on `bridge`.
    public func neighbourMACs(on bridge: String) async throws -> [String: Sourced<String>] {
        let (entries, result) = try await json(["ip", "-j", "neigh", "show", "dev", try Self.checked(bridge)], as: [IPNeighEntry].self)
        var macs: [String: Sourced<String>] = [:]
        for entry in entries {
            guard let mac = entry.lladdr, !(entry.state ?? []).contains("FAILED") else { continue }
            macs[entry.dst] = Sourced(mac.lowercased(), from: result)
        }
        return macs
    }

    /// The bridge port on which each MAC was learned (`bridge fdb`), keeping only real
    /// ports of `bridge` (`bridge link`).
    public func learnedPorts(on bridge: String) async throws -> [String: Sourced<String>] {
        let (ports, _) = try await json(["bridge", "-j", "link", "show"], as: [BridgeLinkEntry].self)
        let portNames = Set(ports.filter { $0.master == bridge }.map(\.ifname))
        let (entries, result) = try await json(["bridge", "-j", "fdb", "show", "br", try Self.checked(bridge)], as: [BridgeFDBEntry].self)
        var learned: [String: Sourced<String>] = [:]
        for entry in entries {
            guard let port = entry.ifname, portNames.contains(port), entry.state != "permanent",
                  !(entry.flags ?? []).contains("self") else { continue }
            learned[entry.mac.lowercased()] = Sourced(port, from: result)
        }
        return learned
    }

    /// Interface names by ifindex (to turn a container's eth0 iflink into the host veth).
    public func interfaceNames() async throws -> Sourced<[Int: String]> {
        let (links, result) = try await json(["ip", "-j", "link", "show"], as: [IPLinkEntry].self)
        return Sourced(Dictionary(links.map { ($0.ifindex, $0.ifname) }, uniquingKeysWith: { first, _ in first }),
                       from: result)
    }
}
