import Foundation
import Testing
import Facts
import Packets
@testable import TraceView

/// Renderer-level tests on packets built here, independent of the decoder: escaping of every
/// string a capture controls, and the DSR figure drawn from the seed's own SYN bytes.
@Suite struct RendererTests {
    static let hostile = "\"><script>alert('x')</script>&"

    @Test func escapesEverythingThePacketControls() {
        let frame = Array("GET /<script>alert(1)</script> HTTP/1.1\r\n".utf8)
        let field = Field(name: "http.\(Self.hostile)", label: Self.hostile, value: Self.hostile, offset: 0,
                          length: frame.count, note: Self.hostile,
                          children: [Field(name: "data.data", label: "<i>", value: "<img src=x onerror=alert(1)>", offset: 0, length: 3)])
        let packet = TracePacket(number: 1, summary: Self.hostile, frame: frame, fields: [field], issue: Self.hostile)
        let html = TraceRenderer(id: "t\"<x>", highlight: [], map: nil, source: Self.hostile).render([packet])
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<i>"))
        #expect(!html.contains("'x'"))
        #expect(!html.contains("t\"<x>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"))
        // The ASCII column escapes byte by byte.
        #expect(html.contains(">&lt;</span><span data-i=\"6\">s</span>"))
    }

    @Test func drawsTheDSRFigureFromTheSeedBytes() throws {
        let packet = TracePacket(number: 1, summary: "SYN", frame: Seed.syn, fields: [
            Field(name: "eth", label: "Ethernet II", value: "", offset: 0, length: 14),
            Field(name: "ip", label: "Internet Protocol Version 4", value: "", offset: 14, length: 28, children: [
                Field(name: "cilium.dsr", label: "Cilium DSR service option", value: "", offset: 34, length: 8),
            ]),
        ], dsr: CiliumDSR.explainIPv4(frame: Seed.syn, at: 34))
        let html = TraceRenderer(id: "t", highlight: ["cilium.dsr"]).render([packet])
        #expect(html.contains("<figure class=\"trace-dsr\" id=\"t-dsr1\" data-offset=\"34\" data-length=\"8\">"))
        #expect(html.contains("service <strong>172.18.0.2:31400</strong>"))
        #expect(html.contains("IHL = 7 mots de 32 bits, soit 28 octets"))
        // Header grid: the option's type, length, port and address cells at their offsets.
        #expect(html.contains("data-offset=\"34\" data-length=\"1\" role=\"cell\"><span class=\"trace-cell-label\">Type 0x9a (154)</span><code>9a</code>"))
        #expect(html.contains("data-offset=\"36\" data-length=\"2\" role=\"cell\"><span class=\"trace-cell-label\">Port du service</span><code>a8 7a</code>"))
        #expect(html.contains("data-offset=\"38\" data-length=\"4\" role=\"cell\"><span class=\"trace-cell-label\">Adresse du service</span><code>02 00 12 ac</code>"))
        // The swap and the decimal conversions.
        #expect(html.contains(">0x7aa8 = 31400</text>"))
        #expect(html.contains("= 7×16<sup>3</sup> + 10×16<sup>2</sup> + 10×16 + 8 = 28672 + 2560 + 160 + 8 = <strong>31400</strong>"))
        #expect(html.contains("= 43130\u{00A0}: ce n’est pas le NodePort"))
        #expect(html.contains("<code>ac</code> = 10×16 + 12 = 172"))
        #expect(html.contains("→ <strong>172.18.0.2</strong>"))
        // Highlighted bytes are marked in the hex dump without any script.
        for i in 34 ..< 42 { #expect(html.contains("<span class=\"trace-hl\" data-i=\"\(i)\"")) }
        #expect(!html.contains("<span class=\"trace-hl\" data-i=\"33\""))
        #expect(!html.contains("<span class=\"trace-hl\" data-i=\"42\""))
    }
}

/// The seed's two frames, as `tshark -x` prints /work/shared/fixtures/seed-dsr.pcap.
enum Seed {
    static let syn = hex("""
        02 42 ac 12 00 05 02 42 ac 12 00 02 08 00 47 00 00 44 10 2d 40 00 40 06 16 57 ac 12 00 01 0a f4
        03 fa 9a 08 a8 7a 02 00 12 ac c3 9a 1f 90 13 7e 22 38 00 00 00 00 a0 02 fa f0 bb 2f 00 00 02 04
        05 b4 04 02 08 0a 2a 05 07 d9 00 00 00 00 01 03 03 07
        """)

    static func hex(_ s: String) -> [UInt8] {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { UInt8($0, radix: 16)! }
    }

    /// The repository's content root, found from this file.
    static var contentRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("content").path
    }

    static func defaultFacts() throws -> Facts {
        try JSONDecoder().decode(Facts.self, from: Data(contentsOf: URL(fileURLWithPath: contentRoot + "/facts/default.json")))
    }
}
