import LabgenCore
import Foundation
import Testing
import Facts
@testable import Site

/// The content tree: parts as folders of labs (`labs/03-reseau/index.md` and its labs) and
/// extra pages (`pages/*.md`), in the navigation, search, the check and the handout.
@Suite struct ContentTreeTests {
    /// The test course with a part (two labs) between its flat labs, a flat lab after it,
    /// and two extra pages, one of them left out of the handout.
    static func treeCourse() throws -> URL {
        let content = try Fixture.copy("course")
        let files: [String: String] = [
            "labs/03-reseau/index.md": "---\ntitle: Le réseau\n---\n# Le réseau\n\nCette partie explore le réseau du cluster.\n",
            "labs/03-reseau/01-pods.md": """
                # Les pods

                Le nœud ${{ nodes[1].ip }}. Voir ![le schéma](../../img/schema.png), \
                [la découverte](../01-decouverte.md#creation-du-cluster-kind) et [l'aide-mémoire](../../pages/aide-memoire.md#commandes).

                ## Adresses

                Le mot ornithorynque.

                """,
            "labs/03-reseau/02-services.md": "# Les services\n\nSuite des [pods](01-pods.md#adresses).\n",
            "labs/03-reseau/img/.keep": "",
            "labs/04-fin.md": "# Fin\n\nTerminé.\n",
            "pages/aide-memoire.md": "# Aide-mémoire\n\n## Commandes\n\nLe mot tapir. Retour aux [pods](../labs/03-reseau/01-pods.md#adresses).\n",
            "pages/solutions.md": "---\ntitle: Solutions\nhandout: false\n---\n# Les solutions\n\nLe mot okapi.\n",
        ]
        for (path, text) in files { try write(text, to: content.appendingPathComponent(path)) }
        return content
    }

    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    static let order = ["index.md", "labs/01-decouverte.md", "labs/02-deploiement.md", "labs/03-reseau/index.md",
                        "labs/03-reseau/01-pods.md", "labs/03-reseau/02-services.md", "labs/04-fin.md",
                        "pages/aide-memoire.md", "pages/solutions.md"]

    static func page(_ out: URL, _ path: String) throws -> String {
        try String(contentsOf: out.appendingPathComponent(path), encoding: .utf8)
    }

    /// The `rel="prev"` / `rel="next"` targets of a page's pager (nil: none).
    static func pager(_ html: String) -> (previous: String?, next: String?) {
        func target(_ rel: String) -> String? {
            guard let start = html.range(of: "rel=\"\(rel)\" href=\"") else { return nil }
            return String(html[start.upperBound...].prefix { $0 != "\"" })
        }
        return (target("prev"), target("next"))
    }

    @Test func theTreeIsLoadedInCourseOrder() throws {
        let content = try Self.treeCourse()
        let (_, paths, problems) = LoadStep(content: ContentRoot(content, displayPath: "content")).outline()
        #expect(problems.isEmpty)
        #expect(paths == Self.order)
        #expect(paths.map { PageKind(path: $0) } == [.home, .lab, .lab, .part, .lab, .lab, .lab, .page, .page])
        #expect(PageKind.part(of: "labs/03-reseau/01-pods.html") == "labs/03-reseau/index.html")
        #expect(PageKind.part(of: "labs/03-reseau/index.md") == nil && PageKind.part(of: "labs/04-fin.md") == nil)
    }

