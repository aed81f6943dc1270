import Foundation
import Testing
import Facts
import Markdown
import TraceView
@testable import Site

/// The roster's fast path (pages rendered once per structure, values spliced in) must write
/// exactly what a full render per attendee writes.
@Suite struct EditionRenderTests {
    /// The default facts with other addresses: the same structure as the default, so its pages
    /// come from the skeletons the first attendee made.
    static func sameShapeText() throws -> String {
        try RosterBuildTests.defaultText()
            .replacingOccurrences(of: "172.18.0.", with: "10.23.0.")
            .replacingOccurrences(of: "02:42:ac:12:00:0", with: "02:42:0a:17:00:0")
            .replacingOccurrences(of: "31400", with: "30999")
            .replacingOccurrences(of: "vethff61702", with: "veth0badcafe")
            .replacingOccurrences(of: "/home/lab/basic", with: "/home/zoe/tp_dsr-2")
    }

    static func build(splice: Bool) async throws -> (URL, RosterBuild.Report) {
        let attendees = [("alice", "Alice", try RosterBuildTests.defaultText()),
                         ("bob", "Bob <b>", try RosterBuildTests.otherText()),
                         ("chloe", "Chloé & co", try sameShapeText()),
                         ("dan", "Dan", try RosterBuildTests.defaultText().replacingOccurrences(of: "\"dsr\"", with: "\"snat\""))]
        return try await RosterBuildTests.build(attendees) { $0.splice = splice }
    }

