import Testing
@testable import TraceView

@Suite struct TraceBlockTests {
    @Test func parsesTheLabBlock() throws {
        let block = try TraceBlock(parsing: """
            file: ../captures/seed-dsr.pcap
            filter: tcp.port == 31400 || tcp.port == 8080
            highlight: cilium.dsr
            """)
        #expect(block.file == .init("../captures/seed-dsr.pcap", line: 1, column: 7))
        #expect(block.filter == .init("tcp.port == 31400 || tcp.port == 8080", line: 2, column: 9))
        #expect(block.packets == nil)
        #expect(block.highlight == ["cilium.dsr"])
    }

    @Test func parsesSelectionsAndSeveralHighlights() throws {
        let block = try TraceBlock(parsing: "# comment\n\n  file:  a.pcapng  \npackets: 1-2, 5\nhighlight: ip.ttl, tcp.flags\n")
        #expect(block.file == .init("a.pcapng", line: 3, column: 10))
        #expect(block.packets?.value.ranges == [1...2, 5...5])
        #expect(block.packets?.value.contains(5) == true)
        #expect(block.packets?.value.contains(3) == false)
        #expect(block.highlight == ["ip.ttl", "tcp.flags"])
    }

    @Test(arguments: [
        ("filter: tcp\n", 1, 1, "needs a `file:`"),
        ("file: a.pcap\ncolour: red\n", 2, 1, "unknown key `colour`"),
        ("file: a.pcap\nfile: b.pcap\n", 2, 1, "given twice"),
        ("file: a.pcap\npackets: 3-1\n", 2, 10, "bad packet selection"),
        ("file: a.pcap\npackets: x\n", 2, 10, "bad packet selection"),
        ("file: a.pcap\n   just words\n", 2, 4, "expected `key: value`"),
        ("file:\n", 1, 6, "empty value"),
    ])
    func rejectsBadBlocksWithAPosition(body: String, line: Int, column: Int, message: String) {
        #expect {
            _ = try TraceBlock(parsing: body)
        } throws: { error in
            guard let e = error as? TraceError else { return false }
            return e.line == line && e.column == column && e.message.contains(message)
        }
    }
}
