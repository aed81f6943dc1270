import LabgenCore
import Foundation
import Testing
@testable import Site

@Suite struct CheckTests {
    /// The seed as published, copied untouched: every slip it has must be reported.
    @Test func seedSlipsAreFound() async throws {
        let content = try Fixture.copy("seed")
        let diagnostics = await Fixture.build(content, out: content.appendingPathComponent("../site")).check()
        let lines = diagnostics.map(\.description)
        let lab = "content/labs/01-ebpf-dsr.md"
        #expect(lines.contains("\(lab):10:5: error: no heading with anchor '#analyse-de-la-config-reseau' on this page (did you mean '#analyse-de-la-config-reseau-determination-de-la-veth-a-sniffer'?)"))
        #expect(lines.contains("\(lab):3:33: error: <ins> is never closed (expected </ins> in the same paragraph)"))
        #expect(lines.contains { $0.hasPrefix("\(lab):39:37: error: link '/sol/ebpf-values.yaml' is an absolute path") })
        #expect(lines.contains("\(lab):166:1: error: missing image '../img/IPOption.png'"))
        #expect(lines.contains("\(lab):197:1: error: link to missing page '../README.md'"))
        #expect(lines.contains("\(lab):197:39: error: link to missing page './TP13.md'"))
        // The seed hard-codes the original cluster's values: each is a warning naming its fact.
        #expect(lines.contains { $0.contains(": warning: 31400 is services[0].ports[0].nodePort: write ${{ service(\"svc-echoserver\").ports[0].nodePort }}") })
        #expect(diagnostics.filter { $0.severity == .warning }.allSatisfy { $0.message.contains(": write ${{ ") })
    }

    /// A course big enough to be checked in two halves: findings of both halves, links
    /// across the halves, and the files of both, as one sorted result.
    @Test func bigCoursesAreCheckedWhole() throws {
        let content = try Fixture.copy("course")
        var pages: [PageIndexEntry] = []
        for i in 0..<100 {
            let next = "p\((i + 1) % 100).md"
            var references = [PageIndexEntry.Reference(destination: next + "#titre", isImage: false, position: SourcePosition(line: 3, column: 1))]
            if i == 3 || i == 97 { references.append(.init(destination: next + "#absent", isImage: false, position: SourcePosition(line: 4, column: 2))) }
            if i == 10 || i == 90 { references.append(.init(destination: "../img/schema.png", isImage: true, position: SourcePosition(line: 5, column: 1))) }
            if i == 60 { references.append(.init(destination: "../files/absent.sh", isImage: false, position: SourcePosition(line: 6, column: 7))) }
            pages.append(PageIndexEntry(path: "labs/p\(i).md", title: "P\(i)", isHome: false, anchors: ["titre"], references: references,
                                     pageProblems: [], search: []))
        }
        let result = CheckStep().run(summaries: pages, content: ContentRoot(content, displayPath: "content"))
        #expect(result.diagnostics.map(\.description) == [
            "content/labs/p3.md:4:2: error: no heading with anchor '#absent' in labs/p4.md (did you mean '#titre'?)",
            "content/labs/p60.md:6:7: error: missing file '../files/absent.sh'",
            "content/labs/p97.md:4:2: error: no heading with anchor '#absent' in labs/p98.md (did you mean '#titre'?)",
        ])
        #expect(result.assets == ["img/schema.png"])
    }

    @Test func cleanCourseHasNoErrors() async throws {
        let content = try Fixture.copy("course")
        let found = await Fixture.build(content, out: content.appendingPathComponent("../site")).check()
        // Only its table's hard-coded node address, which the default facts name.
        #expect(found.map(\.description) == ["content/labs/01-decouverte.md:24:17: warning: 172.18.0.2 is nodes[1].ip: write ${{ node(\"kind-worker\").ip }}"])
    }

    @Test func missingAnchorOnOtherPageAndMissingDownload() async throws {
        let content = try Fixture.copy("course")
        let page = content.appendingPathComponent("labs/02-deploiement.md")
        try "# Déploiement d'une app\n\n[a](01-decouverte.md#nulle-part) [b](../files/absent.sh)\n".write(to: page, atomically: true, encoding: .utf8)
        let lines = await Fixture.build(content, out: content.appendingPathComponent("../site")).check().map(\.description)
        #expect(lines.contains { $0.hasPrefix("content/labs/02-deploiement.md:3:1: error: no heading with anchor '#nulle-part' in labs/01-decouverte.md") })
        #expect(lines.contains("content/labs/02-deploiement.md:3:34: error: missing file '../files/absent.sh'"))
    }

    @Test func pathEscapesAreRejected() async throws {
        let content = try Fixture.copy("course")
        let outside = content.deletingLastPathComponent().appendingPathComponent("secret.txt")
        try "secret".write(to: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: content.appendingPathComponent("files/lien.txt"), withDestinationURL: outside)
        let page = content.appendingPathComponent("labs/02-deploiement.md")
        try "# X\n\n[a](../../secret.txt)\n\n[b](../files/lien.txt)\n".write(to: page, atomically: true, encoding: .utf8)
        let build = Fixture.build(content, out: content.deletingLastPathComponent().appendingPathComponent("site"))
        let lines = await build.check().map(\.description)
        #expect(lines.contains("content/labs/02-deploiement.md:3:1: error: link '../../secret.txt' leads outside the content directory"))
        #expect(lines.contains("content/labs/02-deploiement.md:5:1: error: link '../files/lien.txt' is a symlink leading outside the content directory"))
        #expect(throws: Diagnostic.self) { try build.content.read("files/lien.txt") }
        await #expect(throws: BuildFailure.self) { try await build.run() }
    }

    @Test func strayClosingTagAndBalancedTags() async throws {
        let problems = HTMLTagCheck.run(.init(.document, children: [
            Markdown.Document(parsing: "a <ins>b</ins> <br> c</del> <kbd>x<b>y</b></kbd>\n").root,
        ]))
        #expect(problems.map(\.message) == ["</del> closes nothing"])
    }
}

