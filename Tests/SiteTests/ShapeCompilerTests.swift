import LabgenCore
import Foundation
import Mustache
import Testing
@testable import Site

/// Rendering by shape must write exactly what mustache writes: every test renders the same
/// course twice, by shape and with mustache alone (`Templates.load(shapeCompiled: false)`).
@Suite struct ShapeCompilerTests {
    struct Both {
        var shaped: [String: Data]
        var plain: [String: Data]
        var templates: Templates
    }

    static func renderBoth(_ content: URL, templates dir: URL = Fixture.templates) async throws -> Both {
        let site = SiteBuild(content: ContentRoot(content, displayPath: "content"),
                             output: content.deletingLastPathComponent().appendingPathComponent("unused"), templatesDirectory: dir)
        let parsed = await ParseStep().run(try LoadStep(content: site.content).run())
        let facts = try site.loadFacts()
        func files(_ templates: Templates) async throws -> [String: Data] {
            let (out, _) = try await site.renderEdition(parsed, .init(facts: facts), templates: templates)
            return Dictionary(out.map { ($0.path, $0.contents) }, uniquingKeysWith: { a, _ in a })
        }
        let shaped = try await Templates.load(from: dir)
        let plain = try await Templates.load(from: dir, shapeCompiled: false)
        #expect(plain.shapes == nil)
        return Both(shaped: try await files(shaped), plain: try await files(plain), templates: shaped)
    }

    static func expectIdentical(_ both: Both, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(both.shaped.keys.sorted() == both.plain.keys.sorted(), sourceLocation: sourceLocation)
        for (path, data) in both.plain.sorted(by: { $0.key < $1.key }) where both.shaped[path] != data {
            Issue.record("\(path) differs:\n\(String(decoding: both.shaped[path] ?? Data(), as: UTF8.self))", sourceLocation: sourceLocation)
        }
    }

    static let noncharacter = String(Unicode.Scalar(0xFDD0)!)

