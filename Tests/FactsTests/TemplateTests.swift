import LabgenCore
import Foundation
import Testing
@testable import Facts

@Suite struct TemplateTests {
    let context: FactsContext
    init() throws { context = try defaultContext() }

    func filled(_ text: String) -> String {
        let (out, problems) = fill(text, context)
        #expect(problems == [], "\(problems)")
        return out
    }

    @Test(arguments: [
        ("${{ host.ip }}", "172.18.0.1"),
        ("${{host.bridge}}", "br-db3e7f685321"),
        ("${{ nodes[0].mac }}", "02:42:ac:12:00:03"),
        ("${{ nodes[-1].veth }}", "vethff61702"),
        ("${{ lab.directory }}", "/home/lab/basic"),
        ("${{ cilium.version }}", "1.12.2"),
        ("${{ node(\"kind-worker3\").ip }}", "172.18.0.5"),
        ("${{ node(name='kind-worker').mac }}", "02:42:ac:12:00:02"),
        ("${{ node(role=\"control-plane\").ip }}", "172.18.0.3"),
        ("${{ join(nodes(role=\"worker\").name, \",\") }}", "kind-worker,kind-worker2,kind-worker3"),
        ("${{ pod(app=\"echoserver\").node.ip }}", "172.18.0.5"),
        ("${{ pod(app=\"echoserver\").node.veth }}", "vethff61702"),
        ("${{ pod(app=\"echoserver\").node }}", "kind-worker3"),
        ("${{ pod(\"app\"=\"echoserver\").ip }}", "10.244.3.250"),
        ("${{ pods[0].labels.app }}", "echoserver"),
        ("${{ service(\"svc-echoserver\").ports[0].nodePort }}", "31400"),
        ("${{ service(type=\"NodePort\").clusterIP }}", "10.96.88.153"),
        ("${{ services[0].ports[0].port }}:${{ services[0].ports[0].nodePort }}/TCP", "80:31400/TCP"),
        ("for ip in ${{ join(nodes.ip, \" \") }} ; do", "for ip in 172.18.0.3 172.18.0.2 172.18.0.4 172.18.0.5 ; do"),
        ("${{ len(nodes) }} nodes", "4 nodes"),
        ("[${{ pad(services[0].type, 12) }}]", "[NodePort    ]"),
        ("${{ cilium.loadBalancerMode == \"dsr\" }}", "true"),
        ("${{ \"lit\\\"eral\" }}", "lit\"eral"),
    ])
    func expressions(_ text: String, _ expected: String) {
        #expect(filled(text) == expected)
    }

    @Test func bracesThatAreNotPlaceholdersStayIntact() {
        let text = """
        kubectl get svc -o go-template='{{.spec.clusterIP}}' ; kubectl get pods -o jsonpath='{.items[*].status.podIP}'
        for i in {2..5} ; do echo $i ; done ; echo ${HOME} $((1+2)) ${#a[@]} {{ x }} $ {{y}}
        """
        #expect(filled(text) == text)
    }

    @Test func doubleDollarEscapesAPlaceholder() {
        #expect(filled("on: $${{ github.sha }} vs ${{ host.ip }}") == "on: ${{ github.sha }} vs 172.18.0.1")
        #expect(filled("$$${{ host.ip }}") == "$${{ host.ip }}")
        #expect(filled("$$") == "$$")
        // A `}}` inside a string does not close the tag.
        #expect(filled("${{ join(nodes(role=\"worker\").name, \"}}\") }}") == "kind-worker}}kind-worker2}}kind-worker3")
    }