    @Test func splicedEditionsEqualFullRenders() async throws {
        let (fast, fastSummary) = try await Self.build(splice: true)
        let (full, fullSummary) = try await Self.build(splice: false)
        #expect(fastSummary.failures.isEmpty && fullSummary.failures.isEmpty, "\(fastSummary.failures.map(\.diagnostics))")
        #expect(fastSummary.built == fullSummary.built)
        let a = try Fixture.tree(fast)
        let b = try Fixture.tree(full)
        #expect(Set(a.keys) == Set(b.keys))
        for (path, bytes) in a where b[path] != bytes {
            Issue.record("\(path) differs between the spliced and the full render")
        }
        // The values really are the attendee's own (the splice did not reuse alice's).
        let chloe = RosterSecret(Array(RosterBuildTests.secret.utf8)).token(for: "chloe")
        let lab = String(decoding: try #require(a["\(chloe)/labs/01-ebpf-dsr.html"]), as: UTF8.self)
        #expect(lab.contains(">10.23.0.5</span>") && lab.contains(">/home/zoe/tp_dsr-2</span>"))
        #expect(!ParameterSubstitutionTests.withoutRecordedExample(lab).contains("172.18.0.5"))
    }

    /// Values anywhere a page can hold them, hostile ones included: in a heading or an image's
    /// alt text the page is rendered in full; elsewhere it is spliced; both give the same bytes.
    @Test(arguments: ["<script>alert(1)</script>", "a \"b\" & 'c' \u{E000}0\u{E001} \u{1}labgen:labs\u{1}", "10.0.0.7"])
    func splicedPageEqualsFullRender(_ value: String) async throws {
        var facts = try ParameterSubstitutionTests.defaultFacts()
        facts.host.bridge = value
        facts.lab.directory = value
        let pages: [(String, String)] = [
            ("index.md", "# Accueil\n\nPont ${{ host.bridge }}.\n"),
            ("labs/01.md", """
            # TP

            Pont ${{ host.bridge }}, `ip link show ${{ host.bridge }}` et *${{ lab.directory }}*.

            | a | b |
            |---|---|
            | ${{ host.bridge }} | x |

            ```bash
            cd ${{ lab.directory }} && ls # ${{ host.bridge }}
            ${{ for n in nodes }}
            curl http://${{ n.ip }}:31400
            ${{ end }}
            ```

            ```yaml
            dir: ${{ lab.directory }}
            ```

            - item ${{ host.bridge }}
            - [lien ${{ host.bridge }}](02.md)
            """),
            ("labs/02.md", "# Deux\n\n## Titre ${{ host.bridge }}\n\n![alt ${{ host.bridge }}](x.png)\n"),
        ]
        let content = ContentRoot(URL(fileURLWithPath: "/nonexistent"), displayPath: "content")
        let course = ParsedCourse(config: CourseConfig(title: "Cours"), content: content, pages: pages.map { path, markdown in
            ParsedPage(source: SourcePage(path: path, markdown: markdown), document: Document(parsing: markdown))
        })
        let templates = try await Templates.load(from: Fixture.templates)
        let renderer = HighlightingCodeBlockRenderer()
        let filled = try await FillStep(transforms: [ParameterSubstitution(checkAllBranches: false)]).run(course, facts: facts)
        let step = RenderStep(templates: templates, codeBlockRenderer: renderer)
        let navigation = step.navigation(for: filled.map(\.link), course: course.config)
        let edition = EditionRenderer(templates: templates, codeBlockRenderer: renderer, course: course.config)
        for round in 0..<2 {   // the second round takes every page from the cache
            let fast = await edition.render(filled, navigation: navigation, searchIndex: "assets/search-index.js")
            for (index, page) in filled.enumerated() {
                let html = step.renderPage(page, at: index, navigation: navigation, course: course.config, searchIndex: "assets/search-index.js")
                #expect(fast[index].0 == html, "round \(round): \(page.source.path)")
                let body = Handout.body(page, codeBlockRenderer: renderer, course: course.config)
                #expect(fast[index].1 == body, "round \(round): \(page.source.path) handout")
                if fast[index].1 != body { try? (fast[index].1 + "\n=====\n" + body).write(toFile: "/tmp/rb/diff.txt", atomically: true, encoding: .utf8) }
            }
        }
        // A value holding the sidebar marker would be rewritten by the full render: not spliced.
        #expect((Skeleton(filled[1].document.root, codeBlockRenderer: renderer) != nil) == !value.contains("\u{1}"), "lab 1 is spliced")
        #expect(Skeleton(filled[2].document.root, codeBlockRenderer: renderer) == nil, "values in a heading: full render")
    }

    @Test func splitFindsEveryMarkerOnceOrGivesUp() {
        let spliced = EditionRenderer.split("a\u{E000}1\u{E001}b\u{E000}0\u{E001}c", count: 2)
        #expect(spliced.map { String(decoding: $0.filled(with: [Array("X".utf8), Array("Y".utf8)]), as: UTF8.self) } == "aYbXc")
        #expect(EditionRenderer.split("a\u{E000}0\u{E001}b\u{E000}0\u{E001}", count: 1) == nil, "twice")
        #expect(EditionRenderer.split("a\u{E000}0\u{E001}", count: 2) == nil, "one missing")
        #expect(EditionRenderer.split("a\u{E000}x", count: 0) == nil, "a stray marker character")
    }

    @Test func traceFiguresAreKeyedByTheValuesTheyRead() throws {
        let body = "capture: dsr\nfile: ../captures/seed-dsr.pcap\nservice: svc-echoserver\npod: app=echoserver\n"
        let facts = try ParameterSubstitutionTests.defaultFacts()
        let key = try #require(TraceEmbed.factsKey(body: body, facts: facts))
        var other = facts
        other.nodes[0].ip = "10.9.9.9"   // the control plane: neither contacted nor the pod's node
        #expect(TraceEmbed.factsKey(body: body, facts: other) == key)
        other.services[0].ports[0].nodePort = 30999   // another NodePort: other bytes, another figure
        #expect(TraceEmbed.factsKey(body: body, facts: other) != key)
        #expect(TraceEmbed.factsKey(body: "file: ../captures/seed-dsr.pcap\n", facts: other) == "", "a recorded example alone reads no facts")
    }
}
