import ArgumentParser
import Facts
import Foundation
import Probe

struct CaptureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Record a lab's traffic with tcpdump into a pcap file.",
        discussion: """
        Runs tcpdump (-U -w) on the attendee's machine (this one, or --ssh HOST), waits until it \
        listens, generates the lab's traffic with curl, stops tcpdump with SIGINT and saves the \
        capture atomically to -o FILE (e.g. the attendee's content/captures/).

        The recipe comes from the facts: --interface is `bridge` (the KinD bridge), \
        `veth-of-backend` (the host veth of the node running the pod labelled --backend) or an \
        interface name; --filter is a tcpdump expression whose placeholders {nodePort}, {port}, \
        {clusterIP}, {hostIP}, {backendNodeIP}, {podIP} are filled from the facts; --traffic \
        nodeport sends one curl to the service's NodePort on every node IP, --url sends one curl \
        per URL (placeholders allowed), --traffic none sends nothing.

        Example (the DSR lab's capture):
          labgen capture --facts facts/alice.json --ssh alice@vm-alice \\
            --interface veth-of-backend --backend app=echoserver \\
            --filter 'tcp port {nodePort}' -o content/captures/alice/dsr.pcap
        """)

    @Option(help: ArgumentHelp("Facts file of the attendee (written by labgen probe).", valueName: "FILE"))
    var facts: String

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Where to save the pcap.", valueName: "FILE"))
    var output: String

    @Option(help: ArgumentHelp("bridge, veth-of-backend or an interface name.", valueName: "IF"))
    var interface: String = "veth-of-backend"

    @Option(help: ArgumentHelp("tcpdump filter, with {placeholders} from the facts.", valueName: "EXPR"))
    var filter: String = "tcp port {nodePort}"

    @Option(help: ArgumentHelp("nodeport (one curl per node IP to the NodePort) or none.", valueName: "KIND"))
    var traffic: String = "nodeport"

    @Option(help: ArgumentHelp("Send one curl to this URL instead (repeatable, placeholders allowed).", valueName: "URL"))
    var url: [String] = []

    @Option(help: ArgumentHelp("Service whose NodePort is used: NAME or NAMESPACE/NAME.", valueName: "SVC"))
    var service: String?

    @Option(help: ArgumentHelp("Label KEY=VALUE of the backend pod (for veth-of-backend, {podIP}).", valueName: "LABEL"))
    var backend: String?

    @Option(help: ArgumentHelp("Stop after this many packets.", valueName: "N"))
    var count: Int = 100

    @Option(help: ArgumentHelp("Stop after this many seconds at most.", valueName: "S"))
    var duration: Double = 15

    @Option(name: .customLong("ssh"), help: ArgumentHelp("Capture on this ssh destination.", valueName: "HOST"))
    var ssh: String?

    @Option(help: ArgumentHelp("Run every command inside this network namespace (ip netns exec).", valueName: "NS"))
    var netns: String?

    func validate() throws {
        guard ["nodeport", "none"].contains(traffic) else { throw ValidationError("--traffic is nodeport or none") }
        if count < 1 || duration <= 0 { throw ValidationError("--count and --duration must be positive") }
    }

    var recipe: CaptureRecipe {
        CaptureRecipe(interface: .init(interface), filter: filter,
                      traffic: url.isEmpty ? (traffic == "none" ? .none : .nodePort) : .urls(url),
                      service: service, backend: backend, packetCount: count, duration: duration)
    }

    func run() async throws {
        let local = LocalRunner(prefix: netns.map { ["ip", "netns", "exec", $0] } ?? [])
        let runner: any CommandRunner = ssh.map { SSHRunner(destination: $0, local: local) } ?? local
        do {
            let loaded = try JSONDecoder().decode(Facts.self, from: Data(contentsOf: URL(fileURLWithPath: facts)))
            let plan = try recipe.plan(for: loaded)
            printError("labgen capture: tcpdump -i \(plan.interface) '\(plan.filter)', \(plan.urls.count) request(s)")
            let report = try await Capturer(runner: runner).capture(plan, to: URL(fileURLWithPath: output))
            report.traffic.forEach { printError("  \($0)") }
            printError("labgen capture: \(report.packetsCaptured.map(String.init) ?? "?") packets, \(report.bytes) bytes → \(output)")
        } catch {
            printError("labgen capture: \(error)")
            throw ExitCode.failure
        }
    }
}