    @Test func loopInsideOneLine() {
        #expect(filled("${{ for n in nodes }}[${{ n.name }}=${{ n.ip }}]${{ end }}")
                == "[kind-control-plane=172.18.0.3][kind-worker=172.18.0.2][kind-worker2=172.18.0.4][kind-worker3=172.18.0.5]")
    }

    @Test func loopOverCodeBlockLinesDropsTheTagLines() {
        let text = """
        arp -an
        ${{ for n in nodes(role="worker") }}
        ? (${{ n.ip }}) at ${{ n.mac }} [ether] on ${{ host.bridge }}
        ${{ end }}
        done

        """
        #expect(filled(text) == """
        arp -an
        ? (172.18.0.2) at 02:42:ac:12:00:02 [ether] on br-db3e7f685321
        ? (172.18.0.4) at 02:42:ac:12:00:04 [ether] on br-db3e7f685321
        ? (172.18.0.5) at 02:42:ac:12:00:05 [ether] on br-db3e7f685321
        done

        """)
    }

    @Test func nestedLoopsAndConditionals() {
        let text = """
          ${{ for n in nodes }}
            ${{ if n.role == "control-plane" }}
        master ${{ n.name }}
            ${{ else if n.name == "kind-worker3" }}
        backend ${{ n.name }} ${{ n.veth }}
            ${{ else }}
        worker ${{ n.name }}
            ${{ end }}
          ${{ end }}
        """
        #expect(filled(text) == """
        master kind-control-plane
        worker kind-worker
        worker kind-worker2
        backend kind-worker3 vethff61702

        """)
    }

    @Test func conditionalOnLoadBalancerMode() throws {
        let text = "${{ if cilium.loadBalancerMode == \"dsr\" }}DSR${{ else }}SNAT${{ end }}"
        #expect(filled(text) == "DSR")
        var facts = context.facts
        facts.cilium.loadBalancerMode = "snat"
        #expect(fill(text, FactsContext(facts)).0 == "SNAT")
        #expect(filled("${{ if not (cilium.tunnel == \"vxlan\" or cilium.tunnel == \"geneve\") and len(nodes) != 0 }}native${{ end }}") == "native")
    }

    @Test func blockLevelPiecesAreRepeatedAndDropped() throws {
        // Text pieces are paragraphs holding only a tag; opaque ones are whole blocks.
        let pieces: [TemplatePiece] = [
            .opaque(0),
            .text(TemplateText("${{ if cilium.loadBalancerMode == \"dsr\" }}", at: SourcePosition(line: 3, column: 1))),
            .opaque(1),
            .text(TemplateText("${{ end }}", at: SourcePosition(line: 7, column: 1))),
            .text(TemplateText("${{ for n in nodes }}", at: SourcePosition(line: 9, column: 1))),
            .opaque(2),
            .text(TemplateText("${{ end }}", at: SourcePosition(line: 13, column: 1))),
        ]
        let template = try Template(parsing: pieces, file: "lab.md")
        #expect(template.hasControlTags)
        let out = template.fill(context)
        #expect(out.diagnostics == [])
        var opaque: [(Int, ParameterScope)] = []
        for case .opaque(let i, let scope) in out.segments { opaque.append((i, scope)) }
        #expect(opaque.map(\.0) == [0, 1, 2, 2, 2, 2])
        // The scope handed back binds the loop variable for the caller's own templates.
        let inner = try Template(parsing: TemplateText("${{ n.mac }}"), file: "lab.md")
        #expect(opaque.dropFirst(2).map { inner.fill($0.1).plainText }
                == ["02:42:ac:12:00:03", "02:42:ac:12:00:02", "02:42:ac:12:00:04", "02:42:ac:12:00:05"])

        var snat = context.facts
        snat.cilium.loadBalancerMode = "snat"
        let dropped = template.fill(FactsContext(snat)).segments.compactMap { if case .opaque(let i, _) = $0 { i } else { nil } }
        #expect(dropped == [0, 2, 2, 2, 2])
    }

    @Test func valuesCarryTheirPathsAndProvenance() throws {
        let t = try Template(parsing: TemplateText("a ${{ pod(app=\"echoserver\").node.mac }} b ${{ join(nodes.ip) }}"), file: "lab.md")
        let values = t.fill(context).segments.compactMap { if case .value(let v) = $0 { v } else { nil } }
        #expect(values.map(\.paths) == [["nodes[3].mac"], ["nodes[0].ip", "nodes[1].ip", "nodes[2].ip", "nodes[3].ip"]])
        #expect(values[0].provenance.map(\.at) == ["2022-10-05T22:21:31Z"])
        #expect(values[0].provenanceSummary.hasPrefix("nodes[3].mac — valeurs par défaut"))

        var facts = context.facts
        facts.provenance["nodes[3]"] = .init(source: "docker inspect kind-worker3", at: "2026-11-25T10:00:00Z")
        let probed = t.fill(FactsContext(facts)).segments.compactMap { if case .value(let v) = $0 { v } else { nil } }
        #expect(probed[0].provenance.map(\.source) == ["docker inspect kind-worker3"])
        #expect(probed[1].provenance.count == 2)
        #expect(!t.isLiteral)
        #expect(try Template(parsing: TemplateText("plain $${{ text"), file: "x").literalText == "plain ${{ text")
    }

    // MARK: errors

    /// Source positions: the template starts at line 10, column 5 of lab.md.
    func problems(_ text: String, facts: FactsContext? = nil) -> [Diagnostic] {
        fill(text, facts ?? context, at: SourcePosition(line: 10, column: 5)).1
    }

    @Test(arguments: [
        ("${{ nodse[0].ip }}", 10, 9, "unknown name `nodse`; did you mean `node` or `nodes`?"),
        ("x ${{ host.ipp }}", 10, 16, "`host` has no field `ipp`; did you mean `ip`? fields: `bridge`, `ip`, `mac`"),
        ("${{ node(\"kind-worker9\").ip }}", 10, 9, "no entry of `nodes` matches node(name=\"kind-worker9\"); did you mean `kind-worker`"),
        ("${{ node(rol=\"worker\").ip }}", 10, 14, "nodes have no field `rol`; did you mean `role`?"),
        ("${{ node(role=\"worker\").ip }}", 10, 9, "3 entries of `nodes` match node(role=\"worker\")"),
        ("${{ pod(app=\"nginx\").ip }}", 10, 9, "no entry of `pods` matches pod(app=\"nginx\") (there are: echoserver-7d9c8f6b5-x2k4p)"),
        ("${{ nodes[7].ip }}", 10, 14, "index [7] is out of range: there are 4 items"),
        ("${{ nodes.ip }}", 10, 9, "this is a list of 4 values; write join"),
        ("${{ host }}", 10, 9, "`host` is an object; pick one of its fields: `bridge`, `ip`, `mac`"),
        ("${{ jion(nodes.ip) }}", 10, 9, "unknown function `jion`; did you mean `join`?"),
        ("${{ join }}", 10, 9, "`join` is a function"),
        ("${{ for n in host }}x${{ end }}", 10, 18, "`for` needs a list; this is the object `host`"),
        ("\n  ${{ n.ip }}", 11, 7, "unknown name `n`"),
    ])
    func evaluationErrors(_ text: String, _ line: Int, _ column: Int, _ fragment: String) {
        let found = problems(text)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.position == SourcePosition(line: line, column: column), "\(found)")
        #expect(found.first?.message.contains(fragment) == true, "\(found)")
        #expect(found.first?.description.hasPrefix("lab.md:\(line):\(column): error: ") == true)
    }

    @Test(arguments: [
        ("${{ host.ip ", 10, 5, "unterminated `${{`: missing `}}`"),
        ("ab ${{ }}", 10, 12, "empty `${{ }}`"),
        ("${{ host. }}", 10, 15, "expected a field name after `.`, found `}}`"),
        ("${{ nodes[x] }}", 10, 15, "expected an index"),
        ("${{ host.ip host.mac }}", 10, 17, "expected `}}`, found `host`"),
        ("${{ \"abc }}", 10, 9, "unterminated string"),
        ("${{ host.ip ; }}", 10, 17, "unexpected `;`"),
        ("${{ for in nodes }}${{ end }}", 10, 13, "expected a loop variable name, found `in`"),
        ("${{ for n nodes }}${{ end }}", 10, 15, "expected `in`"),
        ("${{ for n in nodes }}x", 10, 5, "`for` without `end`"),
        ("${{ if true }}x", 10, 5, "`if` without `end`"),
        ("x ${{ end }}", 10, 7, "`end` without a matching `for` or `if`"),
        ("${{ else }}", 10, 5, "`else` without a matching"),
        ("${{ if true }}a${{ else }}b${{ else }}c${{ end }}", 10, 32, "nothing may follow `else` but `end`"),
        ("${{ for n in nodes }}a${{ else }}b${{ end }}", 10, 27, "`else` inside a `for` loop"),
        ("${{ if }}", 10, 12, "`}}`"),
        ("${{ node(\"a\", \"b\") }}", 10, 19, "only the first argument may be unnamed"),
    ])
    func parseErrors(_ text: String, _ line: Int, _ column: Int, _ fragment: String) {
        let found = problems(text)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.position == SourcePosition(line: line, column: column), "\(found)")
        #expect(found.first?.message.contains(fragment) == true, "\(found)")
    }

    @Test func checkFindsNamesInBranchesTheFactsDoNotTake() throws {
        let text = """
        ${{ if cilium.loadBalancerMode == "snat" }}
        ${{ nodes[0].ipp }}
        ${{ else }}
        ${{ for p in pods(ap="x") }}${{ p.nmae }}${{ end }}
        ${{ end }}
        ${{ node("does-not-exist").ip }} ${{ nodes[99].mac }}
        """
        let t = try Template(parsing: TemplateText(text), file: "lab.md")
        // Filling the default facts only sees the `else` branch, and fails on values.
        let filledProblems = t.fill(context).diagnostics.map(\.message)
        #expect(filledProblems.count == 2)
        // `check` sees both branches and every name, whatever the values.
        let checked = t.check()
        #expect(checked.map(\.line) == [2, 4], "\(checked)")
        #expect(checked[0].message.contains("did you mean `ip`?"))
        #expect(checked[1].message.contains("did you mean `name`?"))
    }

    @Test func columnsInContinuationLinesAndAfterAccents() {
        let t = TemplateText("é ${{ x }}\n${{ y }}", at: SourcePosition(line: 4, column: 3), continuationColumn: 5)
        let found = (try? Template(parsing: t, file: "lab.md"))?.fill(context).diagnostics ?? []
        // `é` is one column (two bytes): `x` is the 7th character of the line, which starts at 3.
        #expect(found.map(\.position) == [SourcePosition(line: 4, column: 9), SourcePosition(line: 5, column: 9)])
    }

    @Test func allParseErrorsOfSeveralPiecesAreReported() {
        let pieces: [TemplatePiece] = [.text(TemplateText("${{ a b }}")), .opaque(0),
                                       .text(TemplateText("${{ c d }}", at: SourcePosition(line: 3, column: 1)))]
        do {
            _ = try Template(parsing: pieces, file: "lab.md")
            Issue.record("expected errors")
        } catch {
            #expect(error.diagnostics.map(\.line) == [1, 3])
        }
    }

    @Test func quickScanForPlaceholders() {
        #expect(Template.mayContainPlaceholders("x ${{ y }}"))
        #expect(!Template.mayContainPlaceholders("{{.spec}} ${HOME} {2..5}"))
    }
}
