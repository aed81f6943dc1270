import Foundation
import Testing
@testable import Probe
#if canImport(Glibc)
import Glibc
#endif

enum Fixture {
    static let root: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    static func url(_ name: String) -> URL { root.appendingPathComponent(name) }
    static func text(_ name: String) throws -> String { try String(contentsOf: url(name), encoding: .utf8) }
}

/// Whether this run can build network namespaces (root, iproute2, netns support). Checked once
/// by really creating and deleting one; tests needing it are skipped with this reason otherwise.
enum Capability {
    static let netns: Bool = {
        guard getuid() == 0 else {
            print("ProbeTests: not root, namespace tests skipped (CI runs them as root)")
            return false
        }
        let name = "lgp-check-\(getpid())"
        let add = Process()
        add.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        add.arguments = ["netns", "add", name]
        guard (try? add.run()) != nil else {
            print("ProbeTests: /usr/sbin/ip missing, namespace tests skipped")
            return false
        }
        add.waitUntilExit()
        let del = Process()
        del.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        del.arguments = ["netns", "del", name]
        try? del.run()
        del.waitUntilExit()
        if add.terminationStatus != 0 { print("ProbeTests: `ip netns add` failed, namespace tests skipped") }
        return add.terminationStatus == 0
    }()
}

func randomID() -> String {
    String((0..<12).map { _ in "0123456789abcdef".randomElement()! })
}

/// The KinD-shaped namespace topology of `Fixtures/kind-topology.sh`.
struct Topology: Sendable {
    /// Another cluster's addresses (the script's NET, MAC_PREFIX, BRIDGE_MAC, NODEPORT).
    struct Shape: Sendable {
        var net = "172.18"
        var macPrefix = "02:42:ac:12"
        var bridgeMAC = "02:42:1f:d6:b7:3b"
        var nodePort = 31400
        func ip(lastOctet: Int) -> String { "\(net).0.\(lastOctet)" }
        func mac(lastOctet: Int) -> String { "\(macPrefix):00:0\(lastOctet)" }
    }

    let id: String
    var shape = Shape()
    /// The backend's HTTP server (`Fixtures/backend.py` on the NodePort, in node 5).
    var server: RunningCommand?
    var hostNamespace: String { "lgp-\(id)-host" }
    var bridge: String { "br-\(id)" }
    func nodeNamespace(lastOctet: Int) -> String { "lgp-\(id)-n\(lastOctet)" }
    func veth(lastOctet: Int) -> String { "veth\(id.prefix(6))\(lastOctet)" }
    var hostRunner: LocalRunner { LocalRunner(prefix: ["ip", "netns", "exec", hostNamespace]) }

    /// - Parameters:
    ///   - shape: the cluster's addresses.
    ///   - serve: start the backend's HTTP server on the seed's address and NodePort.
    static func up(_ shape: Shape = Shape(), serve: Bool = true) async throws -> Topology {
        var topology = Topology(id: randomID(), shape: shape)
        var environment = ProcessInfo.processInfo.environment
        environment["NET"] = shape.net
        environment["MAC_PREFIX"] = shape.macPrefix
        environment["BRIDGE_MAC"] = shape.bridgeMAC
        environment["NODEPORT"] = String(shape.nodePort)
        let result = try await LocalRunner(environment: environment)
            .run(["bash", Fixture.url("kind-topology.sh").path, "up", topology.id], timeout: 60)
        guard result.succeeded else {
            await topology.down()
            throw ProbeError("topology setup failed: \(result.stderrText)", advice: "")
        }
        guard serve else { return topology }
        let backend = LocalRunner(prefix: ["ip", "netns", "exec", topology.nodeNamespace(lastOctet: 5)])
        topology.server = try backend.start(["python3", Fixture.url("backend.py").path, "172.18.0.5", "31400"])
        for _ in 0..<100 {
            let probe = try await topology.hostRunner.run(["curl", "-s", "-o", "/dev/null", "--max-time", "1", "http://172.18.0.5:31400/"], timeout: 5)
            if probe.succeeded { return topology }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        let finished = topology.server?.isFinished ?? false
        let log = topology.server?.stderrSoFar ?? ""
        await topology.down()
        throw ProbeError("the backend's HTTP server did not start (exited: \(finished)): \(log)", advice: "")
    }

    func down() async {
        server?.terminate()
        _ = try? await server?.wait(timeout: 5)
        _ = try? await LocalRunner().run(["bash", Fixture.url("kind-topology.sh").path, "down", id], timeout: 30)
    }
}

/// `replay.py` serving the recorded KinD + Cilium 1.12 API, with a kubeconfig pointing at it.
struct KubeReplay: Sendable {
    let server: RunningCommand
    let port: Int
    let directory: URL
    /// The kubeconfig's bearer token: must never show up in facts.
    static let token = "kind-token-5d8f2a7c91b34e06"

