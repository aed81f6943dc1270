import Foundation
import Testing
@testable import Facts

@Suite struct CaptureFactsTests {
    static let captures = """
      "captures": { "dsr": { "file": "captures/dsr.pcap", "takenAt": "2026-12-05T04:00:00Z",
        "command": "tcpdump -i vethX -w - -- 'tcp'",
        "map": { "host": {"ip": "172.18.0.1", "mac": "02:42:1f:d6:b7:3b", "bridge": "br-db3e7f685321"},
                 "nodes": [{"name": "kind-worker", "ip": "172.18.0.2", "mac": "02:42:ac:12:00:02", "role": "worker", "veth": "vethdc425df"}],
                 "contacted": "kind-worker", "backend": "kind-worker3", "veth": "vethff61702",
                 "service": {"ip": "172.18.0.2", "port": 31400}, "pod": {"ip": "10.244.3.250", "port": 8080} } } },
    """

    @Test func capturesLoadAndRoundTrip() throws {
        let text = replacingOnce(try defaultFactsText(), "\"cilium\": {", Self.captures + "\n  \"cilium\": {")
        let facts = try Facts.load(bytes: Array(text.utf8), file: "facts.json")
        let dsr = try #require(facts.captures?["dsr"])
        #expect(dsr.file == "captures/dsr.pcap")
        #expect(dsr.map.nodes[0].mac == "02:42:ac:12:00:02")
        #expect(dsr.map.service == Facts.Endpoint(ip: "172.18.0.2", port: 31400))
        let again = try Facts.load(bytes: Array(try facts.encoded()), file: "again.json")
        #expect(again == facts)
    }

    @Test func unknownKeyInMapIsReported() throws {
        let broken = Self.captures.replacingOccurrences(of: "\"contacted\"", with: "\"contacte\"")
        let text = replacingOnce(try defaultFactsText(), "\"cilium\": {", broken + "\n  \"cilium\": {")
        let found = diagnostics(text)
        #expect(found.contains { $0.message.contains("unknown key \"contacte\"") })
    }

    @Test func defaultFactsHaveNoCaptures() throws {
        let facts = try Facts.load(contentsOf: defaultFactsURL)
        #expect(facts.captures == nil)
        #expect(!String(decoding: try facts.encoded(), as: UTF8.self).contains("captures"))
    }
}
