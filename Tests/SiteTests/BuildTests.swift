import LabgenCore
import Foundation
import Testing
import Yams
import Markdown
@testable import Site

@Suite struct BuildTests {
    @Test func endToEndOnFixtureCourse() async throws {
        let content = try Fixture.copy("course")
        let out = content.deletingLastPathComponent().appendingPathComponent("site")
        let summary = try await Fixture.build(content, out: out).run()
        #expect(summary.pages == 3)
        let files = try Fixture.tree(out)
        #expect(Set(files.keys.filter { !$0.hasPrefix("assets/") }) == [".labgen-site", ".labgen-cache", "index.html", "labs/01-decouverte.html",
                                    "labs/02-deploiement.html", "files/01-decouverte/install.sh", "img/schema.png"])
        let style = try #require(files.keys.first { $0.hasPrefix("assets/style.") && $0.hasSuffix(".css") })
        #expect(style.count == "assets/style.12345678.css".count, "fingerprinted: \(style)")
        let lab = String(decoding: files["labs/01-decouverte.html"]!, as: UTF8.self)
        #expect(lab.contains("<html lang=\"fr\">"))
        #expect(lab.contains("<title>Découverte du cluster · Cours de test</title>"))
        #expect(lab.contains("<link rel=\"stylesheet\" href=\"../\(style)\">"))
        #expect(lab.contains("<h2 id=\"creation-du-cluster-kind-1\">"))
        #expect(lab.contains("<li class=\"sub\"><a href=\"#le-veth-a-sniffer\">Le veth à sniffer</a></li>"))
        #expect(lab.contains("<a href=\"02-deploiement.html\">la suite</a>"))
        #expect(lab.contains("<a class=\"next\" rel=\"next\" href=\"02-deploiement.html\">Suivant\u{00A0}: Déploiement d&#39;une app →</a>"))
        #expect(lab.contains("<a class=\"previous\" rel=\"prev\" href=\"../index.html\">"))
        #expect(lab.contains("<ins><strong>KinD</strong></ins>"))
        #expect(!lab.contains("http://") && !lab.contains("https://"), "no remote asset")
        let second = String(decoding: files["labs/02-deploiement.html"]!, as: UTF8.self)
        #expect(second.contains("<a href=\"01-decouverte.html#creation-du-cluster-kind-1\">"))
        #expect(second.contains("<a href=\"../index.html\">sommaire</a>"))
        let home = String(decoding: files["index.html"]!, as: UTF8.self)
        #expect(home.contains("<a href=\"labs/02-deploiement.html#deploiement-dune-app\">"))
        #expect(home.contains("href=\"\(style)\""))
    }

    @Test func twoBuildsAreByteIdentical() async throws {
        let content = try Fixture.copy("course")
        let a = content.deletingLastPathComponent().appendingPathComponent("a")
        let b = content.deletingLastPathComponent().appendingPathComponent("b")
        try await Fixture.build(content, out: a).run()
        try await Fixture.build(content, out: b).run()
        let first = try Fixture.tree(a), second = try Fixture.tree(b)
        #expect(first.count == 15)   // cache, 3 pages, 2 content files, style, favicon, site.js, trace.css/js, lab list, search manifest and shard, marker
        // The cache records the page files' stamps (times, inodes): the rest is identical.
        #expect(first.filter { $0.key != BuildCache.fileName } == second.filter { $0.key != BuildCache.fileName })
        func unstamped(_ dir: URL) throws -> Data {
            var cache = try #require(BuildCache.load(from: dir))
            for i in cache.pages.indices { cache.pages[i].stamp = .none }
            return try cache.encoded()
        }
        #expect(try unstamped(a) == unstamped(b))
    }

    /// A lab page that is a symlink to a file outside the content is refused by name, and
    /// nothing is written.
    @Test func aPageLinkedFromOutsideTheContentIsRefused() async throws {
        let content = try Fixture.copy("course")
        let outside = content.deletingLastPathComponent().appendingPathComponent("ailleurs.md")
        try "# Ailleurs\n\nHors du cours.\n".write(to: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: content.appendingPathComponent("labs/03-lien.md"), withDestinationURL: outside)
        let out = content.deletingLastPathComponent().appendingPathComponent("site")
        await #expect { try await Fixture.build(content, out: out).run() } throws: { error in
            "\(error)".contains("content/labs/03-lien.md") && "\(error)".contains("outside the content directory")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func failedBuildKeepsPreviousSite() async throws {
        let content = try Fixture.copy("course")
        let out = content.deletingLastPathComponent().appendingPathComponent("site")
        try await Fixture.build(content, out: out).run()
        let before = try Fixture.tree(out)
        try "# Cassé\n\n[x](#nulle-part)\n".write(to: content.appendingPathComponent("labs/02-deploiement.md"), atomically: true, encoding: .utf8)
        await #expect(throws: BuildFailure.self) { try await Fixture.build(content, out: out).run() }
        #expect(try Fixture.tree(out) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)
        #expect(leftovers.sorted() == [".site.lock", "content", "site"], "no staging folder left, only the lock file")
    }

    @Test func successfulRebuildReplacesSiteWholesale() async throws {
        let content = try Fixture.copy("course")
        let out = content.deletingLastPathComponent().appendingPathComponent("site")
        try await Fixture.build(content, out: out).run()
        try Data("stale".utf8).write(to: out.appendingPathComponent("stale.html"))
        try await Fixture.build(content, out: out).run()
        #expect(try Fixture.tree(out)["stale.html"] == nil)
    }

    @Test func refusesToReplaceForeignDirectoryOrContent() async throws {
        let content = try Fixture.copy("course")
        let foreign = content.deletingLastPathComponent().appendingPathComponent("Documents")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: foreign.appendingPathComponent("thesis.txt"))
        await #expect(throws: Diagnostic.self) { try await Fixture.build(content, out: foreign).run() }
        #expect(FileManager.default.fileExists(atPath: foreign.appendingPathComponent("thesis.txt").path))
        await #expect(throws: Diagnostic.self) { try await Fixture.build(content, out: content.deletingLastPathComponent()).run() }
    }

    @Test func unsafeOutputPathsAreRefused() throws {
        let dir = try Fixture.temporaryDirectory()
        #expect(throws: Diagnostic.self) {
            try WriteStep(output: dir.appendingPathComponent("site")).run([OutputFile(path: "../evil.html", contents: Data())])
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("evil.html").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("site").path))
    }

    @Test func fencedBlockHandlersAndTransformsPlugIn() async throws {
        struct Upper: FencedBlockHandler {
            let language = "trace"
            func render(_ block: CodeBlock, at position: SourcePosition?, context: FillContext) throws -> String? {
                "<div class=\"trace\">\(HTMLEscaping.escape(block.arguments))|\(context.facts.host.bridge)</div>"
            }
        }
        struct Stamp: PageTransform {
            func transform(_ document: Document, context: FillContext) throws -> Document {
                Document(root: document.root.rewritten { node in
                    if case .text("NODEPORT") = node.kind {
                        return [Node(.text(String(context.facts.services[0].ports[0].nodePort ?? 0)), position: node.position)]
                    }
                    return [node]
                })
            }
        }
        let content = try Fixture.copy("course")
        try "# Déploiement d'une app\n\nNODEPORT\n\n```trace captures/<a>.pcap\nx\n```\n\n```unknown\ny\n```\n"
            .write(to: content.appendingPathComponent("labs/02-deploiement.md"), atomically: true, encoding: .utf8)
        let out = content.deletingLastPathComponent().appendingPathComponent("site")
        var build = Fixture.build(content, out: out)
        build.transforms = [Stamp()]
        build.fencedBlockHandlers = [Upper()]
        try await build.run()
        let page = String(decoding: try Data(contentsOf: out.appendingPathComponent("labs/02-deploiement.html")), as: UTF8.self)
        #expect(page.contains("<p>31400</p>"))
        #expect(page.contains("<div class=\"trace\">captures/&lt;a&gt;.pcap|br-db3e7f685321</div>"))
        #expect(page.contains("<pre tabindex=\"0\" role=\"group\" aria-label=\"Bloc de code unknown\"><code class=\"language-unknown\">y\n</code></pre>"))
    }

    @Test func perEditionPrefix() async throws {
        let content = try Fixture.copy("course")
        let build = Fixture.build(content, out: content.deletingLastPathComponent().appendingPathComponent("site"))
        let parsed = await ParseStep().run(try LoadStep(content: build.content).run())
        let templates = try await Templates.load(from: Fixture.templates)
        let (files, _) = try await build.renderEdition(parsed, .init(facts: try build.loadFacts(), prefix: "tok123/"), templates: templates)
        #expect(files.allSatisfy { $0.path.hasPrefix("tok123/") })
        #expect(files.contains { $0.path == "tok123/labs/01-decouverte.html" })
    }

    @Test func frontMatterKeepsLinePositions() throws {
        let page = try LoadStep.page(path: "labs/x.md", text: "---\ntitle: Ma page\n---\n# A\n\n[b](#nope)\n",
                                     content: ContentRoot(URL(fileURLWithPath: "/tmp")))
        #expect(page.title == "Ma page")
        var position: SourcePosition?
        Document(parsing: page.markdown).root.forEach { if case .link = $0.kind { position = $0.position } }
        #expect(position == SourcePosition(line: 6, column: 1))
    }

    /// The front-matter fast path gives Yams's title or steps aside (nil): never another one.
    @Test func plainTitleAgreesWithYams() throws {
        struct Front: Decodable { var title: String? }
        var values = ["Ma page", "\"TP 1 : Déploiement d'une app n°1\"", "TP 1 : x", "a: b", "x #c", "\"a\" # c", "null", "~", "Yes",
                      "off", "123", "1.5", "0x1F", "-x", "- x", "a  b", "\"\"", "'q'", "\"a\\nb\"", "\"é\"", "été", "a:", "a #b",
                      "[a]", "{a: 1}", "&x a", "*x", "!x y", "|", ">", "%x", "@x", "`x`", "x y ", "Über", "日本", "a\u{00A0}b",
                      "a,b", "a]b", "2026-11-25", "NaN", ".inf", "\"a\" b", "\"a\"\"", "<ins>x</ins>", "R&D", "x\u{0085}y"]
        for a in ["a", "é", "1", " ", ":", "#", "\"", "'", "-", "?", "\\", "&", "*", "!", "|", ">", "%", "@", "`", ",", "[", "~"] {
            values += ["x\(a)y", "\(a)x", "x\(a)", "\"x\(a)\""]
        }
        for value in values {
            let yaml = "title: \(value)"
            guard let fast = LoadStep.plainTitle(yaml) else { continue }
            let slow = try? YAMLDecoder().decode(Front.self, from: yaml).title
            #expect(fast == slow, "\(yaml)")
        }
        #expect(LoadStep.plainTitle("title: \"TP 1 : Déploiement d'une app n°1\"") == "TP 1 : Déploiement d'une app n°1")
        #expect(LoadStep.plainTitle("title: Ma page\n") == "Ma page")
        #expect(LoadStep.plainTitle("title: a\nlang: fr") == nil)
    }

    /// Simple course.yaml documents read without Yams give what Yams gives, or step aside.
    @Test func plainMappingAgreesWithYams() throws {
        let documents = ["title: Banc d'essai\nlanguage: fr", "title: \"Cilium — TP\"\nlanguage: fr\ndescription: \"Un, deux.\"",
                         "title: a\ntitle: b", "title: a\n  language: fr", "title: a\nlanguage: [fr]", "Title: a", "title: a # c",
                         "title: a\n\nlanguage: fr", "title: a\nlanguage:", "title: a\r\nlanguage: fr", "title: yes\nlanguage: fr",
                         "title: 2026\nlanguage: fr", "title: a\n- b", "title: a\nlanguage: fr\n", "title: a: b", "x_y: z\ntitle: t"]
        for yaml in documents {
            guard let fast = LoadStep.plainMapping(yaml) else { continue }
            let slow = try? YAMLDecoder().decode([String: String].self, from: yaml)
            #expect(fast == slow, "\(yaml)")
        }
        #expect(LoadStep.plainMapping("title: Banc d'essai\nlanguage: fr") == ["title": "Banc d'essai", "language": "fr"])
        #expect(LoadStep.plainMapping("title: a\ntitle: b") == nil)
    }

    @Test func badFactsReportTheFile() throws {
        #expect(throws: Diagnostic.self) { try FactsFileReader.load(data: Data("{\"schema\":\"x\"}".utf8), displayPath: "f.json") }
    }

    @Test func seedRendersLikeCmark() throws {
        let seed = try String(contentsOf: Fixture.root.appendingPathComponent("seed/labs/01-ebpf-dsr.md"), encoding: .utf8)
        #expect(Document(parsing: seed).html() == Document.referenceHTML(seed))
    }
}
