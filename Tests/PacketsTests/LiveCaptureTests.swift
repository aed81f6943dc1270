import Foundation
import Testing
@testable import Packets

/// A real capture: tcpdump on a veth between two network namespaces while curl fetches a page
/// from python's http.server in the other one. Decoded values must equal tshark's, and summary
/// lines tcpdump's.
@Suite(.serialized) struct LiveCaptureTests {
    static func sh(_ args: [String]) throws -> Int32 { try Oracle.run("/usr/bin/env", args).status }

    @Test func curlThroughVethMatchesTsharkAndTcpdump() throws {
        guard getuid() == 0 else { print("skipped: needs root to create network namespaces"); return }
        guard let ip = Oracle.find("ip"), Oracle.find("tcpdump") != nil, let curl = Oracle.find("curl") else {
            print("skipped: ip, tcpdump or curl missing"); return
        }
        let tag = String(getpid() % 100000)
        let nsA = "lgpa\(tag)", nsB = "lgpb\(tag)", vA = "lgva\(tag)", vB = "lgvb\(tag)"
        defer {
            _ = try? Oracle.run(ip, ["netns", "del", nsA])
            _ = try? Oracle.run(ip, ["netns", "del", nsB])
        }
        for cmd in [["netns", "add", nsA], ["netns", "add", nsB],
                    ["link", "add", vA, "type", "veth", "peer", "name", vB],
                    ["link", "set", vA, "netns", nsA], ["link", "set", vB, "netns", nsB]] {
            #expect(try Oracle.run(ip, cmd).status == 0, "ip \(cmd)")
        }
        for (ns, dev, addr) in [(nsA, vA, "10.213.7.1/24"), (nsB, vB, "10.213.7.2/24")] {
            _ = try Oracle.run(ip, ["netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"])
            _ = try Oracle.run(ip, ["netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1"])
            #expect(try Oracle.run(ip, ["-n", ns, "addr", "add", addr, "dev", dev]).status == 0)
            #expect(try Oracle.run(ip, ["-n", ns, "link", "set", dev, "up"]).status == 0)
            #expect(try Oracle.run(ip, ["-n", ns, "link", "set", "lo", "up"]).status == 0)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labgen-live-\(tag)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("bonjour\n".utf8).write(to: dir.appendingPathComponent("index.html"))
        let pcap = dir.appendingPathComponent("veth.pcap").path

        let server = Process()
        server.executableURL = URL(fileURLWithPath: ip)
        server.arguments = ["netns", "exec", nsB, "python3", "-m", "http.server", "8080", "--bind", "10.213.7.2",
                            "--directory", dir.path]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        let dump = Process()
        dump.executableURL = URL(fileURLWithPath: ip)
        dump.arguments = ["netns", "exec", nsA, "tcpdump", "-i", vA, "-U", "-Z", "root", "-w", pcap, "tcp port 8080 or arp"]
        dump.standardOutput = FileHandle.nullDevice
        dump.standardError = FileHandle.nullDevice
        try dump.run()
        // tcpdump writes the file header once it is capturing.
        for _ in 0 ..< 50 {
            if let a = try? FileManager.default.attributesOfItem(atPath: pcap), (a[.size] as? Int ?? 0) >= 24 { break }
            usleep(100_000)
        }
        usleep(500_000)
        // Wait for the server, then fetch the page once while tcpdump records.
        var ok = false
        for _ in 0 ..< 50 {
            if try Oracle.run(ip, ["netns", "exec", nsB, curl, "-s", "-o", "/dev/null", "http://10.213.7.2:8080/"]).status == 0 { ok = true; break }
            usleep(100_000)
        }
        #expect(ok, "http.server did not start")
        usleep(300_000)
        let fetch = try Oracle.run(ip, ["netns", "exec", nsA, curl, "-s", "http://10.213.7.2:8080/index.html"])
        #expect(String(decoding: fetch.out, as: UTF8.self) == "bonjour\n")
        usleep(1_000_000)
        // The test process may block SIGINT/SIGTERM and children inherit the mask; with -U every
        // packet is already flushed, so SIGKILL loses nothing.
        kill(dump.processIdentifier, SIGKILL)
        dump.waitUntilExit()

        let packets = try PacketDecoder.decodeFile(pcap)
        #expect(packets.count >= 8, "expected a TCP exchange, got \(packets.count) packets")
        #expect(packets.contains { $0.fields.first("http.request.uri")?.value == "/index.html" })
        #expect(packets.contains { $0.fields.first("http.response.code")?.value == "200" })
        let theirs = try Oracle.pdml(pcap)
        let diff = Differential.mismatches(packets, theirs)
        #expect(diff.isEmpty, "\(diff.joined(separator: "\n"))")
        let lines = try Oracle.tcpdump(pcap)
        for p in packets {
            #expect(p.summary == lines[p.number - 1])
        }
    }

    /// tcpdump's own lines for the crafted IPv4/ARP/802.1Q traffic.
    @Test func summariesMatchTcpdump() throws {
        let frames = Scenarios.ethernet()
        let path = try TempFiles.write(CaptureWriter.pcap(Scenarios.timed(frames), linkType: 1), name: "summary.pcap")
        let lines: [String]
        do { lines = try Oracle.tcpdump(path) } catch let e as OracleMissing { print("skipped: \(e)"); return }
        let packets = try PacketDecoder.decodeFile(path)
        var compared = 0
        for p in packets where Set(p.layerNames).isSubset(of: ["eth", "vlan", "arp", "ip", "tcp", "udp", "icmp", "data"]) {
            #expect(p.summary == lines[p.number - 1])
            compared += 1
        }
        #expect(compared >= 10)
    }
}