    /// A course whose pages take every branch of the templates: with and without a leading
    /// `# heading` and a table of contents (h2, h3), first, middle and last pages, the home
    /// page, titles with `& < > " '`, accents, a combining accent after a quote, and a
    /// noncharacter.
    static func generatedCourse(homeHeading: Bool) throws -> URL {
        let dir = try Fixture.temporaryDirectory().appendingPathComponent("content")
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("labs"), withIntermediateDirectories: true)
        try fm.createDirectory(at: dir.appendingPathComponent("facts"), withIntermediateDirectories: true)
        try fm.copyItem(at: Fixture.root.appendingPathComponent("course/facts/default.json"),
                        to: dir.appendingPathComponent("facts/default.json"))
        func write(_ path: String, _ text: String) throws {
            try text.write(to: dir.appendingPathComponent(path), atomically: true, encoding: .utf8)
        }
        try write("course.yaml", "title: \"Cours <b> & \\\"essai\\\" l'été\"\nlanguage: fr\n")
        let labs = ["01-a", "02-b", "03-c", "04-n", "05-d", "06-e", "07-g"]
        try write("index.md", (homeHeading ? "# Sommaire & &lt;accueil&gt;\n\n" : "Bienvenue, sans titre.\n\n")
                  + labs.map { "- [\($0)](labs/\($0).md)\n" }.joined() + "\n## Plan\n\nTexte.\n")
        try write("labs/01-a.md", """
            ---
            title: "A & B < C > D \\"E\\" 'F' — été"
            ---
            # Titre « A » & <b>gras</b>

            Texte [suivant](02-b.md).

            ## Première partie 'quote'

            ### Sous-partie "guillemets"

            ## Deuxième & dernière

            ```bash
            echo "<ok>" && ls assets/style.css
            ```

            """)
        try write("labs/02-b.md", "Pas de titre ni de sommaire, un lien vers \"assets/style.css\" écrit en texte.\n")
        try write("labs/03-c.md", "## Une section\n\n## Une autre\n\nTexte.\n")
        // The noncharacter reaches this page, its neighbours (their pager) and the home page
        // (the list of labs): those are rendered by mustache.
        try write("labs/04-n.md", """
            ---
            title: "Non\(noncharacter)caractère"
            ---
            ## Section \(noncharacter) seule

            Corps avec \(noncharacter) dedans.

            """)
        try write("labs/05-d.md", "---\ntitle: \"Guillemet\\\"\u{301} accentué\"\n---\n# Seul titre\n\n### Niveau trois seulement\n")
        try write("labs/06-e.md", "# Avant-dernière\n\n## Fin\n\n## Fin\n\n[début](01-a.md)\n")
        try write("labs/07-g.md", "Dernière, sans titre.\n\n### Niveau trois\n\n## Niveau deux\n")
        return dir
    }

    @Test func realCourseRendersAsMustacheDoes() async throws {
        let both = try await Self.renderBoth(DownloadSubstitutionTests.realContent)
        Self.expectIdentical(both)
        let counts = try #require(both.templates.shapes).counts
        #expect(counts.shapes >= 2, "the home page and the lab by shape")
        #expect(counts.uncompilable == 0)
    }

    @Test(arguments: [true, false])
    func generatedCourseRendersAsMustacheDoes(homeHeading: Bool) async throws {
        let both = try await Self.renderBoth(try Self.generatedCourse(homeHeading: homeHeading))
        Self.expectIdentical(both)
        let page = String(decoding: both.shaped["labs/01-a.html"] ?? Data(), as: UTF8.self)
        #expect(page.contains("<title>A &amp; B &lt; C &gt; D &quot;E&quot; &#39;F&#39; — été · Cours &lt;b&gt; &amp; &quot;essai&quot; l&#39;été</title>"))
        #expect(String(decoding: both.shaped["labs/04-n.html"] ?? Data(), as: UTF8.self).contains("Corps avec \(Self.noncharacter) dedans"))
        let counts = try #require(both.templates.shapes).counts
        #expect(counts.shapes >= 4 && counts.uncompilable == 0, "01-a, 02-b, 06-e and 07-g by shape: \(counts)")
    }

    @Test func handoutRendersAsMustacheDoes() async throws {
        let content = try Self.generatedCourse(homeHeading: true)
        let site = SiteBuild(content: ContentRoot(content, displayPath: "content"),
                             output: content.deletingLastPathComponent().appendingPathComponent("unused"),
                             templatesDirectory: Fixture.templates)
        let parsed = await ParseStep().run(try LoadStep(content: site.content).run())
        let filled = try await FillStep(transforms: site.allTransforms).run(parsed, facts: try site.loadFacts())
        var handouts: [String] = []
        for shaped in [true, false] {
            let templates = try await Templates.load(from: Fixture.templates, shapeCompiled: shaped)
            handouts.append(Handout(templates: templates, codeBlockRenderer: site.codeBlockRenderer)
                .render(filled, course: parsed.config, attendee: "Zoé \"<l'admin>\" & co"))
        }
        #expect(handouts[0] == handouts[1])
        #expect(handouts[0].contains("Support personnel de Zoé &quot;&lt;l&#39;admin&gt;&quot; &amp; co"))
    }

    /// The repository's templates, one file changed.
    static func templates(_ page: String) throws -> URL {
        let dir = try Fixture.temporaryDirectory().appendingPathComponent("templates")
        try FileManager.default.copyItem(at: Fixture.templates, to: dir)
        try page.write(to: dir.appendingPathComponent("page.mustache"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test(arguments: [
        ("{{<layout}}{{$main}}<h1>{{uppercased(title)}}</h1>{{{body}}}{{/main}}{{/layout}}", "<h1>A &amp; B &lt; C &gt; D &quot;E&quot; &#39;F&#39; — ÉTÉ</h1>"),
        ("{{=<% %>=}}<%<layout%><%$main%><h1><%title%></h1><%&body%><%/main%><%/layout%>", "<h1>A &amp; B &lt; C &gt; D &quot;E&quot; &#39;F&#39; — été</h1>"),
        ("{{<layout}}{{$main}}{{#toc}}{{#first()}}<p>premier : {{title}}</p>{{/first()}}{{/toc}}{{/main}}{{/layout}}", "<p>premier : Première partie &#39;quote&#39;</p>"),
        ("{{<layout}}{{$main}}\n  {{> toc}}\n{{/main}}{{/layout}}", "<nav class=\"toc\""),
        ("{{<layout}}{{$main}}{{%CONTENT_TYPE: TEXT}}<h1>{{title}}</h1>{{/main}}{{/layout}}", "<h1>A & B < C > D \"E\" 'F' — été</h1>"),
    ])
    func templatesAShapeCannotFollowAreRenderedByMustache(page: String, expected: String) async throws {
        let dir = try Self.templates(page)
        let both = try await Self.renderBoth(try Self.generatedCourse(homeHeading: true), templates: dir)
        #expect(both.templates.shapes == nil)
        Self.expectIdentical(both)
        let lab = String(decoding: both.shaped["labs/01-a.html"] ?? Data(), as: UTF8.self)
        #expect(lab.contains(expected), "\(lab)")
    }

    /// `{{toc}}` prints an array of dictionaries whole (its strings debug-quoted): the sentinels come out
    /// with their `\` doubled, so the shape is refused and mustache renders the page.
    /// The sidebar's lab list, spliced row by row, is what mustache writes entry by entry,
    /// whatever the titles hold (an empty one falls back to mustache).
    @Test(arguments: [["Découverte", "R&D <b> \"x\" 'y'", "Ünïcödé ✓"], ["Un", ""], ["labgen-row-0", "\u{1}labgen-row-1\u{1}"]])
    func labListSplicesAsMustacheWrites(_ titles: [String]) async throws {
        let shaped = try await Templates.load(from: Fixture.templates)
        let plain = try await Templates.load(from: Fixture.templates, shapeCompiled: false)
        let links = [Navigation.Link(path: "index.html", title: "Accueil", isHome: true)]
            + titles.enumerated().map { Navigation.Link(path: "labs/\($0.offset)-a&b.html", title: $0.element, isHome: false) }
        let course = CourseConfig(title: "Cours & co")
        let a = Navigation(links: links, templates: shaped, course: course, strings: UIStrings.forLanguage("fr"))
        let b = Navigation(links: links, templates: plain, course: course, strings: UIStrings.forLanguage("fr"))
        #expect(a.labsHTML == b.labsHTML)
        #expect(a.labsHTML.contains("labs/0-a&amp;b.html"))
        // The spliced path is the one taken unless a title is empty.
        let rows = links.filter { !$0.isHome }.map { [$0.path, $0.title] }
        let spliced = shaped.shapes?.renderRows(["lang": "fr", "courseTitle": "c", "ui": [String: String](), "root": "", "current": false],
                                                keys: ["href", "title"], rows: rows, template: Navigation.entryTemplate, library: shaped.library)
        #expect((spliced != nil) == !titles.contains(""))
    }

    @Test func aSentinelInAnotherFormMakesTheShapeUncompilable() async throws {
        let dir = try Self.templates("{{<layout}}{{$main}}<pre>{{toc}}</pre>{{{body}}}{{/main}}{{/layout}}")
        let both = try await Self.renderBoth(try Self.generatedCourse(homeHeading: true), templates: dir)
        let shapes = try #require(both.templates.shapes)
        // A table of contents printed whole is not deterministic (dictionary order): compare
        // the page without one.
        #expect(both.shaped["labs/02-b.html"] == both.plain["labs/02-b.html"])
        #expect(shapes.counts.uncompilable > 0, "\(shapes.counts)")
        let lab = String(decoding: both.shaped["labs/01-a.html"] ?? Data(), as: UTF8.self)
        #expect(lab.contains("&quot;title&quot;: &quot;Première partie"), "\(lab)")
    }

    @Test func allowsOnlyTemplatesThatTreatStringsAsOpaque() throws {
        for name in ["page", "layout", "nav", "sidebar", "sidebar-lab", "toc", "handout"] {
            let text = try String(contentsOf: Fixture.templates.appendingPathComponent(name + ".mustache"), encoding: .utf8)
            #expect(ShapeCompiler.allows(text), "\(name)")
        }
        for refused in ["{{lowercased(title)}}", "{{#toc}}{{index()}}{{/toc}}", "{{=<% %>=}}", "{{% CONTENT_TYPE: TEXT}}",
                        "{{>*name}}", "{{> *name}}", "{{<*name}}{{/*name}}", "a\n  {{> toc}}\n", "\t{{$main}}{{/main}}",
                        " {{! note }}{{<layout}}{{/layout}}", "{{! (parenthèse) }}"] {
            #expect(!ShapeCompiler.allows(refused), "\(refused)")
        }
        #expect(ShapeCompiler.allows("x {{> toc}}\n{{{body}}} {{&raw}}\n  texte {{title}}\n"))
    }

    @Test func shapeKeepsTypesAndRefusesOthers() {
        var shape = ContextShape(buildSkeleton: true)
        let context: [String: Any] = ["a": "x", "b": "", "c": true, "d": 3, "e": ["k": "v"] as [String: String],
                                      "f": [["t": "u"]] as [[String: Any]], "g": ["p", ""]]
        let skeleton = shape.visit(context) as? [String: Any]
        #expect(shape.values == ["x", "v", "u", "p"].map(ShapeValue.text))
        #expect(skeleton?["a"] as? String == ContextShape.sentinel(0))
        #expect(skeleton?["b"] as? String == "")
        #expect(skeleton?["e"] is [String: String] && skeleton?["f"] is [[String: Any]] && skeleton?["g"] is [String])
        var same = ContextShape(buildSkeleton: false)
        _ = same.visit(context.merging(["a": "autre chose"]) { $1 })
        #expect(same.key == shape.key)
        var other = ContextShape(buildSkeleton: false)
        _ = other.visit(context.merging(["b": "plein"]) { $1 })
        #expect(other.key != shape.key, "emptiness is part of the shape")
        for refused: Any in [Optional("x") as Any, 1.5, ["x": Optional("y")] as [String: String?], Self.noncharacter, NSNull()] {
            var s = ContextShape(buildSkeleton: false)
            #expect(s.visit(["v": refused] as [String: Any]) == nil, "\(refused)")
        }
    }
}
