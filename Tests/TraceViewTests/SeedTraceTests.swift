import LabgenCore
import Foundation
import Testing
import Facts
import Packets
@testable import TraceView

/// The lab's own block on the seed capture (`content/captures/seed-dsr.pcap`), through the
/// real decoder and the default facts.
@Suite struct SeedTraceTests {
    static let body = """
        file: ../captures/seed-dsr.pcap
        filter: tcp.port == 31400 || tcp.port == 8080
        highlight: cilium.dsr

        """

    func render(_ body: String = body, facts: Facts?? = .none) throws -> String {
        let chosen: Facts? = try facts ?? Seed.defaultFacts()
        return try TraceEmbed(source: PacketsSource()).render(
            body: body, pageDirectory: Seed.contentRoot + "/labs", contentRoot: Seed.contentRoot,
            facts: chosen, id: "trace-l1")
    }

    @Test func summariesAreTcpdumpLines() throws {
        let html = try render()
        #expect(html.contains("<a href=\"#trace-l1-p1\">22:21:31.462426 02:42:ac:12:00:02 &gt; 02:42:ac:12:00:05, ethertype IPv4 (0x0800), length 82: 172.18.0.1.50074 &gt; 10.244.3.250.8080: Flags [S], seq 327033400, win 64240, options [mss 1460,sackOK,TS val 704972761 ecr 0,nop,wscale 7], length 0</a>"))
        #expect(html.contains("<a href=\"#trace-l1-p2\">22:21:31.462617 02:42:ac:12:00:05 &gt; 02:42:1f:d6:b7:3b, ethertype IPv4 (0x0800), length 74: 172.18.0.2.31400 &gt; 172.18.0.1.50074: Flags [S.], seq 1104396694, ack 327033401, win 65160, options [mss 1460,sackOK,TS val 4059790408 ecr 704972761,nop,wscale 7], length 0</a>"))
    }

