import Foundation
import Testing
@testable import Packets

/// Every decoded value must equal tshark's, on captures of every protocol written by the test.
@Suite struct DifferentialTests {
    func check(_ bytes: [UInt8], name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = try TempFiles.write(bytes, name: name)
        let packets = try PacketDecoder.decodeFile(path)
        let theirs: [[Oracle.TField]]
        do { theirs = try Oracle.pdml(path) } catch let e as OracleMissing { print("skipped: \(e)"); return }
        let diff = Differential.mismatches(packets, theirs)
        #expect(diff.isEmpty, "\(name):\n\(diff.joined(separator: "\n"))", sourceLocation: sourceLocation)
        for p in packets { #expect(p.issue == nil, "\(name) #\(p.number): \(p.issue!)", sourceLocation: sourceLocation) }
    }

    @Test func ethernetProtocolsMatchTshark() throws {
        try check(CaptureWriter.pcap(Scenarios.timed(Scenarios.ethernet()), linkType: 1), name: "ethernet.pcap")
    }

    @Test func linuxCookedV1MatchesTshark() throws {
        let frames = (1 ... 3).map { n in
            Frames.be16(UInt16(n == 3 ? 4 : 0)) + Frames.be16(1) + Frames.be16(6) + Frames.mac("02:42:ac:12:00:0\(n)") + [0, 0]
                + Frames.be16(0x0800) + Scenarios.ipUDP(n)
        }
        try check(CaptureWriter.pcap(Scenarios.timed(frames), linkType: 113), name: "sll.pcap")
    }

    @Test func linuxCookedV2MatchesTshark() throws {
        let frames = (1 ... 3).map { n in
            Frames.be16(0x0800) + [0, 0] + Frames.be32(UInt32(n + 1)) + Frames.be16(1) + [UInt8(n == 3 ? 4 : 0), 6]
                + Frames.mac("02:42:ac:12:00:0\(n)") + [0, 0] + Scenarios.ipUDP(n)
        } + [Frames.be16(0x86dd) + [0, 0] + Frames.be32(1) + Frames.be16(772) + [0, 6] + [UInt8](repeating: 0, count: 8) + Scenarios.ip6ICMP()]
        try check(CaptureWriter.pcap(Scenarios.timed(frames), linkType: 276), name: "sll2.pcap")
    }

    @Test func rawAndNullLinksMatchTshark() throws {
        let raw = [Scenarios.ipUDP(1), Scenarios.ip6ICMP()]
        try check(CaptureWriter.pcap(Scenarios.timed(raw), linkType: 101), name: "raw.pcap")
        try check(CaptureWriter.pcap(Scenarios.timed(raw), linkType: 12), name: "raw12.pcap")
        let null = [[2, 0, 0, 0] + Scenarios.ipUDP(2), [0, 0, 0, 2] + Scenarios.ipUDP(3), [30, 0, 0, 0] + Scenarios.ip6ICMP()]
        try check(CaptureWriter.pcap(Scenarios.timed(null), linkType: 0), name: "null.pcap")
    }

    @Test func pcapngTwoInterfacesMatchTshark() throws {
        var packets = Scenarios.timed(Array(Scenarios.ethernet().prefix(6)))
        let raw = Scenarios.timed([Scenarios.ipUDP(7), Scenarios.ipUDP(8)])
        for var r in raw { r.interface = 1; r.fraction = 123456789; packets.append(r) }
        for big in [false, true] {
            try check(CaptureWriter.pcapng(packets, interfaces: [.init(linkType: 1), .init(linkType: 101, tsresol: 9)], bigEndian: big),
                      name: "two-interfaces-\(big).pcapng")
        }
    }
}
