import Foundation
import Testing
@testable import Facts

/// What the loader refuses in `captures`: a file outside the facts folder, bad addresses, names.
@Suite struct CaptureValidationTests {
    static let capture = """
    "captures": { "dsr": { "file": "captures/alice/dsr.pcap", "takenAt": "2026-12-05T04:00:00Z",
      "command": "tcpdump -n -i vethff61702 -w - -- 'tcp port 31400'",
      "map": { "host": {"ip": "172.18.0.1", "mac": "02:42:1f:d6:b7:3b", "bridge": "br-db3e7f685321"},
               "nodes": [{"name": "kind-worker", "ip": "172.18.0.2", "mac": "02:42:ac:12:00:02", "role": "worker", "veth": "vethdc425df"},
                         {"name": "kind-worker3", "ip": "172.18.0.5", "mac": "02:42:ac:12:00:05", "role": "worker", "veth": "vethff61702"}],
               "contacted": "kind-worker", "backend": "kind-worker3", "veth": "vethff61702",
               "service": {"ip": "172.18.0.2", "port": 31400}, "pod": {"ip": "10.244.3.250", "port": 8080} } } },
    """

    func withCapture(_ replacing: [(String, String)] = []) throws -> String {
        var block = Self.capture
        for (old, new) in replacing { block = replacingOnce(block, old, new) }
        return replacingOnce(try defaultFactsText(), "\"cilium\": {", block + "\n  \"cilium\": {")
    }

    /// Each case: what to break in the capture, the text the error points at, a fragment of it.
    @Test(arguments: [
        ("\"captures/alice/dsr.pcap\"", "\"../../etc/passwd\"", "leaves the facts file's folder"),
        ("\"captures/alice/dsr.pcap\"", "\"/tmp/dsr.pcap\"", "must be relative"),
        ("\"captures/alice/dsr.pcap\"", "\"captures//dsr.pcap\"", "not a plain relative path"),
        ("\"2026-12-05T04:00:00Z\"", "\"5 déc. 2026\"", "not an ISO-8601"),
        ("\"ip\": \"172.18.0.1\"", "\"ip\": \"172.18.0.300\"", "captures.dsr.map.host.ip"),
        ("\"mac\": \"02:42:ac:12:00:05\"", "\"mac\": \"02:42:ac:12:00\"", "captures.dsr.map.nodes[1].mac"),
        ("\"port\": 8080", "\"port\": 70000", "captures.dsr.map.pod.port"),
        ("\"kind-worker3\", \"veth\": \"vethff61702\"", "\"kind-worker3\", \"veth\": \"veth/0\"", "contains `/`"),
        ("\"contacted\": \"kind-worker\"", "\"contacted\": \"Kind_Worker\"", "not a valid Kubernetes name"),
        ("\"role\": \"worker\", \"veth\": \"vethdc425df\"", "\"role\": \"master\", \"veth\": \"vethdc425df\"", "expected one of"),
    ])
    func invalidCapture(_ original: String, _ broken: String, _ fragment: String) throws {
        let text = try withCapture([(original, broken)])
        let found = diagnostics(text)
        #expect(found.count == 1, "\(found)")
        let brokenAt = try #require(location(of: broken, in: text))
        #expect(found.first?.line == brokenAt.line, "\(found)")
        #expect(found.first?.message.contains(fragment) == true, "\(found)")
    }

    @Test func aBadCaptureNameAndAnUnknownKeyInACapture() throws {
        let text = try withCapture([("\"dsr\": {", "\"DSR run\": {"), ("\"file\":", "\"fichier\": \"x\", \"file\":")])
        let found = diagnostics(text)
        #expect(found.count == 2, "\(found)")
        #expect(found.contains { $0.position == location(of: "\"DSR run\"", in: text) && $0.message.contains("not a capture name") })
        #expect(found.contains { $0.position == location(of: "\"fichier\"", in: text)
            && $0.message.contains("known keys here: `command`, `file`, `map`, `takenAt`") })
    }
}
