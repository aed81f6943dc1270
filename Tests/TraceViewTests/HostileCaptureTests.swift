import Foundation
import Testing
import Packets
@testable import TraceView

/// A capture is untrusted input: an HTTP request whose path is a script must reach the page
/// as text, in the summary, the field tree and the ASCII column alike.
@Suite struct HostileCaptureTests {
    static let payload = Array("GET /<script>alert(\"x&y\")</script> HTTP/1.1\r\nHost: <img src=x onerror=alert(1)>\r\n\r\n".utf8)

    /// Ethernet + IPv4 + TCP (PSH-ACK to port 8080) carrying `payload`, in a classic pcap.
    static func capture() -> [UInt8] {
        var ip: [UInt8] = [0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]
        let tcp: [UInt8] = [0xc3, 0x50, 0x1f, 0x90, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]
        let total = ip.count + tcp.count + payload.count
        ip[2] = UInt8(total >> 8); ip[3] = UInt8(total & 0xff)
        var sum: UInt32 = 0
        for i in stride(from: 0, to: ip.count, by: 2) { sum += UInt32(ip[i]) << 8 | UInt32(ip[i + 1]) }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        let checksum = ~UInt16(sum)
        ip[10] = UInt8(checksum >> 8); ip[11] = UInt8(checksum & 0xff)
        let eth: [UInt8] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]
        let frame = eth + ip + tcp + payload
        func le32(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24 & 0xff)] }
        let header: [UInt8] = [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0] + le32(0) + le32(0) + le32(65535) + le32(1)
        return header + le32(1_700_000_000) + le32(0) + le32(frame.count) + le32(frame.count) + frame
    }

    @Test func payloadBytesAreEscapedEverywhere() throws {
        let content = try TempContent()
        try content.write(Self.capture(), to: "captures/hostile.pcap")
        let html = try TraceEmbed(source: PacketsSource()).render(
            body: "file: ../captures/hostile.pcap\nfilter: tcp.port == 8080\nhighlight: http\n",
            pageDirectory: content.labs, contentRoot: content.root, facts: nil, id: "t")
        // The decoder did see the request (so the hostile text really went through the page).
        #expect(html.contains("data-name=\"http\""))
        #expect(html.contains("&lt;script&gt;"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("alert(\"x"))
        // ASCII column: `<` of `<script>` is byte 14 + 20 + 20 + 5 = 59.
        #expect(html.contains("<span data-i=\"59\">&lt;</span>") || html.contains("<span class=\"trace-hl\" data-i=\"59\">&lt;</span>"))
    }
}
