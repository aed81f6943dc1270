import Facts
import Foundation

/// The container engine running the KinD nodes, as far as the facts need it. One narrow
/// protocol so docker and podman (and a replay in tests) are interchangeable.
public protocol ContainerRuntime: Sendable {
    var name: String { get }
    /// The KinD network: its Linux bridge and each node container's endpoint on it.
    func network(named network: String) async throws -> Sourced<RuntimeNetwork>
    /// One node container's MAC and IP on `network`.
    func endpoint(of container: String, on network: String) async throws -> Sourced<RuntimeEndpoint>
    /// The ifindex of the host-side peer of the container's eth0 (its `/sys/class/net/eth0/iflink`).
    func eth0PeerIndex(of container: String) async throws -> Sourced<Int>
}

public struct RuntimeNetwork: Sendable, Equatable {
    public var id: String
    /// `br-` + the first 12 characters of the id for docker (unless the network names its own).
    public var bridge: String
    public var subnet: String?
    public var gateway: String?
    /// Container name → endpoint.
    public var endpoints: [String: RuntimeEndpoint]
}

public struct RuntimeEndpoint: Sendable, Equatable {
    public var mac: String
    public var ip: String
}

/// docker or podman through their CLI: `X network inspect kind`, `X inspect NODE`,
/// `X exec NODE cat /sys/class/net/eth0/iflink`.
public struct CLIContainerRuntime: ContainerRuntime {
    public var name: String
    public var runner: any CommandRunner
    public var timeout: Double

    public init(name: String, runner: any CommandRunner, timeout: Double = 15) {
        self.name = name
        self.runner = runner
        self.timeout = timeout
    }

    public func network(named network: String) async throws -> Sourced<RuntimeNetwork> {
        try Self.require(CommandArgument.checkName(network, what: "container network"))
        let result = try await runner.output([name, "network", "inspect", network], timeout: timeout)
        let object = try Self.first(result)
        // docker: Id, IPAM.Config, Containers, Options; podman 4+: id, network_interface, subnets.
        let id = (object["Id"] ?? object["id"]) as? String ?? ""
        let options = object["Options"] as? [String: Any] ?? [:]
        let bridge = (options["com.docker.network.bridge.name"] as? String)
            ?? (object["network_interface"] as? String)
            ?? "br-" + id.prefix(12)
        var subnet: String?
        var gateway: String?
        let ipam = ((object["IPAM"] as? [String: Any])?["Config"] as? [[String: Any]]) ?? (object["subnets"] as? [[String: Any]]) ?? []
        for config in ipam {
            let candidate = (config["Subnet"] ?? config["subnet"]) as? String
            if let candidate, candidate.contains("."), subnet == nil {
                subnet = candidate
                gateway = (config["Gateway"] ?? config["gateway"]) as? String
            }
        }
        var endpoints: [String: RuntimeEndpoint] = [:]
        for case let container as [String: Any] in (object["Containers"] as? [String: Any] ?? [:]).values {
            guard let containerName = container["Name"] as? String, let mac = container["MacAddress"] as? String,
                  let address = container["IPv4Address"] as? String else { continue }
            endpoints[containerName] = RuntimeEndpoint(mac: mac.lowercased(),
                                                       ip: String(address.split(separator: "/").first ?? ""))
        }
        return Sourced(RuntimeNetwork(id: id, bridge: bridge, subnet: subnet, gateway: gateway, endpoints: endpoints),
                       from: result)
    }

    public func endpoint(of container: String, on network: String) async throws -> Sourced<RuntimeEndpoint> {
        try Self.require(CommandArgument.checkKubernetesName(container))
        let result = try await runner.output([name, "inspect", container], timeout: timeout)
        let object = try Self.first(result)
        let networks = ((object["NetworkSettings"] as? [String: Any])?["Networks"] as? [String: Any]) ?? [:]
        guard let settings = networks[network] as? [String: Any],
              let mac = settings["MacAddress"] as? String, !mac.isEmpty,
              let ip = settings["IPAddress"] as? String, !ip.isEmpty else {
            throw ProbeError("container \(container) has no address on the \(network) network",
                             advice: "check `\(name) inspect \(container)`: is it a node of this KinD cluster?")
        }
        return Sourced(RuntimeEndpoint(mac: mac.lowercased(), ip: ip), from: result)
    }

    public func eth0PeerIndex(of container: String) async throws -> Sourced<Int> {
        try Self.require(CommandArgument.checkKubernetesName(container))
        let result = try await runner.output([name, "exec", container, "cat", "/sys/class/net/eth0/iflink"], timeout: timeout)
        guard let index = Int(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ProbeError("`\(result.display)` did not print an interface index", advice: "run it by hand")
        }
        return Sourced(index, from: result)
    }

    /// Node names come from the Kubernetes API: one that is not a Kubernetes name (a leading
    /// `-` would be a docker option) is refused before docker runs.
    static func require(_ problem: String?) throws(CommandError) {
        if let problem { throw .refused(problem) }
    }

    static func first(_ result: CommandResult) throws -> [String: Any] {
        guard let array = try? JSONSerialization.jsonObject(with: result.stdout) as? [Any],
              let object = array.first as? [String: Any] else {
            throw ProbeError("`\(result.display)` printed output labgen cannot read",
                             advice: "run it by hand and check its output")
        }
        return object
    }

    /// The first of docker and podman that answers for `network`, or nil when neither is
    /// installed or reachable (the probe then relies on iproute2 alone).
    public static func detect(runner: any CommandRunner, network: String, timeout: Double)
        async -> (runtime: CLIContainerRuntime, network: Sourced<RuntimeNetwork>)? {
        for candidate in ["docker", "podman"] {
            let runtime = CLIContainerRuntime(name: candidate, runner: runner, timeout: timeout)
            if let found = try? await runtime.network(named: network) { return (runtime, found) }
        }
        return nil
    }
}
