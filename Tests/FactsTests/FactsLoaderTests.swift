import LabgenCore
import Foundation
import Testing
@testable import Facts

@Suite struct FactsLoaderTests {
    @Test func defaultFactsLoad() throws {
        let facts = try Facts.load(contentsOf: defaultFactsURL)
        #expect(facts.nodes.count == 4)
        #expect(facts.services[0].ports[0].nodePort == 31400)
        #expect(facts.provenance(for: "nodes[2].mac")?.source.contains("défaut") == true)
    }

    /// Each case: what to break, the text whose location the error must point at, and a
    /// fragment the message must contain.
    @Test(arguments: [
        ("\"ip\": \"172.18.0.1\"", "\"ip\": \"172.18.0.256\"", "\"172.18.0.256\"", "not an IPv4 or IPv6"),
        ("\"ip\": \"172.18.0.3\"", "\"ip\": \"172.18.0.03\"", "\"172.18.0.03\"", "not an IPv4 or IPv6"),
        ("\"ip\": \"10.244.3.250\"", "\"ip\": \"fe80::1::2\"", "\"fe80::1::2\"", "not an IPv4 or IPv6"),
        ("\"clusterIP\": \"10.96.88.153\"", "\"clusterIP\": \"10.96.88\"", "\"10.96.88\"", "services[0].clusterIP"),
        ("\"mac\": \"02:42:1f:d6:b7:3b\"", "\"mac\": \"02:42:1f:d6:b7\"", "\"02:42:1f:d6:b7\"", "not a MAC"),
        ("\"mac\": \"02:42:ac:12:00:04\"", "\"mac\": \"02-42-ac-12-00-04\"", "\"02-42-ac-12-00-04\"", "nodes[2].mac"),
        ("\"podCIDR\": \"10.244.1.0/24\"", "\"podCIDR\": \"10.244.1.0/33\"", "\"10.244.1.0/33\"", "prefix length"),
        ("\"podCIDR\": \"10.244.2.0/24\"", "\"podCIDR\": \"10.244.2.7/24\"", "\"10.244.2.7/24\"", "did you mean 10.244.2.0/24"),
        ("\"podCIDR\": \"10.244.3.0/24\"", "\"podCIDR\": \"10.244.3.0\"", "\"10.244.3.0\"", "not a CIDR"),
        ("\"nodePort\": 31400", "\"nodePort\": 29999", "29999", "NodePort (30000–32767)"),
        ("\"nodePort\": 31400", "\"nodePort\": 32768", "32768", "out of range"),
        ("\"port\": 80", "\"port\": 0", "0", "a port (1–65535)"),
        ("\"targetPort\": 8080", "\"targetPort\": 65536", "65536", "a port (1–65535)"),
        ("\"bridge\": \"br-db3e7f685321\"", "\"bridge\": \"br-db3e7f6853219\"", "\"br-db3e7f6853219\"", "16 bytes long"),
        ("\"veth\": \"vethff61702\"", "\"veth\": \"veth/ff\"", "\"veth/ff\"", "contains `/`"),
        ("\"veth\": \"vethc7b4acb\"", "\"veth\": \"veth c7\"", "\"veth c7\"", "contains whitespace"),
        ("\"role\": \"control-plane\"", "\"role\": \"master\"", "\"master\"", "expected one of \"control-plane\", \"worker\""),
        ("\"loadBalancerMode\": \"dsr\"", "\"loadBalancerMode\": \"drs\"", "\"drs\"", "did you mean \"dsr\""),
        ("\"protocol\": \"TCP\"", "\"protocol\": \"tcp\"", "\"tcp\"", "did you mean \"TCP\""),
        ("\"name\": \"kind-worker2\"", "\"name\": \"Kind_Worker2\"", "\"Kind_Worker2\"", "not a valid Kubernetes name"),
        ("\"nodePort\": 31400", "\"nodePort\": \"31400\"", "\"31400\"", "expected an integer, found a string"),
        ("\"directory\": \"/home/lab/basic\"", "\"directory\": \"  \"", "\"  \"", "cannot be empty"),
    ])
    func invalidValue(_ original: String, _ broken: String, _ pointAt: String, _ fragment: String) throws {
        let text = replacingOnce(try defaultFactsText(), original, broken)
        let found = diagnostics(text)
        let brokenLine = try #require(location(of: broken, in: text))
        let expected = try #require(location(of: pointAt, in: broken))
        let at = SourcePosition(line: brokenLine.line, column: brokenLine.column + expected.column - 1)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.position == at, "\(found)")
        #expect(found.first?.message.contains(fragment) == true, "\(found)")
        #expect(found.first?.description.hasPrefix("facts.json:\(at.line):\(at.column): error: ") == true)
    }

    @Test func ipv6AddressesAreAccepted() throws {
        var text = replacingOnce(try defaultFactsText(), "\"ip\": \"10.244.3.250\"", "\"ip\": \"fd00:10:244:3::fa\"")
        text = replacingOnce(text, "\"clusterIP\": \"10.96.88.153\"", "\"clusterIP\": \"::ffff:10.96.88.153\"")
        text = replacingOnce(text, "\"podCIDR\": \"10.244.3.0/24\"", "\"podCIDR\": \"fd00:10:244:3::/64\"")
        #expect(diagnostics(text) == [])
    }

    @Test func nodePortRangeIsConfigurable() throws {
        let text = replacingOnce(try defaultFactsText(), "\"nodePort\": 31400", "\"nodePort\": 8080")
        #expect(diagnostics(text, loader: FactsLoader(nodePortRange: 1...65535)) == [])
        #expect(diagnostics(text).count == 1)
    }

    @Test func unknownKeyListsTheKnownOnes() throws {
        let text = replacingOnce(try defaultFactsText(), "\"bridge\": \"br-db3e7f685321\"",
                                 "\"bridge\": \"br-db3e7f685321\", \"brigde\": \"x\"")
        let found = diagnostics(text)
        #expect(found.count == 1)
        #expect(found.first?.position == location(of: "\"brigde\"", in: text))
        #expect(found.first?.message == "unknown key \"brigde\"; did you mean `bridge`? known keys here: `bridge`, `ip`, `mac`")
    }

    @Test func unknownTopLevelKeyAndKeysInsideArrays() throws {
        var text = replacingOnce(try defaultFactsText(), "\"lab\": {", "\"labs\": {}, \"lab\": {")
        text = replacingOnce(text, "\"targetPort\": 8080", "\"targetPort\": 8080, \"hostPort\": 1")
        let found = diagnostics(text)
        #expect(found.map(\.position) == [location(of: "\"hostPort\"", in: text), location(of: "\"labs\"", in: text)].compactMap { $0 }
                    .sorted())
        #expect(found.contains { $0.message.contains("known keys here: `captures`, `cilium`, `cluster`, `comment`, `host`, `lab`, `nodes`, `pods`, `provenance`, `schema`, `services`") })
        #expect(found.contains { $0.message.contains("`name`, `nodePort`, `port`, `protocol`, `targetPort`") })
    }

    @Test func missingKeyIsReportedOnItsObject() throws {
        let text = replacingOnce(try defaultFactsText(), "\"veth\": \"vethe56ddc0\"", "\"vethx\": \"vethe56ddc0\"")
        let found = diagnostics(text)
        #expect(found.contains { $0.message == "nodes[2]: missing key \"veth\"" })
    }

    @Test func schemaMissingOrWrong() throws {
        let text = try defaultFactsText()
        let wrong = replacingOnce(text, "\"labgen.facts/v1\"", "\"labgen.facts/v2\"")
        let found = diagnostics(wrong)
        #expect(found.count == 1)
        #expect(found.first?.position == location(of: "\"labgen.facts/v2\"", in: wrong))
        #expect(found.first?.message == "unsupported schema \"labgen.facts/v2\"; this labgen reads \"labgen.facts/v1\"")

        let missing = replacingOnce(text, "\"schema\": \"labgen.facts/v1\",", "")
        #expect(diagnostics(missing).first?.message.hasPrefix("missing \"schema\"") == true)
        #expect(diagnostics("[]").first?.message == "a facts file is a JSON object, found an array")
    }

    @Test func duplicateNodeNamesAndDanglingPodNode() throws {
        var text = replacingOnce(try defaultFactsText(), "\"name\": \"kind-worker2\"", "\"name\": \"kind-worker\"")
        text = replacingOnce(text, "\"node\": \"kind-worker3\"", "\"node\": \"kind-wrker3\"")
        let found = diagnostics(text)
        #expect(found.count == 2, "\(found)")
        let dup = try #require(found.first { $0.message.contains("duplicate node name") })
        // The second occurrence is the one reported.
        let second = text.ranges(of: "\"name\": \"kind-worker\"")[1]
        let line = text[..<second.lowerBound].filter { $0 == "\n" }.count + 1
        #expect(dup.line == line)
        let dangling = try #require(found.first { $0.message.contains("no node is named") })
        #expect(dangling.message.contains("did you mean `kind-worker3`"))
        #expect(dangling.position == location(of: "\"kind-wrker3\"", in: text))
    }

    @Test func duplicateJSONKeys() throws {
        let text = replacingOnce(try defaultFactsText(), "\"directory\": \"/home/lab/basic\"",
                                 "\"directory\": \"/home/lab/basic\", \"directory\": \"/tmp\"")
        let found = diagnostics(text)
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("duplicate key \"directory\"") == true)
    }

    @Test func allProblemsAreReportedInFileOrder() throws {
        var text = replacingOnce(try defaultFactsText(), "\"ip\": \"172.18.0.1\"", "\"ip\": \"x\"")
        text = replacingOnce(text, "\"mac\": \"02:42:ac:12:00:05\"", "\"mac\": \"y\"")
        text = replacingOnce(text, "\"nodePort\": 31400", "\"nodePort\": 1")
        let found = diagnostics(text)
        #expect(found.count == 3)
        #expect(found.map(\.position) == found.map(\.position).sorted())
    }

    @Test(arguments: [
        ("{\"schema\": \"labgen.facts/v1\",\n  \"host\": {,}}", 2, 12, "expected a key"),
        ("{\"schema\": \"labgen.facts/v1\", \"x\": [1, 2", 1, 41, "unterminated array"),
        ("{\"schema\": \"labgen.facts/v1\", \"x\": 012}", 1, 36, "leading zeros"),
        ("{\"schema\": \"labgen.facts/v1\",\n\"x\": \"a\nb\"}", 2, 6, "unterminated string"),
        ("{\"schema\": \"labgen.facts/v1\"} x", 1, 31, "after the JSON document"),
        ("{\"schema\": \"labgen.facts/v1\", \"x\": \"\\q\"}", 1, 38, "invalid escape"),
        ("", 1, 1, "found end of file"),
    ])
    func malformedJSON(_ text: String, _ line: Int, _ column: Int, _ fragment: String) {
        let found = diagnostics(text)
        #expect(found.count == 1)
        #expect(found.first?.position == SourcePosition(line: line, column: column), "\(found)")
        #expect(found.first?.message.contains(fragment) == true, "\(found)")
    }

    /// Columns count characters (Unicode scalars): `"é": 1, ` is 8 of them (9 bytes).
    @Test func columnsCountCharactersAfterAccents() throws {
        let text = replacingOnce(try defaultFactsText(), "\"lab\": {", "\"lab\": {\"é\": 1, \"hôte\": 2, ")
        let found = diagnostics(text)
        let at = try #require(location(of: "\"hôte\"", in: text))
        #expect(at.column == location(of: "\"é\"", in: text)!.column + 8)
        #expect(found.map(\.position) == [location(of: "\"é\"", in: text)!, at])
    }

    @Test func unknownKeysAreReportedBesideAMissingKey() throws {
        let text = replacingOnce(try defaultFactsText(), "\"bridge\": \"br-db3e7f685321\"", "\"bridge\": \"br-db3e7f685321\", \"x\": 1")
        let broken = replacingOnce(text, "\"directory\"", "\"dir\"")
        let found = diagnostics(broken)
        #expect(found.contains { $0.message.contains("lab: missing key \"directory\"") }, "\(found)")
        #expect(found.contains { $0.message.hasPrefix("unknown key \"x\"") }, "\(found)")
    }

    @Test func writtenFactsReadBack() throws {
        let facts = try Facts.load(contentsOf: defaultFactsURL)
        let again = try FactsLoader().load(bytes: Array(try facts.encoded()), file: "again.json")
        #expect(again == facts)
    }
}
