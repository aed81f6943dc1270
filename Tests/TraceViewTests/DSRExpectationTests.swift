import Foundation
import Testing
import Facts
import Packets
@testable import TraceView

/// What the attendee's SYN must carry, from their facts, and the check of their own capture.
@Suite struct DSRExpectationTests {
    static let body = """
        capture: dsr
        file: ../captures/seed-dsr.pcap
        filter: tcp.flags.syn == 1
        service: svc-echoserver
        pod: app=echoserver

        """

    func render(_ facts: Facts, body: String = body) throws -> String {
        try TraceEmbed(source: PacketsSource()).render(
            body: body, pageDirectory: Seed.contentRoot + "/labs", contentRoot: Seed.contentRoot, facts: facts, id: "t")
            .replacingOccurrences(of: "&#39;", with: "'")
    }

    /// The example: service 172.19.4.2:30999 with Cilium 1.12.
    static func otherFacts() throws -> Facts {
        var facts = try Seed.defaultFacts()
        facts.nodes[1].ip = "172.19.4.2"
        facts.services[0].ports[0].nodePort = 30999
        return facts
    }

    @Test func defaultFactsExpectTheRecordedBytes() throws {
        let html = try render(try Seed.defaultFacts())
        #expect(html.contains("<code class=\"trace-expected-bytes\">9a08 a87a 0200 12ac</code>"))
        #expect(html.contains("Exemple enregistré sur le cluster d’origine du TP"))
        #expect(html.contains("trace-check-none"))
        #expect(html.contains("Option IP DSR attendue, calculée à partir de vos valeurs\u{00A0}: service <strong>172.18.0.2:31400</strong>"))
    }

    @Test func anotherAttendeeGetsTheirOwnBytesAndTheRecordingKeepsItsNames() throws {
        let html = try render(try Self.otherFacts())
        #expect(html.contains("<code class=\"trace-expected-bytes\">9a08 1779 0204 13ac</code>"))
        #expect(!html.contains("9a08 a87a 0200 12ac</code>"))
        #expect(html.contains("service <strong>172.19.4.2:30999</strong>"))
        // The recording's ladder still has its roles, the step before the capture and its notes.
        #expect(html.contains(">Node contacté</text>") && html.contains("trace-arrow-inferred"))
        #expect(html.contains("IP source 172.18.0.2 = kind-worker, mais émis par kind-worker3"))
        var later = try Self.otherFacts()
        later.cilium.version = "1.14.5"
        #expect(try render(later).contains("<code class=\"trace-expected-bytes\">9a08 1779 0204 13ac</code>"))
    }

    @Test func aOneNodeClusterIsRefusedAtThePodLine() throws {
        var facts = try Seed.defaultFacts()
        facts.nodes = [facts.nodes[3]]
        #expect(throws: TraceError(line: 5, column: 6, message: facts.noContactNodeReason(avoiding: "kind-worker3"))) {
            try render(facts)
        }
    }

    /// Facts naming their own capture, in a folder of their own.
    func withOwnCapture(_ facts: Facts, map: (inout Facts.CaptureMap) -> Void = { _ in },
                        _ body: (Facts) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("own-capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("captures"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: Seed.contentRoot + "/captures/seed-dsr.pcap", toPath: dir.path + "/captures/dsr.pcap")
        var own = facts
        var m = Facts.CaptureMap(facts, contacted: "kind-worker", backend: "kind-worker3", veth: "vethff61702",
                                 service: .init(ip: "172.18.0.2", port: 31400), pod: .init(ip: "10.244.3.250", port: 8080))
        map(&m)
        own.captures = ["dsr": .init(file: "captures/dsr.pcap", takenAt: "2026-12-05T04:00:00Z", command: "tcpdump", map: m)]
        own.directory = dir.path
        try body(own)
    }

    @Test func theirOwnCaptureIsShownAndChecked() throws {
        try withOwnCapture(try Seed.defaultFacts()) { facts in
            let html = try render(facts)
            #expect(html.contains("Votre capture «\u{202F}dsr\u{202F}» (dsr.pcap, prise le 2026-12-05T04:00:00Z)"))
            #expect(!html.contains("Exemple enregistré"))
            #expect(html.contains("Votre capture porte bien le service 172.18.0.2:31400 (trame n°\u{00A0}1\u{00A0}: 9a08 a87a 0200 12ac)."))
            #expect(html.contains("trace-check-ok"))
            // The seed's SYN-ACK left its TCP checksum to offload: explained, not an error.
            #expect(html.contains("c’est le déchargement (offload)"))
        }
    }

    @Test func aDifferingCaptureSaysWhatDiffersAndWhy() throws {
        var facts = try Seed.defaultFacts()
        facts.services[0].ports[0].nodePort = 30999
        try withOwnCapture(facts) { facts in
            let html = try render(facts)
            #expect(html.contains("Votre capture porte le service 172.18.0.2:31400 (9a08 a87a 0200 12ac) au lieu de 172.18.0.2:30999"))
            #expect(html.contains("le NodePort capturé n’est pas celui de vos valeurs"))
        }
        // Only the SYN-ACK captured, on the pod's own node: no option, and the cause.
        try withOwnCapture(try Seed.defaultFacts(), map: { $0.contacted = "kind-worker3" }) { facts in
            let html = try render(facts, body: Self.body.replacingOccurrences(of: "filter: tcp.flags.syn == 1", with: "packets: 2"))
            #expect(html.contains("Aucun SYN dans votre capture"))
        }
    }

    @Test func anOwnCaptureOutsideTheFactsFolderIsRefused() throws {
        try withOwnCapture(try Seed.defaultFacts()) { facts in
            var escaping = facts
            escaping.captures?["dsr"]?.file = "../../etc/passwd"
            #expect(throws: TraceError.self) { try render(escaping) }
        }
    }
}