    @Test func navigationShowsPartsAndExtraPages() async throws {
        let content = try Self.treeCourse()
        let out = content.deletingLastPathComponent().appendingPathComponent("site")
        let summary = try await Fixture.build(content, out: out).run(clean: true)
        #expect(summary.rendered.sorted() == Self.order.map(SourcePage.outputPath(for:)).sorted())

        // The sommaire: the part as a group holding its labs, between the flat labs; the
        // extra pages in a list of their own.
        let home = try Self.page(out, "index.html")
        #expect(home.contains("""
            <li><a href="labs/02-deploiement.html">Déploiement d&#39;une app</a></li>
            <li class="sidebar-part"><a href="labs/03-reseau/index.html">Le réseau</a>
            <ol>
            <li><a href="labs/03-reseau/01-pods.html">Les pods</a></li>
            <li><a href="labs/03-reseau/02-services.html">Les services</a></li>
            </ol>
            </li>
            <li><a href="labs/04-fin.html">Fin</a></li>
            </ol>
            <p class="sidebar-heading">Annexes</p>
            <ul id="sidebar-pages" data-page="index.html">
            <li><a href="pages/aide-memoire.html">Aide-mémoire</a></li>
            <li><a href="pages/solutions.html">Solutions</a></li>
            </ul>
            """))
        // The script fills both lists on the other pages.
        let script = try Self.page(out, Navigation.scriptPath)
        #expect(script.contains("getElementById(\"sidebar-labs\")") && script.contains("getElementById(\"sidebar-pages\")"))
        #expect(script.contains("<li class=\\\"sidebar-part\\\"><a href=\\\"labs/03-reseau/index.html\\\">Le réseau<\\/a>"))
        #expect(script.contains("<a href=\\\"pages/aide-memoire.html\\\">Aide-mémoire<\\/a>"))

        // Previous/next walk home, labs and the part's page in order; extra pages stay out.
        let expected: [(String, String?, String?)] = [
            ("labs/02-deploiement.html", "01-decouverte.html", "03-reseau/index.html"),
            ("labs/03-reseau/index.html", "../02-deploiement.html", "01-pods.html"),
            ("labs/03-reseau/01-pods.html", "index.html", "02-services.html"),
            ("labs/03-reseau/02-services.html", "01-pods.html", "../04-fin.html"),
            ("labs/04-fin.html", "03-reseau/02-services.html", nil),
            ("pages/aide-memoire.html", nil, nil),
        ]
        for (path, previous, next) in expected {
            let pager = Self.pager(try Self.page(out, path))
            #expect(pager.previous == previous && pager.next == next, "\(path): \(pager)")
        }

        // A part's lab: links relative to its folder, its part in a breadcrumb, `.md` links
        // rewritten across folders, the pages list in the sidebar for the script to fill.
        let pods = try Self.page(out, "labs/03-reseau/01-pods.html")
        #expect(pods.contains("<body data-root=\"../../\""))
        #expect(pods.contains("<link rel=\"stylesheet\" href=\"../../assets/style."))
        #expect(pods.contains("<script src=\"../../assets/labs.js\"></script>"))
        #expect(pods.contains("<nav class=\"breadcrumb\" aria-label=\"Fil d’Ariane\"><ol><li><a href=\"../../index.html\">Sommaire</a></li><li><a href=\"index.html\">Le réseau</a></li></ol></nav>"))
        #expect(pods.contains("href=\"../01-decouverte.html#creation-du-cluster-kind\""))
        #expect(pods.contains("href=\"../../pages/aide-memoire.html#commandes\""))
        #expect(pods.contains("<img src=\"../../img/schema.png\" alt=\"le schéma\" />"))
        #expect(pods.contains("<ul id=\"sidebar-pages\" data-page=\"labs/03-reseau/01-pods.html\">\n</ul>"))
        // The part's page lists its labs; a flat lab has no breadcrumb.
        let part = try Self.page(out, "labs/03-reseau/index.html")
        #expect(part.contains("<li><a href=\"01-pods.html\">Les pods</a></li>\n<li><a href=\"02-services.html\">Les services</a></li>"))
        let flat = try Self.page(out, "labs/04-fin.html")
        #expect(!part.contains("class=\"breadcrumb\"") && !flat.contains("class=\"breadcrumb\""))
        let extra = try Self.page(out, "pages/aide-memoire.html")
        #expect(extra.contains("href=\"../labs/03-reseau/01-pods.html#adresses\"") && extra.contains("<body data-root=\"../\""))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("img/schema.png").path))

        // Search: the part's labs and the extra pages, by section, at their paths.
        let shard = try Self.page(out, SearchIndex.shardPath(0))
        #expect(shard.contains("{\"heading\":\"Adresses\",\"page\":\"Les pods\",\"text\":\"Le mot ornithorynque.\",\"url\":\"labs/03-reseau/01-pods.html#adresses\"}"))
        #expect(shard.contains("\"page\":\"Aide-mémoire\",\"text\":\"Le mot tapir. Retour aux pods.\",\"url\":\"pages/aide-memoire.html#commandes\"}"))
        #expect(shard.contains("okapi") && shard.contains("Cette partie explore le réseau du cluster."))
    }

    @Test func checkFollowsLinksAcrossTheTree() async throws {
        let content = try Self.treeCourse()
        let site = Fixture.build(content, out: content.deletingLastPathComponent().appendingPathComponent("site"))
        #expect(await site.check().filter { $0.severity == .error }.isEmpty)
        // A link still pointing where a lab was before it moved into the part, and a missing
        // anchor of an extra page.
        try Self.write("# Fin\n\nRevoir [les pods](01-pods.md) et [l'aide](../pages/aide-memoire.md#absent).\n",
                       to: content.appendingPathComponent("labs/04-fin.md"))
        try Self.write("# Solutions\n\nVoir [ailleurs](../labs/03-reseau/absent.md).\n", to: content.appendingPathComponent("pages/solutions.md"))
        let errors = await site.check().filter { $0.severity == .error }.map(\.description)
        #expect(errors == [
            "content/labs/04-fin.md:3:8: error: link to missing page '01-pods.md': the page is now labs/03-reseau/01-pods.md, write '03-reseau/01-pods.md'",
            "content/labs/04-fin.md:3:34: error: no heading with anchor '#absent' in pages/aide-memoire.md (did you mean '#commandes'?)",
            "content/pages/solutions.md:3:6: error: link to missing page '../labs/03-reseau/absent.md'",
        ])
    }

    @Test func treeMistakesAreReportedWhereTheyAre() throws {
        let content = try Self.treeCourse()
        // Images beside a part's labs are fine; pages one folder deeper, a part without its
        // own page, a folder of extra pages are not.
        try Self.write("x", to: content.appendingPathComponent("labs/03-reseau/img/schema.png"))
        try Self.write("# Trop loin\n", to: content.appendingPathComponent("labs/03-reseau/plus/01-x.md"))
        try Self.write("# Orphelin\n", to: content.appendingPathComponent("labs/05-seul/01-y.md"))
        try Self.write("# Rangée\n", to: content.appendingPathComponent("pages/annexes/z.md"))
        let (_, paths, problems) = LoadStep(content: ContentRoot(content, displayPath: "content")).outline()
        #expect(problems.map(\.description) == [
            "content/labs/03-reseau/plus/:1:1: error: a part holds its labs directly (one level of parts): move these pages into content/labs/03-reseau/, or make them a part of their own, content/labs/NN-name/",
            "content/labs/05-seul/index.md:1:1: error: the part `05-seul` has no page of its own: write content/labs/05-seul/index.md with its title (`# …` or `title: …`) and a few lines introducing its labs",
            "content/pages/annexes/:1:1: error: extra pages are the .md files directly in content/pages/: move these pages there (labs in a folder go into content/labs/NN-name/, a part)",
        ])
        #expect(!paths.contains { $0.contains("plus/") || $0.contains("05-seul") || $0.contains("annexes") })
        // A build stops on them, before writing anything.
        let out = content.deletingLastPathComponent().appendingPathComponent("site")
        let failure = try? LoadStep(content: ContentRoot(content, displayPath: "content")).run()
        #expect(failure == nil)
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func handoutInTheFrontMatterIsTrueOrFalse() throws {
        let content = try Self.treeCourse()
        let root = ContentRoot(content, displayPath: "content")
        #expect(try LoadStep(content: root).page("pages/solutions.md").handout == false)
        #expect(try LoadStep(content: root).page("pages/aide-memoire.md").handout == true)
        try Self.write("---\ntitle: Solutions\nhandout: peut-être\n---\n# Les solutions\n", to: content.appendingPathComponent("pages/solutions.md"))
        #expect(throws: Diagnostic.self) { try LoadStep(content: root).page("pages/solutions.md") }
        do {
            _ = try LoadStep(content: root).page("pages/solutions.md")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.description == "content/pages/solutions.md:2:1: error: the front matter holds `title: …` (one line of text) and `handout: false` (or true); fix or remove it")
        }
    }

    @Test func aRosterBuildsThePartAndThePagesPerAttendee() async throws {
        let content = try Self.treeCourse()
        let chloe = try RosterBuildTests.defaultText().replacingOccurrences(of: "\"ip\": \"172.18.0.2\"", with: "\"ip\": \"172.19.4.2\"")
        let (out, summary) = try await RosterBuildTests.build([("chloe", "Chloé", chloe), ("bob", "Bob", try RosterBuildTests.otherText())],
                                                              content: content)
        #expect(summary.failures.isEmpty)
        let secret = RosterSecret(Array(RosterBuildTests.secret.utf8))
        let chloePages = try RosterBuildTests.texts(out, secret.token(for: "chloe"))
        let bobPages = try RosterBuildTests.texts(out, secret.token(for: "bob"))
        let pods = try #require(chloePages["labs/03-reseau/01-pods.html"])
        #expect(pods.contains("172.19.4.2") && pods.contains("<a href=\"index.html\">Le réseau</a>"))
        let bobPods = try #require(bobPages["labs/03-reseau/01-pods.html"])
        #expect(!bobPods.contains("172.19.4.2"))
        #expect(chloePages["pages/solutions.html"] != nil)
        // The handout: the part's page before its labs, the extra page after the labs, the
        // page with `handout: false` left out; links between them point inside the handout.
        let handout = try #require(chloePages["handout.html"])
        let sections = ["lab-01-decouverte", "lab-02-deploiement", "lab-03-reseau-index", "lab-03-reseau-01-pods",
                        "lab-03-reseau-02-services", "lab-04-fin", "page-aide-memoire"]
        let positions = try sections.map { try #require(handout.range(of: "<section class=\"handout-lab\" id=\"\($0)\">"), "\($0)").lowerBound }
        #expect(positions == positions.sorted())
        #expect(!handout.contains("okapi") && !handout.contains("page-solutions"))
        #expect(handout.contains("Le nœud <span class=\"param\"") && handout.contains("172.19.4.2"))
        let bobHandout = try #require(bobPages["handout.html"])
        #expect(!bobHandout.contains("172.19.4.2"))
        #expect(handout.contains("href=\"#page-aide-memoire--commandes\"") && handout.contains("href=\"#lab-03-reseau-01-pods--adresses\""))
        #expect(handout.contains("<img src=\"img/schema.png\" alt=\"le schéma\" />"))
    }
}
