import Foundation
import Testing
@testable import Packets

/// The option bytes Cilium must write for a service, computed from the C of each release
/// and checked against the seed capture and vectors worked by hand.
@Suite struct DSROptionLayoutTests {
    /// (address, port, expected tcpdump -X text). Worked by hand: port 30999 = 0x7917, on the
    /// wire 17 79; 172.19.4.2 = ac 13 04 02, on the wire 02 04 13 ac; 30000 = 0x7530 → 30 75;
    /// 10.0.0.1 → 01 00 00 0a; 32767 = 0x7fff → ff 7f; 192.168.1.20 = c0 a8 01 14 → 14 01 a8 c0.
    static let vectors: [(String, UInt16, String)] = [
        ("172.19.4.2", 30999, "9a08 1779 0204 13ac"),
        ("172.18.0.2", 31400, "9a08 a87a 0200 12ac"),
        ("10.0.0.1", 30000, "9a08 3075 0100 000a"),
        ("192.168.1.20", 32767, "9a08 ff7f 1401 a8c0"),
    ]

    @Test(arguments: ["1.12.2", "v1.12.10", "1.13.4", "1.14.5", "1.16.0"])
    func handWorkedVectors(version: String) throws {
        for (address, port, text) in Self.vectors {
            let e = try #require(CiliumDSR.expectedIPv4(address: address, port: port, ciliumVersion: version))
            #expect(DSROptionLayout.text(e.raw) == text, "\(address):\(port) with Cilium \(version)")
            // Read back like a captured option: the same service.
            #expect(e.service == "\(address):\(port)")
        }
    }

    @Test func releasesPickTheirLayoutAndAgreeOnTheWire() {
        #expect(DSROptionLayout(ciliumVersion: "1.12.2") == .htonlWords)
        #expect(DSROptionLayout(ciliumVersion: "v1.13.0") == .htonlWords)
        #expect(DSROptionLayout(ciliumVersion: "1.14.5") == .optionStruct)
        #expect(DSROptionLayout(ciliumVersion: "unknown") == .optionStruct)
        let address: [UInt8] = [172, 19, 4, 2]
        #expect(DSROptionLayout.htonlWords.bytes(address: address, port: 30999)
                == DSROptionLayout.optionStruct.bytes(address: address, port: 30999))
    }

    /// The default facts' service (kind-worker 172.18.0.2, NodePort 31400, Cilium 1.12.2)
    /// gives exactly the option of the recorded SYN.
    @Test func defaultFactsGiveTheSeedCapturesBytes() throws {
        let packets = try PacketDecoder.decodeFile(SeedTests.seedPath)
        let recorded = try #require(packets[0].dsr)
        let computed = try #require(CiliumDSR.expectedIPv4(address: "172.18.0.2", port: 31400, ciliumVersion: "1.12.2"))
        #expect(computed.raw == recorded.raw)
        #expect(Array(packets[0].frame[34 ..< 42]) == computed.raw)
    }

    @Test func refusesWhatIsNotIPv4() {
        #expect(CiliumDSR.expectedIPv4(address: "fd00::1", port: 30000, ciliumVersion: "1.12.2") == nil)
        #expect(CiliumDSR.expectedIPv4(address: "10.0.0.256", port: 30000, ciliumVersion: "1.12.2") == nil)
    }
}
