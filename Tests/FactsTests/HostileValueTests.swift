import Foundation
import Testing
@testable import Facts

/// Values are data: whatever a probe or a facts file puts in a field comes out as one
/// value segment, verbatim, never as template syntax or text merged with the page's own.
@Suite struct HostileValueTests {
    static let hostile = [
        "<script>alert(1)</script>",
        "`rm -rf /`",
        "](javascript:alert(1))",
        "line1\nline2\r\n# heading",
        "${{ host.ip }}",
        "$${{ x }}",
        "\"'&amp;<!--",
        "*emph* _x_ [link](http://e.invalid) <img src=x onerror=alert(1)>",
    ]

    /// Facts with `value` in every string field the language can reach.
    static func facts(_ value: String) -> Facts {
        Facts(cluster: .init(name: value, kubernetesVersion: value),
              host: .init(bridge: value, ip: value, mac: value),
              nodes: [.init(name: value, role: .worker, ip: value, mac: value, veth: value, podCIDR: value)],
              services: [.init(namespace: value, name: value, type: value, clusterIP: value,
                               ports: [.init(name: value, port: 80, targetPort: 8080, nodePort: 31400, protocol: value)])],
              pods: [.init(namespace: value, name: value, ip: value, node: value, labels: ["app": value])],
              cilium: .init(version: value, kubeProxyReplacement: value, loadBalancerMode: value, routingMode: value, tunnel: value),
              lab: .init(directory: value),
              provenance: ["*": .init(source: value, at: value)])
    }

    static let everyField = """
    ${{ cluster.name }}|${{ cluster.kubernetesVersion }}|${{ host.bridge }}|${{ host.ip }}|${{ host.mac }}
    ${{ for n in nodes }}${{ n.name }}|${{ n.ip }}|${{ n.mac }}|${{ n.veth }}|${{ n.podCIDR }}${{ end }}
    ${{ services[0].namespace }}|${{ services[0].name }}|${{ services[0].type }}|${{ services[0].clusterIP }}
    ${{ services[0].ports[0].name }}|${{ services[0].ports[0].protocol }}
    ${{ pods[0].namespace }}|${{ pods[0].name }}|${{ pods[0].ip }}|${{ pods[0].node }}|${{ pods[0].labels.app }}
    ${{ cilium.version }}|${{ cilium.kubeProxyReplacement }}|${{ cilium.loadBalancerMode }}|${{ cilium.routingMode }}|${{ cilium.tunnel }}
    ${{ lab.directory }}|${{ join(nodes.ip, ",") }}|${{ pad(host.ip, 3) }}|${{ pod(app=pods[0].labels.app).node.veth }}
    """

    @Test(arguments: hostile)
    func everyFieldComesOutAsOneVerbatimValue(_ value: String) throws {
        let template = try Template(parsing: TemplateText(Self.everyField), file: "lab.md")
        let out = template.fill(FactsContext(Self.facts(value)))
        #expect(out.diagnostics == [])
        var values: [FilledValue] = []
        for segment in out.segments {
            switch segment {
            case .value(let v): values.append(v)
            case .text(let t):
                // The page's own text is only separators and newlines.
                #expect(t.allSatisfy { $0 == "|" || $0 == "\n" || $0 == "," }, "literal text \(t.debugDescription)")
            case .opaque: Issue.record("no opaque piece was given")
            }
        }
        #expect(values.count == 30)
        #expect(values.allSatisfy { $0.text == value || $0.text == value + "," + value || $0.text == value })
        #expect(values.allSatisfy { $0.provenance.first?.source == value })
    }

    @Test func aValueThatLooksLikeAPlaceholderIsNotExpanded() throws {
        let out = try Template(parsing: TemplateText("${{ lab.directory }}"), file: "lab.md")
            .fill(FactsContext(Self.facts("${{ host.ip }}")))
        #expect(out.plainText == "${{ host.ip }}")
    }

    @Test func hostileValuesInValidatedFieldsAreRejectedByTheLoader() throws {
        let text = try defaultFactsText()
        for (original, field) in [("\"172.18.0.1\"", "host.ip"), ("\"02:42:1f:d6:b7:3b\"", "host.mac"),
                                  ("\"10.244.3.0/24\"", "nodes[3].podCIDR"), ("\"kind-worker3\",\n      \"podCIDR\"", "nodes[3].name")] {
            let hostile = original.replacingOccurrences(of: original.split(separator: ",")[0], with: "\"<script>\"")
            let found = diagnostics(replacingOnce(text, original, hostile))
            #expect(found.contains { $0.message.hasPrefix(field + ":") }, "\(field): \(found.map(\.message))")
        }
    }

    /// Linux itself accepts `<script>` as an interface name (only `/`, `:`, whitespace and
    /// length are refused), but a shell would read `<` as a redirection: facts are shell
    /// words (`ShellWord`), so the loader refuses it with that reason.
    @Test func interfaceNamesFollowLinuxAndShellRules() throws {
        let text = try defaultFactsText()
        #expect(diagnostics(replacingOnce(text, "\"vethff61702\"", "\"veth_1.a-b\"")) == [])
        let script = diagnostics(replacingOnce(text, "\"vethff61702\"", "\"<script>\""))
        #expect(script.count == 1 && script[0].message.hasPrefix("nodes[3].veth: \"<script>\" contains `<`; a fact must be one plain shell word"), "\(script)")
        #expect(diagnostics(replacingOnce(text, "\"vethff61702\"", "\"<a href=x>\"")).first?.message.hasPrefix("nodes[3].veth:") == true)
    }

    @Test func jsonEscapesDecodeToTheRealCharacters() throws {
        let text = replacingOnce(try defaultFactsText(), "\"/home/lab/basic\"", #""\u002fhome\/lab\u005F1""#)
        let facts = try FactsLoader().load(bytes: Array(text.utf8), file: "f.json")
        #expect(facts.lab.directory == "/home/lab_1")
        // An escaped newline is a newline: refused like a written one, at the value.
        let newline = replacingOnce(try defaultFactsText(), "\"/home/lab/basic\"", #""/home/lab\ntouch X""#)
        let found = diagnostics(newline)
        #expect(found.count == 1 && found[0].position == location(of: "\"/home/lab\\n", in: newline), "\(found)")
        #expect(found.first?.message.contains("a newline") == true)
    }
}
