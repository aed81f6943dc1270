import Foundation
import Testing
@testable import Packets

@Suite struct ReaderTests {
    static let frames = Array(Scenarios.ethernet().prefix(4))

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func classicPcapBothMagicsBothOrders(nano: Bool, big: Bool) throws {
        var packets = Scenarios.timed(ReaderTests.frames)
        for k in packets.indices { packets[k].fraction = nano ? 123_456_789 : 123_456 }
        let bytes = CaptureWriter.pcap(packets, linkType: 1, nanoseconds: nano, bigEndian: big)
        let reader = CaptureReader(bytes: bytes)
        let records = Array(reader)
        #expect(reader.error == nil)
        #expect(reader.format == .pcap)
        #expect(records.map(\.data) == ReaderTests.frames)
        #expect(records[0].timestamp == Timestamp(seconds: 1_664_662_891, nanoseconds: nano ? 123_456_789 : 123_456_000))
        #expect(records.map(\.number) == [1, 2, 3, 4])
    }

    @Test func snapLengthShorterThanPacket() throws {
        let bytes = CaptureWriter.pcap(Scenarios.timed(ReaderTests.frames), linkType: 1, snapLength: 70)
        var d = PacketDecoder()
        let packets = CaptureReader(bytes: bytes).map { d.decode($0) }
        #expect(packets[0].record.data.count == 70)
        #expect(packets[0].record.originalLength == 82)
        // Cut inside the TCP options: decoded as far as possible, marked truncated.
        #expect(packets[0].isTruncated)
        #expect(packets[0].layerNames == ["eth", "ip", "tcp"])
        #expect(packets[0].fields.first("tcp.srcport")?.value == "50074")
        // Cut inside the payload only: the headers are whole, the checksum is unverified.
        let getPacket = packets[3]
        #expect(getPacket.fields.first("tcp.checksum.status")?.value == "2")
    }

    @Test(arguments: [false, true])
    func pcapngBlocksAndResolutions(big: Bool) throws {
        var packets = Scenarios.timed(ReaderTests.frames)
        packets[1].interface = 1
        packets[1].fraction = 987_654_321
        let bytes = CaptureWriter.pcapng(packets, interfaces: [.init(linkType: 1), .init(linkType: 1, tsresol: 9)], bigEndian: big)
        let reader = CaptureReader(bytes: bytes)
        let records = Array(reader)
        #expect(reader.error == nil)
        #expect(reader.format == .pcapng)
        #expect(records.count == 4)
        #expect(records[1].interface == 1)
        #expect(records[1].timestamp.nanoseconds == 987_654_321)
        #expect(records[0].timestamp.nanoseconds == 462_426_000)
    }

    @Test func pcapngSimplePackets() throws {
        let bytes = CaptureWriter.pcapng(Scenarios.timed(ReaderTests.frames), interfaces: [.init(linkType: 1)], simple: true)
        let records = Array(CaptureReader(bytes: bytes))
        #expect(records.map(\.data) == ReaderTests.frames)
    }

    @Test func notACaptureIsAnErrorWithOffset() {
        let reader = CaptureReader(bytes: Array("hello, world".utf8))
        #expect(Array(reader).isEmpty)
        #expect(reader.error?.offset == 0)
        #expect(reader.error?.reason.contains("not a pcap") == true)
        let empty = CaptureReader(bytes: [])
        #expect(Array(empty).isEmpty)
        #expect(empty.error?.reason == "empty file")
    }

    @Test func truncatedRecordReportsOffsetAfterGoodRecords() {
        let bytes = CaptureWriter.pcap(Scenarios.timed(ReaderTests.frames), linkType: 1)
        let cut = Array(bytes.dropLast(10))
        let reader = CaptureReader(bytes: cut)
        let records = Array(reader)
        #expect(records.count == 3)
        #expect(reader.error != nil)
        #expect(reader.error!.offset > 24)
    }

    @Test func implausibleLengthIsRejected() {
        var bytes = CaptureWriter.pcap(Scenarios.timed([ReaderTests.frames[0]]), linkType: 1)
        bytes[24 + 8 ..< 24 + 12] = [0xff, 0xff, 0xff, 0x7f]
        let reader = CaptureReader(bytes: bytes)
        #expect(Array(reader).isEmpty)
        #expect(reader.error?.offset == 32)
    }

    /// Every prefix of a pcap and a pcapng decodes without crashing, and never reports more
    /// packets than it holds.
    @Test func everyPrefixDecodes() {
        let frames = Scenarios.ethernet()
        for bytes in [CaptureWriter.pcap(Scenarios.timed(frames), linkType: 1),
                      CaptureWriter.pcapng(Scenarios.timed(frames), interfaces: [.init(linkType: 1)])] {
            for n in 0 ... bytes.count {
                var d = PacketDecoder()
                let reader = CaptureReader(bytes: Array(bytes[..<n]))
                for r in reader {
                    let p = d.decode(r)
                    _ = p.summary
                    _ = p.fields
                    _ = p.dsr
                }
                #expect(n == bytes.count ? reader.error == nil : true)
            }
        }
    }

    /// Every prefix of every frame (a capture cut by snap length anywhere) decodes as far as it can.
    @Test func everyFramePrefixIsDecodedOrMarked() {
        var d = PacketDecoder()
        for frame in Scenarios.ethernet() {
            for n in 0 ... frame.count {
                let p = d.decode(CaptureRecord(number: 1, timestamp: Timestamp(seconds: 0, nanoseconds: 0), linkType: .ethernet,
                                               data: Array(frame[..<n]), originalLength: frame.count))
                _ = p.summary
                let fields = p.fields.flattened
                let past = fields.filter { $0.offset + $0.length > max(n, $0.offset) }.map(\.name)
                #expect(past.isEmpty, "fields past the capture: \(past)")
                if n < 14 { #expect(p.isTruncated) }
            }
        }
    }

    @Test func corruptBytesNeverCrash() {
        var rng = SystemRandomNumberGenerator()
        let base = CaptureWriter.pcap(Scenarios.timed(Scenarios.ethernet()), linkType: 1)
        for _ in 0 ..< 60 {
            var bytes = base
            for _ in 0 ..< 8 { bytes[Int.random(in: 24 ..< bytes.count, using: &rng)] = UInt8.random(in: 0 ... 255, using: &rng) }
            var d = PacketDecoder()
            for r in CaptureReader(bytes: bytes) { let p = d.decode(r); _ = p.summary; _ = p.fields }
        }
    }

    @Test func streamingFromFileKeepsOrder() throws {
        // Larger than one read chunk, so records straddle chunk boundaries.
        let frames = (0 ..< 20000).map { Scenarios.ipUDP($0 % 250) }
        let path = try TempFiles.write(CaptureWriter.pcap(Scenarios.timed(frames), linkType: 101), name: "stream.pcap")
        let reader = try CaptureReader(path: path)
        var n = 0, wrong = 0
        for r in reader { if n >= frames.count || r.data != frames[n] { wrong += 1 }; n += 1; if n > 20000 { break } }
        #expect(n == 20000)
        #expect(wrong == 0)
        #expect(reader.error == nil)
    }
}
