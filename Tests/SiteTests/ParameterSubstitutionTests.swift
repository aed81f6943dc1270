import LabgenCore
import Foundation
import Testing
import Facts
import Markdown
@testable import Site

/// Parameters filled through the real pipeline: cmark-gfm parse, fill, render.
@Suite struct ParameterSubstitutionTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let otherFacts = Fixture.root.appendingPathComponent("facts-three-nodes.json")

    /// The repository's real course, copied, built with `facts` (nil: the default facts).
    static func buildRealCourse(facts: URL? = nil) async throws -> [String: String] {
        let dir = try Fixture.temporaryDirectory()
        let content = dir.appendingPathComponent("content")
        try FileManager.default.copyItem(at: repo.appendingPathComponent("content"), to: content)
        let out = dir.appendingPathComponent("site")
        try await SiteBuild(content: ContentRoot(content, displayPath: "content"), output: out,
                            templatesDirectory: Fixture.templates, factsFile: facts).run()
        return try Fixture.tree(out).filter { $0.key.hasSuffix(".html") }.mapValues { String(decoding: $0, as: UTF8.self) }
    }

    /// Every cluster value of the default facts, as text.
    static func defaultValues() throws -> Set<String> {
        let facts = try Facts.load(contentsOf: repo.appendingPathComponent("content/facts/default.json"))
        var values: Set<String> = [facts.host.bridge, facts.host.ip, facts.host.mac, facts.lab.directory,
                                   "/home/cilium_lab/basic"]
        for node in facts.nodes { values.formUnion([node.name, node.ip, node.mac, node.veth]) }
        for pod in facts.pods { values.formUnion([pod.name, pod.ip]) }
        for service in facts.services {
            values.insert(service.clusterIP)
            for port in service.ports { if let nodePort = port.nodePort { values.insert(String(nodePort)) } }
        }
        return values
    }

    /// The seed's own recorded capture is labelled as such and kept verbatim.
    /// Cuts every `<div class="exemple-enregistre">` with its nested divs (the trace block
    /// inside has its own), which a non-greedy regex would end at the first inner `</div>`.
    static func withoutRecordedExample(_ html: String) -> String {
        var out = html
        while let start = out.range(of: "<div class=\"exemple-enregistre\">") {
            var depth = 0
            var cursor = start.lowerBound
            var end = out.endIndex
            while let tag = out[cursor...].firstMatch(of: #/<div\b|</div>/#) {
                depth += tag.output == "</div>" ? -1 : 1
                cursor = tag.range.upperBound
                if depth == 0 { end = cursor; break }
            }
            out.removeSubrange(start.lowerBound..<end)
        }
        return out
    }

    @Test func defaultFactsShowTheSeedValues() async throws {
        let lab = try #require(try await Self.buildRealCourse()["labs/01-ebpf-dsr.html"])
        let text = lab.replacing(#/<[^>]+>/#, with: "")
        #expect(text.contains("for ip in 172.18.0.3 172.18.0.2 172.18.0.4 172.18.0.5 ; do curl -s http://$ip:31400/clientip"))
        #expect(text.contains("svc-echoserver   NodePort   10.96.88.153   &lt;none&gt;        80:31400/TCP   2m29s"))
        #expect(text.contains("tcpdump -n -X -e -i vethff61702 &quot;ether host 02:42:ac:12:00:05"))
        #expect(text.contains("172.18.0.5 lladdr 02:42:ac:12:00:05"))
        #expect(text.contains("cd /home/lab/basic"))
        #expect(text.contains("Desired: 4, Ready: 4/4"))
        #expect(text.contains("portant le Pod du svc qui répond"))
        #expect(lab.contains("<span class=\"param\" title=\"provenance : pods[0].ip — valeurs par défaut"))
        #expect(!text.contains("${{"))
    }

    @Test func otherFactsShowOnlyTheirValues() async throws {
        let pages = try await Self.buildRealCourse(facts: Self.otherFacts)
        let lab = try #require(pages["labs/01-ebpf-dsr.html"])
        let text = lab.replacing(#/<[^>]+>/#, with: "")
        #expect(text.contains("for ip in 192.168.49.7 192.168.49.3 192.168.49.12 ; do curl -s http://$ip:30080/clientip"))
        #expect(text.contains("svc-echoserver   NodePort   10.96.201.44   &lt;none&gt;        80:30080/TCP   2m29s"))
        #expect(text.contains("tcpdump -n -X -e -i veth9a0b1c2 &quot;ether host 02:42:c0:a8:31:0c"))
        #expect(text.contains("Desired: 3, Ready: 3/3"))
        #expect(text.contains("cd /home/alice/tp-dsr"))
        #expect(text.contains("192.168.49.12 lladdr 02:42:c0:a8:31:0c STALE"))
        #expect(text.components(separatedBy: " lladdr ").count == 4, "one line per node, 3 nodes")
        #expect(lab.contains("title=\"provenance : services[0].ports[0].nodePort — labgen probe (alice@vm-alice), 2026-11-25T09:00:00Z\""))
        let values = try Self.defaultValues()
        for (path, html) in pages {
            let shown = Self.withoutRecordedExample(html)
            for value in values {
                #expect(!shown.contains(value), "\(path) still shows the default value \(value)")
            }
        }
    }

    // MARK: one page through parse → fill → render

    static func render(_ markdown: String, facts: Facts, checkAllBranches: Bool = true) throws -> String {
        let content = ContentRoot(URL(fileURLWithPath: "/nonexistent"), displayPath: "content")
        let page = SourcePage(path: "labs/t.md", markdown: markdown)
        let context = FillContext(facts: facts, course: CourseConfig(title: "t"), content: content, page: page)
        let filled = try ParameterSubstitution(checkAllBranches: checkAllBranches).transform(Document(parsing: markdown), context: context)
        return filled.html()
    }

    static func defaultFacts() throws -> Facts {
        try Facts.load(contentsOf: repo.appendingPathComponent("content/facts/default.json"))
    }

    @Test func prosesInlineCodeCodeBlocksHeadingsAndTables() throws {
        let html = try Self.render("""
        # Sur ${{ host.bridge }}

        Nœud ${{ nodes[0].ip }}, `ip ${{ nodes[1].mac }}` et *${{ pod(app="echoserver").node }}*.

        | ip | mac |
        |---|---|
        | ${{ host.ip }} | x |

        ```bash
        ${{ for n in nodes(role="worker") }}
        curl ${{ n.ip }}
        ${{ end }}
        ```
        """, facts: try Self.defaultFacts())
        #expect(html.contains("<h1>Sur <span class=\"param\" title=\"provenance : host.bridge — "))
        #expect(html.contains(">172.18.0.3</span>, <code>ip <span class=\"param\""))
        #expect(html.contains(">02:42:ac:12:00:02</span></code> et <em><span class=\"param\""))
        #expect(html.contains("<td><span class=\"param\" title=\"provenance : host.ip"))
        #expect(html.contains("<pre><code class=\"language-bash\">curl <span class=\"param\" title=\"provenance : nodes[1].ip"))
        #expect(html.components(separatedBy: "curl ").count == 4)
        #expect(!html.contains("${{") && !html.contains("for n in"))
    }

    /// Only `${{` as written opens a placeholder: a backslash-escaped brace is text, as the
    /// build cache assumes (a page without `${{` does not read the facts).
    @Test func onlyAWrittenPlaceholderIsFilled() throws {
        let html = try Self.render("Nœud $\\{{ nodes[0].ip }} et `$\\{{ x }}`, prix $5.\n", facts: try Self.defaultFacts())
        #expect(html == "<p>Nœud ${{ nodes[0].ip }} et <code>$\\{{ x }}</code>, prix $5.</p>\n")
        #expect(!ParameterSubstitution().readsFacts(SourcePage(path: "labs/t.md", markdown: "Nœud $\\{{ nodes[0].ip }}")))
    }

    @Test func blockConditionalKeepsOrDropsWholeBlocks() throws {
        let markdown = """
        Avant.

        ${{ if cilium.loadBalancerMode == "dsr" }}

        Paragraphe **DSR**.

        ```
        tcpdump -i ${{ pod(app="echoserver").node.veth }}
        ```

        ${{ else }}

        Paragraphe SNAT.

        ${{ end }}

        Après.
        """
        var facts = try Self.defaultFacts()
        let dsr = try Self.render(markdown, facts: facts)
        #expect(dsr.contains("<p>Paragraphe <strong>DSR</strong>.</p>") && dsr.contains("vethff61702"))
        #expect(!dsr.contains("SNAT") && dsr.contains("<p>Avant.</p>") && dsr.contains("<p>Après.</p>"))
        facts.cilium.loadBalancerMode = "snat"
        let snat = try Self.render(markdown, facts: facts)
        #expect(snat.contains("<p>Paragraphe SNAT.</p>") && !snat.contains("DSR") && !snat.contains("tcpdump"))
        #expect(!snat.contains("${{"))
    }

    @Test func unknownNamesAreBuildErrorsAtTheirPosition() throws {
        let markdown = """
        # Titre

        Texte ${{ hots.ip }} et `${{ nodes[0].ipp }}`.

        ${{ if cilium.loadBalancerMode == "snat" }}

        ```
        curl ${{ srvice("svc-echoserver").clusterIP }}
        ```

        ${{ end }}
        """
        do {
            _ = try Self.render(markdown, facts: try Self.defaultFacts())
            Issue.record("expected a build failure")
        } catch let failure as BuildFailure {
            #expect(failure.diagnostics.map(\.description) == [
                "content/labs/t.md:3:11: error: unknown name `hots`; did you mean `host`?",
                "content/labs/t.md:3:39: error: `nodes[0]` has no field `ipp`; did you mean `ip`? fields: `ip`, `mac`, `name`, `podCIDR`, `role`, `veth`",
                // In a branch these facts do not take: found by the all-branches check.
                "content/labs/t.md:8:10: error: unknown function `srvice`; did you mean `service`?",
            ])
        }
    }

    @Test func labgenCheckReportsUnknownNames() async throws {
        let content = try Fixture.copy("course")
        let lab = content.appendingPathComponent("labs/01-decouverte.md")
        try (try String(contentsOf: lab, encoding: .utf8) + "\nVoir ${{ node(\"kind-worker3\").veth }} et ${{ lab.dir }}.\n")
            .write(to: lab, atomically: true, encoding: .utf8)
        let diagnostics = await Fixture.build(content, out: content.deletingLastPathComponent().appendingPathComponent("site")).check()
        #expect(diagnostics.contains { $0.message.hasPrefix("`lab` has no field `dir`; did you mean `directory`?") && $0.file == "content/labs/01-decouverte.md" }, "\(diagnostics)")
    }

    /// Hostile strings in every field reach the page only as escaped text.
    @Test(arguments: [
        "<script>alert(1)</script>",
        "`code` ](javascript:alert(1)) [x](javascript:alert(2))",
        "a\n# titre\n<img src=x onerror=alert(1)>",
        "${{ host.ip }} \"quoted\" 'single' &amp;",
    ])
    func hostileValuesAreEscapedEverywhere(_ value: String) throws {
        let facts = Facts(cluster: .init(name: value, kubernetesVersion: value),
                          host: .init(bridge: value, ip: value, mac: value),
                          nodes: [.init(name: value, role: .worker, ip: value, mac: value, veth: value, podCIDR: value)],
                          services: [.init(namespace: value, name: value, type: value, clusterIP: value,
                                           ports: [.init(name: value, port: 80, targetPort: 8080, nodePort: 31400, protocol: value)])],
                          pods: [.init(namespace: value, name: value, ip: value, node: value, labels: ["app": value])],
                          cilium: .init(version: value, kubeProxyReplacement: value, loadBalancerMode: value, routingMode: value, tunnel: value),
                          lab: .init(directory: value), provenance: ["*": .init(source: value, at: value)])
        let every = "${{ cluster.name }} ${{ cluster.kubernetesVersion }} ${{ host.bridge }} ${{ host.ip }} ${{ host.mac }} ${{ nodes[0].name }} ${{ nodes[0].ip }} ${{ nodes[0].mac }} ${{ nodes[0].veth }} ${{ nodes[0].podCIDR }} ${{ services[0].namespace }} ${{ services[0].name }} ${{ services[0].type }} ${{ services[0].clusterIP }} ${{ services[0].ports[0].name }} ${{ services[0].ports[0].protocol }} ${{ pods[0].namespace }} ${{ pods[0].name }} ${{ pods[0].ip }} ${{ pods[0].node }} ${{ pods[0].labels.app }} ${{ cilium.version }} ${{ cilium.kubeProxyReplacement }} ${{ cilium.loadBalancerMode }} ${{ cilium.routingMode }} ${{ cilium.tunnel }} ${{ lab.directory }}"
        let html = try Self.render("""
        # T ${{ lab.directory }}

        \(every)

        `\(every)`

        | a |
        |---|
        | \(every) |

        ```
        \(every)
        ```
        """, facts: facts, checkAllBranches: false)
        for dangerous in ["<script", "<img", "href=\"javascript", "<code>code</code>", "<h1>titre"] + (value.contains("${{") ? [] : ["${{"]) {
            #expect(!html.contains(dangerous), "\(dangerous) in \(html)")
        }
        #expect(html.components(separatedBy: "<h1").count == 2)
        #expect(html.components(separatedBy: "<span class=\"param\"").count == 1 + 27 * 4 + 1)
        #expect(html.contains(HTMLEscaping.escape(value)))
    }
}
