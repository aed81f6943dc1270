import Facts
import Foundation
import Packets
import Testing
@testable import Probe

/// A workshop end to end, through the `labgen` binary: attendees on their own KinD-shaped
/// namespace clusters (other addresses, MACs and NodePorts, the pod on another node each),
/// Cilium's DSR exchange played in the node namespaces (`Fixtures/cilium-dsr.py`), reached
/// over "ssh" (`Fixtures/netns-ssh/ssh`: the real quoting, run by a shell in the namespace),
/// captured with tcpdump by `labgen capture --roster`, then `labgen build --roster`.
///
/// `LABGEN_WORKSHOP_ATTENDEES=20` runs it for 20 attendees and prints the times (the README's
/// figure); the default, 3, also has an unreachable attendee whose previous files must stay.
@Suite(.serialized, .enabled(if: Capability.netns, "needs root and `ip netns` (CI runs as root)"))
struct WorkshopCaptureTests {
    static let octets = ["kind-control-plane": 3, "kind-worker": 2, "kind-worker2": 4, "kind-worker3": 5]
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// One attendee's cluster and what their capture must show.
    struct Attendee {
        var index: Int
        var id: String
        var shape: Topology.Shape
        var podNode: String
        var contacted: String
        var podIP: String
        var targetPort: Int
        var topology: Topology?
        var standIns: [RunningCommand] = []

        init(index i: Int) {
            index = i
            id = String(format: "a%02d", i)
            shape = Topology.Shape(net: "172.\(19 + i)", macPrefix: String(format: "02:42:ac:%02x", 19 + i),
                                   bridgeMAC: String(format: "02:42:%02x:d6:b7:3b", 0x20 + i), nodePort: 30999 - 7 * i)
            // The pod on another node each, one of them on the first worker.
            (podNode, contacted) = [("kind-worker3", "kind-worker"), ("kind-worker", "kind-worker2"),
                                    ("kind-worker2", "kind-worker")][i % 3]
            podIP = "10.\(200 + i).\(WorkshopCaptureTests.octets[podNode]! - 2).\(50 + i)"
            targetPort = 8080 + i
        }

        var serviceIP: String { shape.ip(lastOctet: WorkshopCaptureTests.octets[contacted]!) }
        var contactedMAC: String { shape.mac(lastOctet: WorkshopCaptureTests.octets[contacted]!) }
        var backendMAC: String { shape.mac(lastOctet: WorkshopCaptureTests.octets[podNode]!) }

        /// The option Cilium 1.12 puts on the SYN, as tshark prints the IP options' bytes.
        var optionHex: String {
            let port = [UInt8(shape.nodePort & 0xFF), UInt8(shape.nodePort >> 8)]
            let address = serviceIP.split(separator: ".").compactMap { UInt8($0) }.reversed()
            return ([0x9a, 0x08] + port + address).map { String(format: "%02x", $0) }.joined()
        }

        /// The default facts, made this cluster's.
        func facts(_ base: Facts, topology: Topology) -> Facts {
            var facts = base
            facts.host = .init(bridge: topology.bridge, ip: shape.ip(lastOctet: 1), mac: shape.bridgeMAC)
            facts.nodes = facts.nodes.map { node in
                let octet = WorkshopCaptureTests.octets[node.name]!
                var node = node
                node.ip = shape.ip(lastOctet: octet)
                node.mac = shape.mac(lastOctet: octet)
                node.veth = topology.veth(lastOctet: octet)
                node.podCIDR = "10.\(200 + index).\(octet - 2).0/24"
                return node
            }
            facts.services[0].ports[0].nodePort = shape.nodePort
            facts.services[0].ports[0].targetPort = targetPort
            facts.pods[0].node = podNode
            facts.pods[0].ip = podIP
            facts.lab.directory = "/home/\(id)/lab"
            return facts
        }
    }

