import Foundation
import Testing
@testable import Packets

@Suite struct FilterTests {
    static let packets: [Packet] = {
        var d = PacketDecoder()
        return Scenarios.timed(Scenarios.ethernet()).enumerated().map { k, p in
            d.decode(CaptureRecord(number: k + 1, timestamp: Timestamp(seconds: Int64(p.seconds), nanoseconds: 0),
                                   linkType: .ethernet, data: p.data, originalLength: p.data.count))
        }
    }()

    func numbers(_ f: String) throws -> [Int] {
        let filter = try DisplayFilter(f)
        return FilterTests.packets.filter { $0.matches(filter) }.map(\.number)
    }

    @Test func portAndAddressEitherSide() throws {
        // Inner (tunnelled) headers count too, as in Wireshark.
        #expect(try numbers("tcp.port == 8080 && ip.addr == 172.18.0.1") == [1, 2, 3, 4, 5, 6, 21, 22])
        #expect(try numbers("tcp.port == 8080 and ip.src == 10.244.3.250") == [2, 5])
        #expect(try numbers("udp.port == 8472") == [21])
    }

    @Test func presenceNegationAndParentheses() throws {
        #expect(try numbers("cilium.dsr") == [1, 17, 21, 22])
        #expect(try numbers("arp") == [12, 13])
        #expect(try numbers("!ip && !ipv6") == [12, 13])
        #expect(try numbers("not (tcp or udp or arp or icmp) && ipv6") == [16, 19])
        #expect(try numbers("vxlan.vni == 42 || geneve") == [20, 22])
    }

    @Test func comparisons() throws {
        #expect(try numbers("tcp.flags.syn == 1 && tcp.flags.ack == 0 && ip") == [1, 21, 22])
        #expect(try numbers("ip.ttl >= 64 && frame.len > 120") == [4, 5, 21, 22])
        #expect(try numbers("icmp.type == 0x08") == [10, 20])
        #expect(try numbers("cilium.dsr.svc_port == 31400 && ip.addr == 172.18.0.0/16") == [1, 21, 22])
        #expect(try numbers("eth.src == 02:42:AC:12:00:05 && arp") == [13])
        #expect(try numbers("http.request.method == \"GET\"") == [4])
        #expect(try numbers("ip.addr != 172.18.0.1 && ip") == [20])
        #expect(try numbers("vlan.id == 100") == [14])
    }

    @Test func errorsGiveTheColumn() {
        func column(_ f: String) -> Int? {
            do { _ = try DisplayFilter(f); return nil } catch { return error.column }
        }
        #expect(column("tcp.port == ") == 13)
        #expect(column("tcp.port = 80") == 10)
        #expect(column("(tcp && udp") == 12)
        #expect(column("tcp &&") == 7)
        #expect(column("ip.ttl > abc") == 10)
        #expect(column("tcp ) ") == 5)
        #expect(column("") == 1)
    }

    /// A misspelt field would match nothing, silently: it is refused, at its column, with the
    /// closest names.
    @Test(arguments: [
        ("tcp.prot == 80", 1, "unknown field `tcp.prot`; did you mean `tcp.port`?"),
        ("ip.addr == 10.0.0.1 && tcp.flags.sny == 1", 24, "did you mean `tcp.flags.syn`?"),
        ("!cilium.dssr", 2, "did you mean `cilium.dsr`?"),
        ("ip.scr == 10.0.0.1", 1, "did you mean `ip.src`?"),
        ("ipv.src == 10.0.0.1", 1, "did you mean `ip.src` or `ipv6.src`?"),
        ("quic", 1, "unknown field `quic`; labgen decodes arp, cilium, data, eth, frame, geneve, http, icmp, icmpv6, ip, ipv6,"),
    ])
    func unknownFieldsNameTheClosest(_ filter: String, _ column: Int, _ message: String) {
        #expect {
            _ = try DisplayFilter(filter)
        } throws: { error in
            guard let e = error as? FilterError else { return false }
            return e.column == column && e.message.contains(message)
        }
    }

    @Test func everyEmittedNameAndAliasIsAccepted() throws {
        for name in FieldNames.known { _ = try DisplayFilter(name) }
        // eth.addr is both emitted (tshark's copy of each address) and an alias (either side).
        #expect(FieldNames.known == FieldNames.emitted.union(DisplayFilter.aliases.keys))
    }

    /// The list agrees with the decoder: every name its sources write (`open("tcp", …)`,
    /// `leaf("tcp.srcport", …)`, name tables) is in it, and it has no name they do not write
    /// (the filter's aliases are listed in DisplayFilter.swift).
    @Test func fieldNamesMatchTheDecoderSources() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Packets")
        var written = Set<String>()
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let file as URL in files where file.pathExtension == "swift"
            && !["FieldNames.swift", "DisplayFilter.swift"].contains(file.lastPathComponent) {
            let text = try String(contentsOf: file, encoding: .utf8)
            // Dotted names anywhere (`leaf("tcp.srcport", …)`, `lg: "eth.src.lg"`), protocol
            // names where a field is opened (`open("tcp", …)`).
            for match in text.matches(of: #/"([_a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"/#) { written.insert(String(match.1)) }
            for match in text.matches(of: #/\("([_a-z][a-z0-9_]*)",/#) { written.insert(String(match.1)) }
        }
        #expect(written.subtracting(FieldNames.emitted).sorted() == [])
        #expect(FieldNames.emitted.subtracting(written).sorted() == [])
        // And each packet of the test scenarios emits only listed names.
        var sink = NameSink()
        for packet in FilterTests.packets { packet.emitFields(into: &sink) }
        #expect(sink.names.subtracting(FieldNames.emitted).sorted() == [])
        #expect(sink.names.count > 150)
    }
}

/// Collects the names a packet emits.
struct NameSink: FieldSink {
    var names = Set<String>()
    mutating func open(_ name: StaticString, _ label: StaticString, _ value: FieldValue, offset: Int, length: Int, note: FieldNote?) {
        names.insert(name.description)
    }
    mutating func close() {}
    mutating func leaf(_ name: StaticString, _ label: StaticString, _ value: FieldValue, offset: Int, length: Int, note: FieldNote?) {
        names.insert(name.description)
    }
}
