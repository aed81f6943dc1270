import ArgumentParser
import Facts
import Foundation
import Probe

struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Read a live KinD/Cilium cluster into a facts file.",
        discussion: """
        Collects the facts an attendee's handout is filled from: nodes, services, pods and the \
        cilium-config ConfigMap through kubectl (-o json), the KinD bridge, each node's MAC and \
        host-side veth through iproute2 (ip -j, bridge -j) and, when present, docker or podman. \
        Every value records the command that produced it and when (provenance).

        Without --ssh the cluster is probed on this machine; with --ssh HOST the same commands \
        run on HOST through the system ssh (BatchMode, ~/.ssh/config honoured). With --roster, \
        every attendee is probed (4 at a time by default) over their own `ssh`, and each \
        attendee's facts file is written to the `facts` path given in the roster.

        A facts file is replaced atomically: on any failure the previous one is left untouched. \
        The exit status is non-zero if any probe failed.

        Examples:
          labgen probe -o content/facts/mine.json
          labgen probe --ssh alice@vm-alice --context kind-kind -o facts/alice.json
          labgen probe --roster roster.yaml
        """)

    @Option(name: .customLong("ssh"), help: ArgumentHelp("Probe this ssh destination instead of this machine.", valueName: "HOST"))
    var ssh: String?

    @Option(help: ArgumentHelp("Probe every attendee of this roster (YAML).", valueName: "FILE"))
    var roster: String?

    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Write the facts here (default: standard output). Not with --roster.", valueName: "FILE"))
    var output: String?

    @Option(help: ArgumentHelp("kubeconfig on the probed machine (kubectl --kubeconfig).", valueName: "FILE"))
    var kubeconfig: String?

    @Option(help: ArgumentHelp("kubeconfig context (kubectl --context), e.g. kind-kind.", valueName: "NAME"))
    var context: String?

    @Option(help: ArgumentHelp("Seconds allowed for one machine's whole probe.", valueName: "S"))
    var timeout: Double = 120

    @Option(help: ArgumentHelp("Seconds allowed for the ssh connection (ssh -o ConnectTimeout).", valueName: "S"))
    var connectTimeout: Int = 10

    @Option(help: ArgumentHelp("Attendees probed at the same time with --roster.", valueName: "N"))
    var jobs: Int = 4

    @Option(help: ArgumentHelp("The attendee's lab directory, recorded in the facts.", valueName: "DIR"))
    var labDir: String = "/home/lab/basic"

    @Option(help: ArgumentHelp("Run every command inside this network namespace (ip netns exec).", valueName: "NS"))
    var netns: String?

    @Flag(help: "Do not ask docker/podman; use iproute2's neighbour and forwarding tables only.")
    var noRuntime = false

    func validate() throws {
        if roster != nil && (output != nil || ssh != nil) {
            throw ValidationError("--roster takes each attendee's ssh and facts path from the roster: drop --ssh and -o")
        }
        if timeout <= 0 || jobs < 1 || connectTimeout < 1 {
            throw ValidationError("--timeout, --jobs and --connect-timeout must be positive")
        }
        try CommandArguments.validate(ssh: ssh, netns: netns)
        // Written into the facts as lab.directory, which pages put in commands (`cd …`).
        if let problem = ShellWord.check(labDir) { throw ValidationError("--lab-dir: \(problem)") }
        if let problem = kubeconfig.flatMap({ CommandArgument.checkName($0, what: "--kubeconfig") })
            ?? context.flatMap({ CommandArgument.checkName($0, what: "--context") }) {
            throw ValidationError(problem)
        }
    }

    var options: ProbeOptions {
        ProbeOptions(kubeconfig: kubeconfig.map { RosterProber.kubeconfigPath($0, remote: ssh != nil) },
                     context: context, commandTimeout: min(timeout, 30), labDirectory: labDir,
                     useRuntime: !noRuntime)
    }

    var local: LocalRunner {
        LocalRunner(prefix: netns.map { ["ip", "netns", "exec", $0] } ?? [])
    }

    func run() async throws {
        if let roster { return try await probeRoster(roster) }
        let runner: any CommandRunner = ssh.map {
            SSHRunner(destination: $0, connectTimeout: connectTimeout, local: local)
        } ?? local
        let prober = Prober(runner: runner, options: options)
        do {
            let facts = try await withTimeout(timeout, what: ssh ?? "probe") { try await prober.probe() }
            if let output {
                try FactsFile.writeProbed(facts, to: URL(fileURLWithPath: output))
                printError("labgen probe: \(facts.nodes.count) nodes, bridge \(facts.host.bridge) → \(output)")
            } else {
                FileHandle.standardOutput.write(try facts.encoded())
            }
        } catch {
            printError("labgen probe: \(error)" + (output.map { "\n  (\($0) left untouched)" } ?? ""))
            throw ExitCode.failure
        }
    }

    func probeRoster(_ path: String) async throws {
        let url = URL(fileURLWithPath: path)
        let loaded = try CommandArguments.roster(path, command: "labgen probe")
        let prober = RosterProber(roster: loaded, baseDirectory: url.deletingLastPathComponent(), options: options,
                                  attendeeTimeout: timeout, concurrency: jobs, connectTimeout: connectTimeout,
                                  local: local)
        let outcomes = await prober.run { printError($0) }
        RosterJobs.summary(outcomes, command: "labgen probe", done: "probed").forEach(printError)
        if outcomes.contains(where: { $0.failure != nil }) { throw ExitCode.failure }
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
