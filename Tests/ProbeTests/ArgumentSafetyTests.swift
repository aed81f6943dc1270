import Facts
import Foundation
import Testing
@testable import Probe

/// Hostile values for every field that reaches a command (roster `ssh:`, `--ssh`, kubectl's
/// kubeconfig and context, container and interface names, capture URLs): each is refused
/// before anything runs. "Nothing ran" is checked for real: the programs labgen would start
/// are replaced, through PATH, by scripts that create a marker file, and a hostile ssh
/// destination names a ProxyCommand that would create one too.
@Suite struct ArgumentSafetyTests {
    /// A folder whose `ssh`, `kubectl`, `docker`, `ip`, `bridge`, `tcpdump`, `curl`, `sh`,
    /// `ping` and `mktemp` each create `marker` (mktemp also prints a plausible path), so any
    /// command that starts leaves a trace.
    struct Trap {
        let folder: URL
        var marker: URL { folder.appendingPathComponent("ran") }
        var runner: LocalRunner { LocalRunner(environment: ["PATH": folder.path]) }
        var ran: Bool { FileManager.default.fileExists(atPath: marker.path) }

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("labgen-trap-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for program in ["ssh", "kubectl", "docker", "ip", "bridge", "tcpdump", "curl", "sh", "ping", "rm", "cat", "mktemp"] {
                let script = folder.appendingPathComponent(program)
                let extra = program == "mktemp" ? "echo /tmp/labgen-capture.trap.pcap\n" : ""
                try "#!/bin/sh\n/usr/bin/touch '\(marker.path)'\n\(extra)".write(to: script, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
            }
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    static func hostileDestinations(_ marker: String) -> [String] {
        ["-oProxyCommand=touch \(marker)", "-F\(marker)", "-oLocalCommand=touch \(marker)",
         "alice@vm -oProxyCommand=touch \(marker)", "vm\n-oProxyCommand=touch \(marker)",
         "-p22", "", "alice@", "@vm", "vm:0", "vm:99999", "a@b@-c", "[::1", "vm:22:33", "ssh://-oProxyCommand=x", "ssh://"]
    }

    @Test func destinationShapes() {
        for good in ["vm-alice", "alice@vm-alice", "alice@vm-alice:2222", "10.0.0.5", "alice@10.0.0.5:22",
                     "[::1]", "bob@[fe80::1]:2200", "lab_01.example.org", "ssh://lab@127.0.0.1:2222"] {
            #expect(CommandArgument.checkSSHDestination(good) == nil, "\(good)")
        }
        #expect(SSHDestination("alice@vm:2222")?.target == "alice@vm" && SSHDestination("alice@vm:2222")?.port == 2222)
        #expect(SSHDestination("bob@[fe80::1]:2200")?.target == "bob@fe80::1" && SSHDestination("bob@[fe80::1]:2200")?.port == 2200)
        #expect(SSHDestination("vm")?.port == nil)
        for bad in Self.hostileDestinations("/tmp/x") {
            let problem = CommandArgument.checkSSHDestination(bad)
            #expect(problem != nil, "\(bad.debugDescription) accepted")
            if !bad.isEmpty { #expect(problem?.contains(bad.debugDescription) == true, "\(problem ?? "")") }
        }
    }

    @Test func sshPlacesThePortBeforeAndTheDestinationAfterTheEndOfOptions() throws {
        let argv = try SSHRunner(destination: "alice@vm-alice:2222", connectTimeout: 3).sshArgv(["true"])
        #expect(argv == ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=3", "-p", "2222", "--", "alice@vm-alice", "true"])
    }

    /// The real ssh would run a ProxyCommand given as destination; the runner refuses it.
    @Test func hostileSSHDestinationRunsNothing() async throws {
        let trap = try Trap()
        defer { trap.remove() }
        for destination in Self.hostileDestinations(trap.marker.path) {
            for local in [LocalRunner(), trap.runner] {
                let runner = SSHRunner(destination: destination, connectTimeout: 1, local: local)
                do {
                    _ = try await runner.run(["true"], timeout: 5)
                    Issue.record("\(destination.debugDescription) ran")
                } catch CommandError.refused(let problem) {
                    if !destination.isEmpty { #expect(problem.contains(destination.debugDescription), "\(problem)") }
                }
                #expect(throws: CommandError.self) { _ = try runner.start(["true"]) }
            }
        }
        #expect(!trap.ran)
    }

    @Test func rosterWithAHostileSSHProbesNothing() async throws {
        let trap = try Trap()
        defer { trap.remove() }
        let value = "-oProxyCommand=touch \(trap.marker.path)"
        let roster = Roster(secret: "s", attendees: [Roster.Attendee(id: "mallory", name: "M", facts: "m.json", ssh: value)])
        for local in [LocalRunner(), trap.runner] {
            let prober = RosterProber(roster: roster, baseDirectory: trap.folder, options: ProbeOptions(),
                                      attendeeTimeout: 10, connectTimeout: 1, local: local)
            let outcomes = await prober.run { _ in }
            #expect(outcomes.count == 1)
            #expect(outcomes.first?.failure?.contains(value.debugDescription) == true, "\(outcomes.first?.failure ?? "")")
        }
        #expect(!trap.ran)
        #expect(!FileManager.default.fileExists(atPath: trap.folder.appendingPathComponent("m.json").path))
    }

    @Test(arguments: [("-x", nil), (nil, "-oops"), ("kind\n--server=http://evil", nil), (nil, "ctx\u{0}x"), ("", nil)] as [(String?, String?)])
    func hostileKubectlValuesRunNothing(context: String?, kubeconfig: String?) async throws {
        let trap = try Trap()
        defer { trap.remove() }
        let prober = Prober(runner: trap.runner, options: ProbeOptions(kubeconfig: kubeconfig, context: context, commandTimeout: 5))
        do {
            _ = try await prober.probe()
            Issue.record("probed with \(String(describing: context)) \(String(describing: kubeconfig))")
        } catch CommandError.refused(let problem) {
            let value = (context ?? kubeconfig)!
            #expect(problem.contains(value.isEmpty ? "is empty" : value.debugDescription), "\(problem)")
        }
        #expect(!trap.ran)
    }

    @Test func kubectlValuesAreJoinedToTheirFlags() throws {
        let client = KubeClient(runner: LocalRunner(), kubeconfig: "kube config", context: "kind-kind", timeout: 5)
        #expect(try client.base() == ["kubectl", "--kubeconfig=kube config", "--context=kind-kind", "--request-timeout=5s"])
    }

    @Test func hostileContainerAndInterfaceNamesRunNothing() async throws {
        let trap = try Trap()
        defer { trap.remove() }
        let runtime = CLIContainerRuntime(name: "docker", runner: trap.runner, timeout: 5)
        for name in ["-v", "--privileged", "kind worker", "a;b"] {
            await #expect(throws: CommandError.self) { _ = try await runtime.eth0PeerIndex(of: name) }
            await #expect(throws: CommandError.self) { _ = try await runtime.endpoint(of: name, on: "kind") }
        }
        await #expect(throws: CommandError.self) { _ = try await runtime.network(named: "-f") }
        let host = HostNetworkReader(runner: trap.runner, timeout: 5)
        for name in ["-j", "br 0", "a/b", ""] {
            await #expect(throws: CommandError.self) { _ = try await host.bridgeMAC(name) }
            await #expect(throws: CommandError.self) { _ = try await host.neighbourMACs(on: name) }
        }
        #expect(!trap.ran)
    }

    @Test func captureRefusesHostileInterfacesAndURLsBeforeTcpdump() async throws {
        let trap = try Trap()
        defer { trap.remove() }
        let facts = try CaptureRecipeTests().defaultFacts()
        for interface in ["-w/tmp/labgen-pwned", "--help", "br 0"] {
            let recipe = CaptureRecipe(interface: .named(interface), traffic: .none)
            #expect { _ = try recipe.plan(for: facts) } throws: { "\($0)".contains(interface.debugDescription) }
            // A plan made by hand is checked again where tcpdump's argv is built.
            var plan = try CaptureRecipe(interface: .bridge, traffic: .none).plan(for: facts)
            plan.interface = interface
            await #expect(throws: CommandError.self) { _ = try await Capturer(runner: trap.runner, commandTimeout: 5).capture(plan, via: "/tmp/labgen-capture.x") }
        }
        for url in ["-o/tmp/labgen-pwned", "file:///etc/passwd", "http://a b/", "--config=/x"] {
            let recipe = CaptureRecipe(interface: .bridge, traffic: .urls([url]))
            #expect { _ = try recipe.plan(for: facts) } throws: { "\($0)".contains(url.debugDescription) }
        }
        #expect(!trap.ran)
    }
}
