import Foundation
import Testing
import Markdown
@testable import Site

/// French typography at build time: no-break spaces in prose, never in code, URLs,
/// attributes or values filled from facts; English pages untouched.
@Suite struct FrenchTypographyTests {
    @Test func proseGetsNoBreakSpacesAndNothingElseDoes() {
        let markdown = """
        # Titre : « guillemets » !

        Une question ? Oui ; enfin : « mot » ! Voir [le lien ?](https://exemple.fr/a?b=1 "titre : x") et `code : ; ! ?`.

        ![alt : texte ?](img.png)

        ```bash
        echo "a : b ; c ! d ? « e »"
        ```

        <span title="x : y">html : brut</span>
        """
        let root = FrenchTypography.apply(Document(parsing: markdown).root)
        let html = HTMLRenderer().render(root)
        #expect(html.contains("Titre\u{00A0}: «\u{202F}guillemets\u{202F}»\u{202F}!"))
        #expect(html.contains("Une question\u{202F}? Oui\u{202F}; enfin\u{00A0}: «\u{202F}mot\u{202F}»\u{202F}!"))
        #expect(html.contains("<a href=\"https://exemple.fr/a?b=1\" title=\"titre : x\">le lien\u{202F}?</a>"))
        #expect(html.contains("<code>code : ; ! ?</code>"))
        #expect(html.contains("alt=\"alt : texte ?\""))
        #expect(html.contains("echo &quot;a : b ; c ! d ? « e »&quot;"))
        #expect(html.contains("<span title=\"x : y\">html\u{00A0}: brut</span>"), "the tag is kept, the prose inside is set")
    }

    @Test func valuesFromFactsKeepTheirSpaces() {
        let value = Node(.customInline(open: "<span class=\"param\">", close: "</span>"), children: [Node(.text("a : b"))])
        let root = Node(.document, children: [Node(.paragraph, children: [Node(.text("valeur ")), value, Node(.text(" : fin"))])])
        let html = HTMLRenderer().render(FrenchTypography.apply(root))
        #expect(html == "<p>valeur <span class=\"param\">a : b</span>\u{00A0}: fin</p>\n")
    }

    @Test func frenchPagesAreSetEnglishPagesAreNot() async throws {
        func build(_ course: String) async throws -> String {
            let content = try Fixture.copy("course")
            try course.write(to: content.appendingPathComponent("course.yaml"), atomically: true, encoding: .utf8)
            let out = content.deletingLastPathComponent().appendingPathComponent("site")
            try await Fixture.build(content, out: out).run()
            return try String(contentsOf: out.appendingPathComponent("labs/01-decouverte.html"), encoding: .utf8)
        }
        let french = try await build("title: \"Cours : test\"\n")
        #expect(french.contains("cluster <ins><strong>KinD</strong></ins>\u{00A0}:</p>"))
        #expect(french.contains("<title>Découverte du cluster · Cours\u{00A0}: test</title>"))
        #expect(!french.contains(" :</p>"))
        let english = try await build("title: \"Course : test\"\nlanguage: en\n")
        #expect(english.contains("<ins><strong>KinD</strong></ins> :</p>"))
        #expect(!english.contains("\u{00A0}:") && !english.contains("\u{202F}"))
        #expect(english.contains("aria-label=\"Code block bash\""))
    }
}