import Markdown

/// Literal values of the default facts in a page: found at their line and (byte) column, whole
/// values only, never inside a recorded example or a placeholder.
@Suite struct LiteralValueCheckTests {
    @Test func findsWholeValuesOutsideRecordedExamples() throws {
        let facts = try ParameterSubstitutionTests.defaultFacts()
        let markdown = """
            Le Node 172.18.0.2 et v1.12.2, pas 172.18.0.25 ni 10.172.18.0.2x.
            `tcpdump -i vethff61702` puis 02:42:ac:12:00:05 et ${{ node("kind-worker").ip }}.
            <div class="exemple-enregistre">

            Enregistré : 172.18.0.2:31400 sur vethff61702.

            <div>imbriqué 172.18.0.5</div>
            toujours dedans 31400
            </div>
            Après : 172.18.0.1.50074 > 10.244.3.250.8080
            ```trace
            filter: tcp.port == 31400
            ```
            """
        let found = LiteralValueCheck(defaults: facts).diagnostics(markdown: markdown, file: "lab.md").map(\.description)
        #expect(found == [
            "lab.md:1:9: warning: 172.18.0.2 is nodes[1].ip: write ${{ node(\"kind-worker\").ip }}",
            "lab.md:1:24: warning: 1.12.2 is cilium.version: write ${{ cilium.version }}",
            "lab.md:2:13: warning: vethff61702 is nodes[3].veth: write ${{ node(\"kind-worker3\").veth }}",
            "lab.md:2:31: warning: 02:42:ac:12:00:05 is nodes[3].mac: write ${{ node(\"kind-worker3\").mac }}",
            "lab.md:10:9: warning: 172.18.0.1 is host.ip: write ${{ host.ip }}",
            "lab.md:10:28: warning: 10.244.3.250 is pods[0].ip: write ${{ pod(app=\"echoserver\").ip }}",
            "lab.md:10:41: warning: 8080 is services[0].ports[0].targetPort: write ${{ service(\"svc-echoserver\").ports[0].targetPort }}",
        ])
    }
}
