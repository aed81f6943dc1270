import Foundation
import Testing
@testable import Packets

/// `labgen decode --json` writes fields straight to bytes, apart from the `Field` tree the
/// differential tests check against tshark: both must say the same thing.
@Suite struct JSONWriterTests {
    static func decoded(snapLength: Int = 262_144) -> [Packet] {
        let frames = Scenarios.ethernet() + [[0x02, 0x42, 0xac]]
        let bytes = CaptureWriter.pcap(Scenarios.timed(frames), linkType: 1, snapLength: UInt32(snapLength))
        var d = PacketDecoder()
        return CaptureReader(bytes: bytes).map { d.decode($0) }
    }

    static func json(_ packets: [Packet]) throws -> [[String: Any]] {
        var w = JSONPacketWriter()
        w.begin()
        for p in packets { w.write(p) }
        w.end()
        let any = try JSONSerialization.jsonObject(with: Data(w.buffer.bytes))
        return try #require(any as? [[String: Any]])
    }

    /// The tree as the JSON shape, for comparison.
    static func expected(_ f: Field) -> [String: Any] {
        var d: [String: Any] = ["name": f.name, "value": f.value, "offset": f.offset, "length": f.length,
                                "children": f.children.map(expected)]
        if let n = f.note { d["note"] = n }
        return d
    }

    static func same(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            return x.keys.sorted() == y.keys.sorted() && x.keys.allSatisfy { same(x[$0]!, y[$0]!) }
        case let (x as [Any], y as [Any]):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case let (x as String, y as String): return x == y
        case let (x as NSNumber, y as Int): return x.intValue == y
        default: return false
        }
    }

    @Test(arguments: [262_144, 60])
    func fieldsMatchTheTree(snapLength: Int) throws {
        let packets = JSONWriterTests.decoded(snapLength: snapLength)
        let objects = try JSONWriterTests.json(packets)
        #expect(objects.count == packets.count)
        for (p, o) in zip(packets, objects) {
            #expect(o["number"] as? Int == p.number)
            #expect(o["layers"] as? [String] == p.layerNames)
            #expect(o["summary"] as? String == p.summary)
            #expect((o["issue"] != nil) == (p.issue != nil))
            let fields = try #require(o["fields"] as? [Any])
            #expect(JSONWriterTests.same(fields, p.fields.map(JSONWriterTests.expected)),
                    "packet \(p.number): JSON fields differ from the field tree")
        }
    }

    @Test func exactBytesOfALeafAndTheDSRNotes() throws {
        let packets = try PacketDecoder.decodeFile(SeedTests.seedPath)
        var w = JSONPacketWriter()
        w.write(packets[0])
        let text = w.buffer.string
        #expect(text.contains(#"{"name":"ip.ttl","value":"64","offset":22,"length":1,"children":[]}"#))
        #expect(text.contains(#""name":"tcp.flags.str","value":"··········S·""#))
        #expect(text.contains(#""value":"9a:08:a8:7a:02:00:12:ac","offset":34,"length":8,"note":"service 172.18.0.2:31400","children":["#))
        #expect(text.contains(#""note":"wire bytes a8 7a swapped by htonl → 7a a8 = 0x7aa8 = 31400""#))
        #expect(text.contains(#""value":"172.18.0.2","offset":38,"length":4,"note":"wire bytes 02 00 12 ac swapped by htonl → ac 12 00 02 = 172.18.0.2""#))
        let e = try #require(packets[0].dsr)
        #expect(packets[0].fields.first("cilium.dsr.svc_port")?.note == e.portNote)
        #expect(packets[0].fields.first("cilium.dsr.svc_addr")?.note == e.addressNote)
    }

    @Test func numbersAndAddressesFormatLikeBefore() {
        let b = ByteBuffer(capacity: 8)
        for v: UInt64 in [0, 9, 10, 99, 100, 999, 1000, 65535, 4_294_967_295, UInt64.max] {
            b.removeAll(); b.append(decimal: v)
            #expect(b.string == String(v))
        }
        b.removeAll(); b.append(decimal: -42); #expect(b.string == "-42")
        b.removeAll(); b.append(hex: 0x12, digits: 4); #expect(b.string == "0012")
        b.removeAll(); b.append(hex: 0x12345, digits: 2); #expect(b.string == "12345")
        b.removeAll(); b.append(hex: 0, digits: 1); #expect(b.string == "0")
        b.removeAll(); b.append(hex: 1, digits: 18); #expect(b.string == "000000000000000001")
        b.removeAll(); b.append(ipv4: 0xac12_0002); #expect(b.string == "172.18.0.2")
        b.removeAll(); b.append(ipv4: 0xffff_0a00); #expect(b.string == "255.255.10.0")
        b.removeAll(); b.append(mac: 0x0242_ac12_0005); #expect(b.string == "02:42:ac:12:00:05")
        b.removeAll(); b.append(ipv6High: 0xfd00_0010_0244_0000, low: 1); #expect(b.string == "fd00:10:244::1")
        b.removeAll(); b.append(colonHex: [1, 0xab, 0xff], start: 0, count: 3); #expect(b.string == "01:ab:ff")
        b.removeAll(); b.append(tcpFlagString: 0x012); #expect(b.string == "·······A··S·")
        b.removeAll(); b.appendJSONEscaped("a\"b\\c\n\u{1}"); #expect(b.string == #"a\"b\\c\n\u0001"#)
    }

    /// What `JSONDump` writes to a file descriptor, read back.
    static func dump(_ bytes: [UInt8], workers: Int, batch: Int, filter: String?) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("json-dump-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0)
        var d = JSONDump(workers: workers)
        d.batchSize = batch
        d.write(CaptureReader(bytes: bytes), filter: try filter.map { try DisplayFilter($0) }, to: fd)
        close(fd)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test(arguments: [nil, "tcp.port == 8080", "udp", "frame.number > 1000"])
    func threadedDumpEqualsTheSerialOne(filter: String?) throws {
        let frames = Scenarios.ethernet() + Scenarios.ethernet() + Scenarios.ethernet()
        let bytes = CaptureWriter.pcap(Scenarios.timed(frames), linkType: 1)
        let serial = try JSONWriterTests.dump(bytes, workers: 1, batch: 512, filter: filter)
        #expect(serial.hasPrefix("[\n") && serial.hasSuffix("]\n"))
        for (workers, batch) in [(2, 1), (2, 4), (3, 7), (4, 512)] {
            #expect(try JSONWriterTests.dump(bytes, workers: workers, batch: batch, filter: filter) == serial,
                    "workers \(workers), batch \(batch)")
        }
        let parsed = try JSONSerialization.jsonObject(with: Data(serial.utf8)) as? [Any]
        if filter == "frame.number > 1000" { #expect(serial == "[\n]\n") } else { #expect((parsed?.count ?? 0) > 0) }
    }
}
