import ArgumentParser
import Facts
import Foundation
import Probe

struct CaptureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Capture the lab's traffic with tcpdump and record it in the attendee's facts.",
        discussion: """
        Runs tcpdump (-U -w) on the attendee's machine (this one, or --ssh HOST), waits until it \
        listens, sends the lab's request with curl, stops tcpdump with SIGINT, then saves the \
        pcap below the facts file's folder (default captures/<facts name>/<name>.pcap) and \
        records it in the facts as captures.<name>: the file, when, the command and the cluster \
        map at capture time. Both files are replaced atomically: a failed capture leaves the \
        previous pcap and facts untouched. With --roster, every attendee is captured (4 at a \
        time by default) over their own `ssh`, into their own facts; the exit status is \
        non-zero if anyone failed.

        The default recipe is the DSR lab's: one request to the NodePort of a node that does not \
        run the pod (a worker if possible; --contact NODE picks it), captured on the veth of the \
        pod's node with the filter `\(CaptureRecipe.dsrFilter)`, which keeps the SYN (it \
        arrives DNATed to the pod and carries Cilium's DSR option) and the SYN-ACK sent straight \
        back from the NodePort. A capture with no SYN carrying the option (IPv4 option 0x9a) is \
        an error and nothing is saved (--any-packets saves it anyway).

        --interface is `bridge`, `veth-of-backend` or an interface name; --filter is a tcpdump \
        expression whose placeholders {nodePort}, {port}, {targetPort}, {clusterIP}, {hostIP}, \
        {contactedIP}, {backendNodeIP}, {podIP} are filled from the facts; --url sends one curl \
        per URL instead (placeholders allowed), --traffic none sends nothing.

        Examples:
          labgen capture --facts content/facts/mine.json
          labgen capture --facts facts/alice.json --ssh alice@vm-alice
          labgen capture --roster roster.yaml --jobs 4
        """)

    @Option(help: ArgumentHelp("Facts file of the attendee (written by labgen probe); updated with the capture.", valueName: "FILE"))
    var facts: String?

    @Option(help: ArgumentHelp("Capture every attendee of this roster (YAML), into each one's facts.", valueName: "FILE"))
    var roster: String?

    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Where to save the pcap, below the facts file's folder (default captures/<facts name>/<name>.pcap).", valueName: "FILE"))
    var output: String?

    @Option(help: ArgumentHelp("The capture's name in the facts, which trace blocks use (capture: dsr).", valueName: "NAME"))
    var name: String = "dsr"

    @Option(help: ArgumentHelp("bridge, veth-of-backend or an interface name.", valueName: "IF"))
    var interface: String = "veth-of-backend"

    @Option(help: ArgumentHelp("tcpdump filter, with {placeholders} from the facts.", valueName: "EXPR"))
    var filter: String = CaptureRecipe.dsrFilter

    @Option(help: ArgumentHelp("nodeport (one curl to the contacted node's NodePort) or none.", valueName: "KIND"))
    var traffic: String = "nodeport"

    @Option(help: ArgumentHelp("Send one curl to this URL instead (repeatable, placeholders allowed).", valueName: "URL"))
    var url: [String] = []

    @Option(help: ArgumentHelp("Service whose NodePort is used: NAME or NAMESPACE/NAME.", valueName: "SVC"))
    var service: String?

    @Option(help: ArgumentHelp("Label KEY=VALUE of the backend pod (for veth-of-backend, {podIP}).", valueName: "LABEL"))
    var backend: String?

    @Option(help: ArgumentHelp("Node to send the request to (default: one not running the pod, a worker if possible).", valueName: "NODE"))
    var contact: String?

    @Flag(help: "Save the capture even if no SYN carries Cilium's DSR option.")
    var anyPackets = false

    @Option(help: ArgumentHelp("Stop after this many packets.", valueName: "N"))
    var count: Int = 100

    @Option(help: ArgumentHelp("Stop after this many seconds at most.", valueName: "S"))
    var duration: Double = 15

    @Option(name: .customLong("ssh"), help: ArgumentHelp("Capture on this ssh destination.", valueName: "HOST"))
    var ssh: String?

    @Option(help: ArgumentHelp("Attendees captured at the same time with --roster.", valueName: "N"))
    var jobs: Int = 4

    @Option(help: ArgumentHelp("Seconds allowed for one attendee's whole capture.", valueName: "S"))
    var timeout: Double = 120

    @Option(help: ArgumentHelp("Seconds allowed for the ssh connection (ssh -o ConnectTimeout).", valueName: "S"))
    var connectTimeout: Int = 10

    @Option(help: ArgumentHelp("Run every command inside this network namespace (ip netns exec).", valueName: "NS"))
    var netns: String?

    func validate() throws {
        guard ["nodeport", "none"].contains(traffic) else { throw ValidationError("--traffic is nodeport or none") }
        if count < 1 || duration <= 0 || jobs < 1 || timeout <= 0 || connectTimeout < 1 {
            throw ValidationError("--count, --duration, --jobs, --timeout and --connect-timeout must be positive")
        }
        if roster != nil && (facts != nil || ssh != nil || output != nil) {
            throw ValidationError("--roster takes each attendee's ssh and facts from the roster: drop --facts, --ssh and -o")
        }
        if roster == nil && facts == nil { throw ValidationError("pass --facts FILE (one attendee) or --roster FILE") }
        try CommandArguments.validate(ssh: ssh, netns: netns)
        if case .named(let name) = CaptureRecipe.Interface(interface), let problem = CommandArgument.checkInterface(name) {
            throw ValidationError("--interface: \(problem)")
        }
        if let problem = url.lazy.compactMap(CommandArgument.checkURL).first { throw ValidationError("--url: \(problem)") }
    }

    var recipe: CaptureRecipe {
        CaptureRecipe(interface: .init(interface), filter: filter,
                      traffic: url.isEmpty ? (traffic == "none" ? .none : .nodePort) : .urls(url),
                      service: service, backend: backend, contact: contact, packetCount: count,
                      duration: duration, requireDSR: !anyPackets)
    }

    var local: LocalRunner { LocalRunner(prefix: netns.map { ["ip", "netns", "exec", $0] } ?? []) }

    func run() async throws {
        if let roster { return try await captureRoster(roster) }
        guard let facts else { throw ExitCode.failure }
        let runner: any CommandRunner = ssh.map { SSHRunner(destination: $0, connectTimeout: connectTimeout, local: local) } ?? local
        let store = CaptureStore(factsFile: URL(fileURLWithPath: facts), name: name,
                                 pcapFile: output.map { URL(fileURLWithPath: $0) })
        do {
            try store.validate()
            let loaded = try store.loadFacts()
            let plan = try recipe.plan(for: loaded)
            printError("labgen capture: tcpdump -i \(plan.interface) '\(plan.filter)', \(plan.urls.count) request(s)")
            let taken = try await withTimeout(timeout, what: ssh ?? "capture") { try await Capturer(runner: runner).capture(plan) }
            try store.save(taken, plan: plan, into: loaded)
            taken.report.traffic.forEach { printError("  \($0)") }
            printError("labgen capture: \(taken.report.packetsCaptured.map(String.init) ?? "?") packets, "
                       + "\(taken.report.dsrSYNs) SYN(s) with the DSR option, \(taken.report.bytes) bytes → \(store.pcapFile.path), "
                       + "recorded as captures.\(name) in \(facts)")
        } catch {
            printError("labgen capture: \(error)\n  (\(store.pcapFile.path) and \(facts) left untouched)")
            throw ExitCode.failure
        }
    }

    func captureRoster(_ path: String) async throws {
        let url = URL(fileURLWithPath: path)
        let loaded = try CommandArguments.roster(path, command: "labgen capture")
        let jobs = RosterJobs(roster: loaded, baseDirectory: url.deletingLastPathComponent(), concurrency: jobs,
                              connectTimeout: connectTimeout, local: local)
        let capturer = RosterCapturer(jobs: jobs, recipe: recipe, name: name, attendeeTimeout: timeout)
        let outcomes = await capturer.run { printError($0) }
        RosterJobs.summary(outcomes, command: "labgen capture", done: "captured").forEach(printError)
        if outcomes.contains(where: { $0.failure != nil }) { throw ExitCode.failure }
    }
}