    /// tcpdump itself is the oracle for the summary lines (run in UTC like the decoder).
    @Test func summariesMatchTcpdump() throws {
        guard let tcpdump = ["/usr/bin/tcpdump", "/usr/sbin/tcpdump"].first(where: FileManager.default.isExecutableFile) else {
            print("skipped: tcpdump not installed"); return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tcpdump)
        process.arguments = ["-n", "-e", "-r", Seed.contentRoot + "/captures/seed-dsr.pcap"]
        process.environment = ["TZ": "UTC"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let html = try render()
        for (i, line) in lines.enumerated() {
            #expect(html.contains("<a href=\"#trace-l1-p\(i + 1)\">\(HTMLEscaping.escape(line, apostrophe: true))</a>"))
        }
    }

    @Test func dsrOptionFieldsSitAtTheirFrameOffsets() throws {
        let html = try render()
        // 14 bytes of Ethernet + 20 of fixed IPv4 header: the option starts at 34.
        #expect(html.contains("data-name=\"cilium.dsr\" data-offset=\"34\" data-length=\"8\""))
        #expect(html.contains("data-name=\"cilium.dsr.type\" data-offset=\"34\" data-length=\"1\""))
        #expect(html.contains("data-name=\"cilium.dsr.svc_port\" data-offset=\"36\" data-length=\"2\""))
        #expect(html.contains("data-name=\"cilium.dsr.svc_addr\" data-offset=\"38\" data-length=\"4\""))
        #expect(html.contains("<span class=\"trace-value\">31400</span>"))
        #expect(html.contains("<span class=\"trace-value\">172.18.0.2</span>"))
        // In packet 1's hex dump, bytes 34–41 are `9a 08 a8 7a 02 00 12 ac`, marked statically.
        let p1 = try #require(section(html, 1))
        for (i, byte) in ["9a", "08", "a8", "7a", "02", "00", "12", "ac"].enumerated() {
            #expect(p1.contains("<span class=\"trace-hl\" data-i=\"\(34 + i)\">\(byte)</span>"))
        }
        #expect(p1.contains("<span data-i=\"33\">fa</span>"))
        #expect(p1.contains("<span data-i=\"42\">c3</span>"))
        // The highlighted option's groups start open; so does the path to it.
        #expect(p1.contains("<details class=\"trace-field trace-hl\" data-name=\"cilium.dsr\" data-offset=\"34\" data-length=\"8\" open>"))
        // The explainer is in the SYN's section only: the SYN-ACK carries no option.
        #expect(p1.contains("service <strong>172.18.0.2:31400</strong>"))
        #expect(!(try #require(section(html, 2))).contains("trace-dsr"))
    }

    @Test func ladderLanesAreNamedFromFacts() throws {
        let html = try render()
        let ladder = try #require(html.range(of: "<figure class=\"trace-ladder\">").map { html[$0.lowerBound...] })
        // Lanes in role order: client, contacted node, backend node.
        let names = ["hôte/VM", "kind-worker", "kind-worker3"].map { "class=\"trace-lane-name\">\($0)</text>" }
        let positions = names.map { ladder.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(ladder.contains(">client</text>"))
        #expect(ladder.contains(">Node contacté</text>"))
        #expect(ladder.contains(">Node du Pod (backend)</text>"))
        #expect(ladder.contains("IP source 172.18.0.2 = kind-worker, mais émis par kind-worker3"))
        #expect(ladder.contains("172.18.0.1.50074 → 172.18.0.2.31400"))

        // Another attendee's facts change nothing: the recording is named from its own map.
        var facts = try Seed.defaultFacts()
        facts.nodes[3].name = "worker-<b>&3"
        facts.nodes[1].mac = "02:42:0a:00:00:09"
        let other = try render(facts: facts)
        #expect(other == html)
        let bare = try render(facts: .some(nil))
        #expect(bare == html)
    }

    /// A capture with no map beside it: lanes keep their address, once, and the page says why.
    @Test func aCaptureWithoutMapSaysWhyLanesAreUnnamed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trace-nomap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("labs"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: Seed.contentRoot + "/captures/seed-dsr.pcap", toPath: dir.path + "/copie.pcap")
        let html = try TraceEmbed(source: PacketsSource()).render(
            body: "file: ../copie.pcap\n", pageDirectory: dir.path + "/labs", contentRoot: dir.path, facts: nil, id: "t")
            .replacingOccurrences(of: "&#39;", with: "'")
        #expect(html.contains("class=\"trace-lane-name\">02:42:ac:12:00:05</text>"))
        #expect(!html.contains("class=\"trace-lane-detail\">02:42:ac:12:00:05</text>"), "the MAC once, not twice")
        #expect(html.contains("aucune carte du cluster n’accompagne cette capture (pas de fichier copie.json à côté de la capture)"))
        // A map that names only some addresses: the others are listed, with the reason.
        var map = try JSONDecoder().decode(Facts.Capture.self, from: Data(contentsOf: URL(fileURLWithPath: Seed.contentRoot + "/captures/seed-dsr.json")))
        map.map.nodes.removeAll { $0.name == "kind-worker" }
        try JSONEncoder().encode(map).write(to: dir.appendingPathComponent("copie.json"))
        let partial = try TraceEmbed(source: PacketsSource()).render(
            body: "file: ../copie.pcap\n", pageDirectory: dir.path + "/labs", contentRoot: dir.path, facts: nil, id: "t")
            .replacingOccurrences(of: "&#39;", with: "'")
        #expect(partial.contains("02:42:ac:12:00:02 n’est pas dans la carte du cluster enregistrée avec la capture"))
        #expect(partial.contains("l’adresse de service 172.18.0.2 de l’option DSR n’est l’adresse d’aucun Node de la carte"))
        #expect(partial.contains(">kind-worker3</text>"))
    }

    @Test func selectionKeepsOnlyTheNamedFrames() throws {
        let html = try render("file: ../captures/seed-dsr.pcap\npackets: 2\n")
        #expect(!html.contains("id=\"trace-l1-p1\""))
        #expect(html.contains("id=\"trace-l1-p2\""))
        #expect(html.contains("Capture seed-dsr.pcap, trames 2\u{00A0}: 1 paquet."))
    }

    @Test func renderingIsDeterministic() throws {
        let a = try render()
        let b = try render()
        #expect(a == b)
        #expect(a.utf8.count > 10_000)
    }

    @Test(arguments: [
        ("file: ../captures/seed-dsr.pcap\nfilter: tcp.port ==\n", 2, 9, "bad filter"),
        ("file: ../captures/seed-dsr.pcap\nfilter: udp\n", 2, 9, "no packet"),
        ("file: ../captures/seed-dsr.pcap\nfilter: tcp.port == 31400 || tcp.prot == 8080\n", 2, 30, "unknown field `tcp.prot`; did you mean `tcp.port`?"),
        ("file: ../captures/seed-dsr.pcap\npackets: 5-6\n", 2, 10, "no packet"),
        ("file: ../../Package.swift\n", 1, 7, "leaves the content root"),
        ("file: ../captures/nope.pcap\n", 1, 7, "not found"),
        ("file: ../facts/default.json\n", 1, 7, "cannot read capture"),
    ])
    func errorsPointAtTheValue(body: String, line: Int, column: Int, message: String) {
        #expect {
            _ = try render(body)
        } throws: { error in
            guard let e = error as? TraceError else { return false }
            return e.line == line && e.column >= column && e.message.contains(message)
        }
    }

    /// The `<section>` of packet `n`.
    func section(_ html: String, _ n: Int) -> Substring? {
        guard let start = html.range(of: "<section class=\"trace-packet\" id=\"trace-l1-p\(n)\""),
              let end = html[start.upperBound...].range(of: "</section>") else { return nil }
        return html[start.lowerBound ..< end.upperBound]
    }
}