    @Test func eachAttendeeCapturesAndGetsTheirOwnPackets() async throws {
        let measured = ProcessInfo.processInfo.environment["LABGEN_WORKSHOP_ATTENDEES"].flatMap { Int($0) }
        let count = measured ?? 3
        var attendees = (0..<count).map { Attendee(index: $0) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lgp-workshop-\(randomID())")
        do {
            for i in attendees.indices {
                let topology = try await Topology.up(attendees[i].shape, serve: false)
                attendees[i].topology = topology
                attendees[i].standIns = try await startCilium(for: attendees[i], on: topology)
            }
            try await run(attendees, in: directory, withUnreachable: measured == nil)
        } catch {
            Issue.record(error)
        }
        for attendee in attendees {
            for standIn in attendee.standIns { standIn.terminate() }
            await attendee.topology?.down()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The DSR datapath's two halves: forwarding on the contacted node, the reply on the pod's.
    func startCilium(for attendee: Attendee, on topology: Topology) async throws -> [RunningCommand] {
        let script = Fixture.url("cilium-dsr.py").path
        let contacted = LocalRunner(prefix: ["ip", "netns", "exec", topology.nodeNamespace(lastOctet: Self.octets[attendee.contacted]!)])
        let backend = LocalRunner(prefix: ["ip", "netns", "exec", topology.nodeNamespace(lastOctet: Self.octets[attendee.podNode]!)])
        let standIns = [
            try contacted.start(["python3", script, "forward", "eth0", attendee.serviceIP, String(attendee.shape.nodePort),
                                 attendee.podIP, String(attendee.targetPort), attendee.contactedMAC, attendee.backendMAC]),
            try backend.start(["python3", script, "reply", "eth0", attendee.podIP, String(attendee.targetPort),
                               attendee.backendMAC, attendee.shape.bridgeMAC]),
        ]
        for standIn in standIns {
            var ready = false
            for _ in 0..<200 where !ready {
                ready = standIn.stdoutSoFar.contains("ready")
                if standIn.isFinished { break }
                if !ready { try await Task.sleep(nanoseconds: 25_000_000) }
            }
            guard ready else {
                standIns.forEach { $0.terminate() }
                throw ProbeError("cilium-dsr.py did not start: \(standIn.stderrSoFar)", advice: "")
            }
        }
        return standIns
    }

    func run(_ attendees: [Attendee], in directory: URL, withUnreachable: Bool) async throws {
        let labgen = try Self.labgenBinary()
        let workshop = directory.appendingPathComponent("workshop")
        try FileManager.default.createDirectory(at: workshop.appendingPathComponent("facts"), withIntermediateDirectories: true)
        try Data("s3cr3t-workshop-0123456789\n".utf8).write(to: workshop.appendingPathComponent("roster.secret"))
        let base = try Facts.load(contentsOf: Self.repository.appendingPathComponent("content/facts/default.json"))
        var yaml = "secret: roster.secret\nattendees:\n"
        for attendee in attendees {
            try FactsFile.write(attendee.facts(base, topology: attendee.topology!),
                                to: workshop.appendingPathComponent("facts/\(attendee.id).json"))
            yaml += "  - id: \(attendee.id)\n    name: \"Stagiaire \(attendee.id)\"\n    facts: facts/\(attendee.id).json\n"
                + "    ssh: lab@\(attendee.topology!.hostNamespace)\n"
        }
        // An attendee whose VM is down, with an earlier capture: both files must stay as they are.
        let zoeFacts = workshop.appendingPathComponent("facts/zoe.json")
        let zoePCAP = workshop.appendingPathComponent("facts/captures/zoe/dsr.pcap")
        if withUnreachable {
            var facts = base
            facts.captures = ["dsr": .init(file: "captures/zoe/dsr.pcap", takenAt: "2026-12-01T09:00:00Z",
                                           command: "tcpdump -n -i vethff61702 -w -", map: .init(base, contacted: "kind-worker",
                                                                                                 backend: "kind-worker3", veth: "vethff61702"))]
            try FactsFile.write(facts, to: zoeFacts)
            try FileManager.default.createDirectory(at: zoePCAP.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("content/captures/seed-dsr.pcap"), to: zoePCAP)
            yaml += "  - id: zoe\n    name: Zoé\n    facts: facts/zoe.json\n    ssh: lab@lgp-\(randomID())-gone\n"
        }
        let roster = workshop.appendingPathComponent("roster.yaml")
        try Data(yaml.utf8).write(to: roster)
        let zoeBefore = withUnreachable ? (try Data(contentsOf: zoeFacts), try Data(contentsOf: zoePCAP)) : nil

        // labgen capture --roster, over the stand-in ssh.
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = Fixture.url("netns-ssh").path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        let local = LocalRunner(environment: environment)
        let captureStart = Date()
        let captured = try await local.run([labgen, "capture", "--roster", roster.path, "--jobs", "4", "--duration", "20",
                                            "--timeout", "60"], timeout: 600)
        let captureTime = Date().timeIntervalSince(captureStart)
        let log = captured.stderrText
        #expect(captured.exitCode == (withUnreachable ? 1 : 0), "\(log)")
        #expect(log.contains("labgen capture: \(attendees.count) of \(attendees.count + (withUnreachable ? 1 : 0)) attendees captured"), "\(log)")
        if let zoeBefore {
            #expect(log.contains("✗ zoe (lab@lgp-"), "\(log)")
            #expect(log.contains("No route to host"), "\(log)")
            #expect(try Data(contentsOf: zoeFacts) == zoeBefore.0)
            #expect(try Data(contentsOf: zoePCAP) == zoeBefore.1)
        }

        for attendee in attendees {
            let factsFile = workshop.appendingPathComponent("facts/\(attendee.id).json")
            let facts = try Facts.load(contentsOf: factsFile)
            let capture = try #require(facts.captures?["dsr"], "\(attendee.id): \(log)")
            #expect(capture.file == "captures/\(attendee.id)/dsr.pcap")
            #expect(capture.map.contacted == attendee.contacted)
            #expect(capture.map.backend == attendee.podNode)
            #expect(capture.map.veth == attendee.topology!.veth(lastOctet: Self.octets[attendee.podNode]!))
            #expect(capture.map.service == Facts.Endpoint(ip: attendee.serviceIP, port: attendee.shape.nodePort))
            #expect(capture.map.pod == Facts.Endpoint(ip: attendee.podIP, port: attendee.targetPort))
            #expect(capture.command.hasPrefix("ssh lab@\(attendee.topology!.hostNamespace) -- tcpdump"), "\(capture.command)")
            #expect(capture.command.hasSuffix("-- 'tcp port \(attendee.shape.nodePort) or (host \(attendee.podIP) and tcp port \(attendee.targetPort))'"),
                    "\(capture.command)")
            let pcap = factsFile.deletingLastPathComponent().appendingPathComponent(capture.file)

            // tshark is the oracle: the SYN from the contacted node, DNATed, carrying the
            // option that names this attendee's service; the SYN-ACK straight from the backend.
            let fields = try await LocalRunner().output(
                ["tshark", "-r", pcap.path, "-T", "fields", "-E", "separator=|", "-e", "eth.src", "-e", "eth.dst", "-e", "ip.src",
                 "-e", "ip.dst", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.flags", "-e", "ip.hdr_len"], timeout: 30).stdoutText
            let rows = fields.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
            let client = attendee.shape.ip(lastOctet: 1)
            let syn = try #require(rows.first { $0[6] == "0x0002" }, "\(attendee.id): \(fields)")
            #expect(Array(syn[0...3]) == [attendee.contactedMAC, attendee.backendMAC, client, attendee.podIP], "\(syn)")
            #expect(syn[5] == String(attendee.targetPort) && syn[7] == "28", "\(syn)")
            let synAck = try #require(rows.first { $0[6] == "0x0012" }, "\(attendee.id): \(fields)")
            #expect(Array(synAck[0...5]) == [attendee.backendMAC, attendee.shape.bridgeMAC, attendee.serviceIP, client,
                                             String(attendee.shape.nodePort), syn[4]], "\(synAck)")
            // tshark has no field name for an unknown IPv4 option: its PDML shows the bytes.
            let pdml = try await LocalRunner().output(["tshark", "-r", pcap.path, "-Y", "tcp.flags == 0x0002", "-T", "pdml"],
                                                      timeout: 30).stdoutText
            let option = pdml.firstMatch(of: #/show="Options: \(8 bytes\)" size="8" pos="34" value="([0-9a-f]+)"/#).map { String($0.1) }
            #expect(option == attendee.optionHex, "\(attendee.id): \(option ?? "no IPv4 option")")
            // labgen's decoder explains the same option as this attendee's service.
            let packets = try PacketDecoder.decodeFile(pcap.path)
            let dsr = try DisplayFilter("cilium.dsr.svc_addr == \(attendee.serviceIP) && cilium.dsr.svc_port == \(attendee.shape.nodePort)")
            #expect(packets.filter { $0.matches(dsr) }.count == 1, "\(attendee.id)")
        }

        // labgen build --roster: one handout per attendee, none holding another's values.
        let content = directory.appendingPathComponent("content")
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("content"), to: content)
        let out = directory.appendingPathComponent("site")
        let buildStart = Date()
        let built = try await local.run([labgen, "build", "--content", content.path, "--out", out.path, "--roster", roster.path,
                                         "--templates", Self.repository.appendingPathComponent("templates").path], timeout: 600)
        let buildTime = Date().timeIntervalSince(buildStart)
        #expect(built.exitCode == 0, "\(built.stderrText)")
        let handouts = try handouts(in: out)
        #expect(handouts.count == attendees.count + (withUnreachable ? 1 : 0), "\(handouts.keys.sorted())")
        for attendee in attendees {
            let mine = try #require(handouts.values.first { $0.contains("Stagiaire \(attendee.id)") }, "\(attendee.id)")
            try expectOwnCapture(in: mine, of: attendee)
            for other in attendees where other.id != attendee.id {
                for value in [other.contactedMAC, other.backendMAC, other.shape.bridgeMAC, other.podIP, other.shape.net + ".0."] {
                    #expect(!mine.contains(value), "\(attendee.id)'s handout holds \(other.id)'s \(value)")
                }
            }
        }
        if withUnreachable {
            // Zoé's capture failed: her handout still shows her earlier one, checked as hers.
            let zoe = try #require(handouts.values.first { $0.contains("Zoé") })
            #expect(zoe.contains("Votre capture « dsr » (dsr.pcap, prise le 2026-12-01T09:00:00Z)"))
            #expect(zoe.contains("Votre capture porte bien le service 172.18.0.2:31400 (trame n° 1 : 9a08 a87a 0200 12ac)."))
        }
        print("WorkshopCaptureTests: \(attendees.count) attendees, capture --roster \(String(format: "%.1f", captureTime)) s, "
              + "build --roster \(String(format: "%.1f", buildTime)) s")
    }

    /// The handout shows the attendee's own capture, decoded to their service, their ladder
    /// annotated with their cluster's names and addresses, and the check saying it matches.
    func expectOwnCapture(in handout: String, of attendee: Attendee) throws {
        let client = attendee.shape.ip(lastOctet: 1)
        let spaced = stride(from: 0, to: 16, by: 4).map { i in
            String(Array(attendee.optionHex)[i..<i + 4]) }.joined(separator: " ")
        #expect(handout.contains("trace-origin-own"), "\(attendee.id)")
        #expect(handout.contains("Votre capture « dsr » (dsr.pcap, prise le "), "\(attendee.id)")
        #expect(handout.contains("Votre capture porte bien le service \(attendee.serviceIP):\(attendee.shape.nodePort) (trame n° 1 : \(spaced))."),
                "\(attendee.id)")
        // The decoded lines: the SYN DNATed to the pod, the SYN-ACK from the service address.
        #expect(handout.contains("&gt; \(attendee.podIP).\(attendee.targetPort): Flags [S], "), "\(attendee.id)")
        #expect(handout.contains("\(attendee.serviceIP).\(attendee.shape.nodePort) &gt; \(client)."), "\(attendee.id)")
        // The ladder: the request before the capture, the SYN through the contacted node, the
        // SYN-ACK straight from the pod's node; each lane with this cluster's MAC and IP.
        #expect(handout.contains("Échange : avant la capture de hôte/VM vers \(attendee.contacted) ; n° 1 · [S] de \(attendee.contacted) vers "
                                 + "\(attendee.podNode) ; n° 2 · [S.] de \(attendee.podNode) vers hôte/VM"), "\(attendee.id)")
        for (name, mac, ip, role) in [(attendee.contacted, attendee.contactedMAC, attendee.serviceIP, "Node contacté"),
                                      (attendee.podNode, attendee.backendMAC, attendee.shape.ip(lastOctet: Self.octets[attendee.podNode]!),
                                       "Node du Pod (backend)"),
                                      ("hôte/VM", attendee.shape.bridgeMAC, client, "client")] {
            let text = [name, mac, ip, role].map { NSRegularExpression.escapedPattern(for: $0) + "</text>" }
            let lane = try Regex("trace-lane-name\">" + text.joined(separator: "\\s*<text[^>]*>"))
            #expect(handout.contains(lane), "\(attendee.id): no lane \(name) \(mac) \(ip) \(role)")
        }
    }

    /// Each attendee's handout text, by token folder.
    func handouts(in site: URL) throws -> [String: String] {
        var found: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: site.path) {
            let handout = site.appendingPathComponent(name).appendingPathComponent("handout.html")
            // French spacing (U+202F, U+00A0) read as plain spaces: FrenchTypographyTests checks it.
            if let data = FileManager.default.contents(atPath: handout.path) {
                found[name] = String(decoding: data, as: UTF8.self)
                    .replacingOccurrences(of: "\u{202F}", with: " ").replacingOccurrences(of: "\u{00A0}", with: " ")
            }
        }
        return found
    }

    /// The `labgen` executable `swift build` made beside this test bundle.
    static func labgenBinary() throws -> String {
        let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("labgen"),
                          repository.appendingPathComponent(".build/debug/labgen")]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ProbeError("no labgen binary at \(candidates.map(\.path))", advice: "run `swift build` first (scripts/test does)")
        }
        return found.path
    }
}