    var kubeconfig: URL { directory.appendingPathComponent("kubeconfig") }

    /// Starts the server through `runner` (so inside a namespace when the runner is one).
    static func start(runner: LocalRunner = LocalRunner()) async throws -> KubeReplay {
        let kube = Fixture.url("kube-api")
        let server = try runner.start(["python3", kube.appendingPathComponent("replay.py").path, kube.path])
        var port: Int?
        for _ in 0..<200 {
            if let line = server.stdoutSoFar.split(separator: "\n").first, line.hasPrefix("port ") {
                port = Int(line.dropFirst(5))
                break
            }
            if server.isFinished { break }
            try await Task.sleep(nanoseconds: 25_000_000)
        }
        guard let port else {
            server.terminate()
            throw ProbeError("replay server did not start: \(server.stderrSoFar)", advice: "")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lgp-kube-\(randomID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let replay = KubeReplay(server: server, port: port, directory: directory)
        try replay.writeKubeconfig(server: "http://127.0.0.1:\(port)", to: replay.kubeconfig)
        return replay
    }

    /// A KinD-style kubeconfig (context `kind-kind`), over plain http to the replay.
    func writeKubeconfig(server: String, to url: URL) throws {
        try """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            server: \(server)
          name: kind-kind
        contexts:
        - context:
            cluster: kind-kind
            user: kind-kind
          name: kind-kind
        current-context: kind-kind
        preferences: {}
        users:
        - name: kind-kind
          user:
            token: \(Self.token)
        """.write(to: url, atomically: true, encoding: .utf8)
    }

    func stop() async {
        server.terminate()
        _ = try? await server.wait(timeout: 5)
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A TCP listener on loopback that accepts connections (the kernel completes the handshake)
/// but never speaks: an ssh server that hangs before its banner.
final class SilentListener: @unchecked Sendable {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            close(descriptor)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        _ = self.descriptor
    }

    deinit { close(descriptor) }
}

/// Answers `docker …` from recorded output, as the KinD nodes' engine would; `docker exec NODE
/// CMD` runs CMD for real inside that node's namespace. Everything else goes to `base`.
struct ReplayedDocker: CommandRunner {
    var base: LocalRunner
    var topology: Topology
    var networkJSON: String

    static let nodeOctets = ["kind-control-plane": 3, "kind-worker": 2, "kind-worker2": 4, "kind-worker3": 5]

    func display(_ argv: [String]) -> String { base.display(argv) }

    func start(_ argv: [String]) throws -> RunningCommand { try base.start(argv) }

    func run(_ argv: [String], timeout: Double) async throws -> CommandResult {
        guard argv.first == "docker" else { return try await base.run(argv, timeout: timeout) }
        let rest = Array(argv.dropFirst())
        func replay(_ text: String) -> CommandResult {
            CommandResult(argv: argv, display: display(argv), stdout: Data(text.utf8), stderr: Data(), exitCode: 0, startedAt: Date())
        }
        switch rest.first {
        case "network" where rest == ["network", "inspect", "kind"]:
            return replay(networkJSON)
        case "inspect" where rest.count == 2:
            return replay(try Fixture.text("docker-inspect-\(rest[1]).json"))
        case "exec":
            guard rest.count > 2, let octet = Self.nodeOctets[rest[1]] else { break }
            let inside = LocalRunner(prefix: ["ip", "netns", "exec", topology.nodeNamespace(lastOctet: octet)])
            var result = try await inside.run(Array(rest.dropFirst(2)), timeout: timeout)
            result.argv = argv
            result.display = display(argv)
            return result
        default: break
        }
        return CommandResult(argv: argv, display: display(argv), stdout: Data(),
                             stderr: Data("Error: No such object: \(rest.last ?? "")\n".utf8), exitCode: 1, startedAt: Date())
    }
}

/// Only recorded answers, for unit tests of the runtime parser.
struct RecordedRunner: CommandRunner {
    var answers: [[String]: String]
    func display(_ argv: [String]) -> String { ShellQuote.join(argv) }
    func start(_ argv: [String]) throws -> RunningCommand { throw CommandError.notFound(program: argv[0], display: display(argv)) }
    func run(_ argv: [String], timeout: Double) async throws -> CommandResult {
        guard let answer = answers[argv] else { throw CommandError.notFound(program: argv[0], display: display(argv)) }
        return CommandResult(argv: argv, display: display(argv), stdout: Data(answer.utf8), stderr: Data(), exitCode: 0, startedAt: Date())
    }
}
