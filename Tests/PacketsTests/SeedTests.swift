import Foundation
import Testing
@testable import Packets

@Suite struct SeedTests {
    static var seedPath: String { Bundle.module.path(forResource: "Fixtures/seed-dsr", ofType: "pcap")! }

    @Test func seedDecodesToTheDSRHandshake() throws {
        let packets = try PacketDecoder.decodeFile(SeedTests.seedPath)
        #expect(packets.count == 2)
        let syn = packets[0].fields, synAck = packets[1].fields
        #expect(packets[0].layerNames == ["eth", "ip", "tcp"])
        #expect(syn.first("ip.src")?.value == "172.18.0.1")
        #expect(syn.first("tcp.srcport")?.value == "50074")
        #expect(syn.first("ip.dst")?.value == "10.244.3.250")
        #expect(syn.first("tcp.dstport")?.value == "8080")
        #expect(syn.first("tcp.flags.str")?.value == "··········S·")
        #expect(syn.first("tcp.options.mss_val")?.value == "1460")
        #expect(syn.first("tcp.options.sack_perm") != nil)
        #expect(syn.first("tcp.options.timestamp.tsval")?.value == "704972761")
        #expect(syn.first("tcp.options.wscale.shift")?.value == "7")
        #expect(syn.first("cilium.dsr.svc_addr")?.value == "172.18.0.2")
        #expect(syn.first("cilium.dsr.svc_port")?.value == "31400")
        #expect(syn.first("cilium.dsr.svc_port")?.offset == 36)
        #expect(synAck.first("ip.src")?.value == "172.18.0.2")
        #expect(synAck.first("tcp.srcport")?.value == "31400")
        #expect(synAck.first("ip.dst")?.value == "172.18.0.1")
        #expect(synAck.first("tcp.dstport")?.value == "50074")
        #expect(synAck.first("tcp.flags")?.value == "0x0012")
        #expect(synAck.first("cilium.dsr") == nil)
    }

    @Test func dsrExplanationShowsTheSwap() throws {
        let packets = try PacketDecoder.decodeFile(SeedTests.seedPath)
        let e = try #require(packets[0].dsr)
        #expect(e.raw == [0x9a, 0x08, 0xa8, 0x7a, 0x02, 0x00, 0x12, 0xac])
        #expect(e.portWire == [0xa8, 0x7a])
        #expect(e.portBytes == [0x7a, 0xa8])
        #expect(e.portHex == "0x7aa8")
        #expect(e.port == 31400)
        #expect(e.addressWire == [0x02, 0x00, 0x12, 0xac])
        #expect(e.address == "172.18.0.2")
        #expect(e.service == "172.18.0.2:31400")
        #expect(e.portOffset == 36 && e.addressOffset == 38)
        #expect(packets[1].dsr == nil)
    }

    @Test func seedSummariesMatchTheSeedText() throws {
        let packets = try PacketDecoder.decodeFile(SeedTests.seedPath)
        #expect(packets[0].summary == "22:21:31.462426 02:42:ac:12:00:02 > 02:42:ac:12:00:05, ethertype IPv4 (0x0800), length 82: 172.18.0.1.50074 > 10.244.3.250.8080: Flags [S], seq 327033400, win 64240, options [mss 1460,sackOK,TS val 704972761 ecr 0,nop,wscale 7], length 0")
        #expect(packets[1].summary == "22:21:31.462617 02:42:ac:12:00:05 > 02:42:1f:d6:b7:3b, ethertype IPv4 (0x0800), length 74: 172.18.0.2.31400 > 172.18.0.1.50074: Flags [S.], seq 1104396694, ack 327033401, win 65160, options [mss 1460,sackOK,TS val 4059790408 ecr 704972761,nop,wscale 7], length 0")
    }

    @Test func offloadedChecksumIsExplainedNotAlarming() throws {
        let packets = try PacketDecoder.decodeFile(SeedTests.seedPath)
        let ck = try #require(packets[0].fields.first("tcp.checksum"))
        #expect(ck.value == "0xbb2f")
        #expect(ck.note == "incorrect, should be 0x474f (maybe caused by checksum offload)")
        #expect(packets[0].fields.first("ip.checksum.status")?.value == "1")
        #expect(packets[0].issue == nil)
    }

    @Test func seedAgreesWithTshark() throws {
        let packets = try PacketDecoder.decodeFile(SeedTests.seedPath)
        let theirs: [[Oracle.TField]]
        do { theirs = try Oracle.pdml(SeedTests.seedPath) } catch let e as OracleMissing { print("skipped: \(e)"); return }
        let diff = Differential.mismatches(packets, theirs)
        #expect(diff.isEmpty, "\(diff.joined(separator: "\n"))")
    }
}
