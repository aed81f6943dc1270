import LabgenCore
import struct Facts.Facts
import Foundation
import Testing
@testable import Site

/// Writing a course of one's own (issue 16): the built-in theme and partial overrides,
/// template errors at their line, the author's `vars`, facts needed only when used, and the
/// messages for a broken course.yaml, front matter or facts file.
@Suite struct AuthoringTests {
    /// A small course in a temporary folder: `files` maps content-relative paths to texts.
    func course(_ files: [String: String]) throws -> (content: URL, site: URL, dir: URL) {
        let dir = try Fixture.temporaryDirectory()
        let content = dir.appendingPathComponent("content")
        for (path, text) in files {
            let url = content.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return (content, dir.appendingPathComponent("site"), dir)
    }

    func build(_ content: URL, _ site: URL, templates: URL? = nil, facts: URL? = nil) -> SiteBuild {
        SiteBuild(content: ContentRoot(content, displayPath: "content"), output: site,
                  templatesDirectory: templates ?? content.deletingLastPathComponent().appendingPathComponent("templates"),
                  factsFile: facts)
    }

    /// The messages of a failed build, one per line.
    func failure(_ build: SiteBuild) async -> String {
        do {
            try await build.run()
            return "built"
        } catch let failure as BuildFailure {
            return failure.diagnostics.map(\.description).joined(separator: "\n")
        } catch let diagnostic as Diagnostic {
            return diagnostic.description
        } catch {
            return "unexpected: \(error)"
        }
    }

    static let minimal = ["course.yaml": "title: Mon atelier\nlanguage: fr\n", "index.md": "# Accueil\n\nBienvenue.\n"]

    @Test func aCourseWithoutTemplatesOrFactsBuildsWithTheBuiltInTheme() async throws {
        let (content, site, _) = try course(Self.minimal)
        try await build(content, site).run()
        let home = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(home.contains("<html lang=\"fr\"") && home.contains("Bienvenue."))
        // The built-in theme is labgen's templates/, byte for byte.
        let assets = try FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("assets").path)
        let style = try #require(assets.first { $0.hasPrefix("style.") && $0.hasSuffix(".css") })
        #expect(try Data(contentsOf: site.appendingPathComponent("assets/\(style)")) == Data(contentsOf: Fixture.templates.appendingPathComponent("assets/style.css")))
    }

    @Test func theBuiltInThemeEqualsTemplatesFolder() throws {
        let files = try ThemeFiles(overriding: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)")).files
        let onDisk = try Fixture.tree(Fixture.templates).filter { !$0.key.split(separator: "/").contains { $0.hasPrefix(".") } }
        #expect(files.map(\.path) == onDisk.keys.sorted())
        for (path, file) in files { #expect(file.data == onDisk[path], "\(path)") }
    }

    @Test func aPartialThemeOverridesOnlyItsFiles() async throws {
        let (content, site, dir) = try course(Self.minimal)
        let templates = dir.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates.appendingPathComponent("assets"), withIntermediateDirectories: true)
        // One partial of the layout and one asset; everything else stays built in.
        let toc = try String(contentsOf: Fixture.templates.appendingPathComponent("sidebar.mustache"), encoding: .utf8)
        try Data(("<p class=\"mine\">Mon bandeau</p>\n" + toc).utf8).write(to: templates.appendingPathComponent("sidebar.mustache"))
        try Data("body { color: rebeccapurple }\n".utf8).write(to: templates.appendingPathComponent("assets/style.css"))
        try await build(content, site).run()
        let home = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(home.contains("<p class=\"mine\">Mon bandeau</p>"))
        #expect(home.contains("<main"), "the built-in layout and page are still used")
        let assets = try FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("assets").path)
        let style = try #require(assets.first { $0.hasPrefix("style.") && $0.hasSuffix(".css") })
        #expect(try String(contentsOf: site.appendingPathComponent("assets/\(style)"), encoding: .utf8) == "body { color: rebeccapurple }\n")
        #expect(assets.contains { $0.hasPrefix("site.") && $0.hasSuffix(".js") }, "the other assets are the built-in ones")
    }

    @Test func aTemplateErrorPointsAtItsFileAndLine() async throws {
        let (content, site, dir) = try course(Self.minimal)
        let templates = dir.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try Data("<nav>\n  <ul>\n  {{#toc}}\n    <li>{{title}}</li>\n  </ul>\n</nav>\n".utf8).write(to: templates.appendingPathComponent("toc.mustache"))
        let message = await failure(build(content, site))
        #expect(message.hasPrefix(templates.appendingPathComponent("toc.mustache").path + ":3:3: error: template: section never closed"), "\(message)")
        #expect(message.contains("delete it to use the built-in one"))
        #expect(!FileManager.default.fileExists(atPath: site.path), "nothing written")
    }

    @Test func varsInProseCodeAndDownloads() async throws {
        var files = Self.minimal
        files["course.yaml"] = """
        title: Mon atelier
        language: fr
        description: Un atelier d'essai.
        vars:
          repo: https://example.org/atelier.git
          user: {type: string, default: stagiaire}
          port: {type: port, default: 8080}

        """
        files["labs/01-depart.md"] = """
        # Départ

        Le dépôt est ${{ vars.repo }}, sur le port ${{ vars.port }}.

        ```console
        $ git clone ${{ vars.repo }} && ssh ${{ vars.user }}@vm
        ```

        [Le script](../files/setup.sh)

        """
        files["files/setup.sh"] = "#!/bin/sh\nuseradd ${{ vars.user }}\n"
        let (content, site, dir) = try course(files)
        try await build(content, site).run()
        let lab = try String(contentsOf: site.appendingPathComponent("labs/01-depart.html"), encoding: .utf8)
        #expect(lab.contains(">https://example.org/atelier.git</span>, sur le port <span class=\"param\" title=\"provenance : vars.port — content/course.yaml (default)\">8080<"))
        #expect(lab.contains("git clone") && lab.contains(">stagiaire</span>"))
        #expect(lab.contains("<meta name=\"description\" content=\"Un atelier d&#39;essai.\">") || lab.contains("<meta name=\"description\" content=\"Un atelier d&#x27;essai.\">"))
        #expect(try String(contentsOf: site.appendingPathComponent("files/setup.sh"), encoding: .utf8).contains("useradd stagiaire"))

        // An attendee's facts set a value; only `vars`, no cluster: a valid facts file.
        let facts = dir.appendingPathComponent("alice.json")
        try Data(#"{"schema": "labgen.facts/v1", "vars": {"user": "alice"}}"#.utf8).write(to: facts)
        try await build(content, site, facts: facts).run()
        #expect(try String(contentsOf: site.appendingPathComponent("files/setup.sh"), encoding: .utf8).contains("useradd alice"))
        #expect(try String(contentsOf: site.appendingPathComponent("labs/01-depart.html"), encoding: .utf8).contains(">alice</span>"))

        // A typo in a page, in the facts, a value of the wrong type.
        try Data(#"{"schema": "labgen.facts/v1", "vars": {"usr": "alice", "port": 99999}}"#.utf8).write(to: facts)
        let wrong = await failure(build(content, site, facts: facts))
        #expect(wrong.contains("\(facts.path):1:1: error: vars.usr is not a parameter of this course; did you mean `user`?"), "\(wrong)")
        #expect(wrong.contains("vars.port: expected a port 1–65535, found 99999 (declared at content/course.yaml:7)"), "\(wrong)")
        try Data("# T\n\n${{ vars.rep }}\n".utf8).write(to: content.appendingPathComponent("labs/02-typo.md"))
        let typo = await failure(build(content, site))
        #expect(typo.contains("content/labs/02-typo.md:3:10: error: `vars` has no field `rep`; did you mean `repo`?"), "\(typo)")
    }

    /// A parameter as a link's address (issue 16): in a prose link as markdown would not see
    /// it (a space in the destination), in the `<…>` and spaceless forms it sees, in an image,
    /// and as an autolink; the value percent-encoded in `href`, HTML-escaped in the text, a
    /// `javascript:` value refused at its placeholder, a link that cannot be rebuilt named.
    @Test func parametersAsLinkAddresses() async throws {
        var files = Self.minimal
        files["course.yaml"] = """
        title: Mon atelier
        language: fr
        vars:
          repo: https://example.org/atelier "<b>".git
          page: ../files/guide.txt

        """
        files["files/guide.txt"] = "guide\n"
        files["labs/01-liens.md"] = """
        # Liens

        Le [code](${{ vars.repo }}), [le meme](<${{ vars.repo }}>), [son arbre](${{vars.repo}}/tree) et [le guide](${{ vars.page }}).

        Adresse : <${{ vars.repo }}>.

        ![logo](${{ vars.page }})

        """
        let (content, site, dir) = try course(files)
        try await build(content, site).run()
        let lab = try String(contentsOf: site.appendingPathComponent("labs/01-liens.html"), encoding: .utf8)
        let href = "https://example.org/atelier%20%22%3Cb%3E%22.git"
        #expect(lab.contains("Le <a href=\"\(href)\">code</a>, <a href=\"\(href)\">le meme</a>, <a href=\"\(href)/tree\">son arbre</a> et <a href=\"../files/guide.txt\">le guide</a>."), "\(lab)")
        #expect(lab.contains("<a href=\"\(href)\"><span class=\"param\" title=\"provenance : vars.repo — content/course.yaml (default)\">https://example.org/atelier &quot;&lt;b&gt;&quot;.git</span></a>"), "\(lab)")
        #expect(lab.contains("<img src=\"../files/guide.txt\" alt=\"logo\" />"))
        #expect(!lab.contains("${{") && !lab.contains("<b>") && !lab.contains("](")) 

        // The link check sees the filled address: a missing file is reported.
        let facts = dir.appendingPathComponent("f.json")
        try Data(#"{"schema": "labgen.facts/v1", "vars": {"page": "../files/absent.txt"}}"#.utf8).write(to: facts)
        let missing = await failure(build(content, site, facts: facts))
        #expect(missing.contains("content/labs/01-liens.md:3:112: error: missing file '../files/absent.txt'"), "\(missing)")
        #expect(missing.contains("content/labs/01-liens.md:7:13: error: missing image '../files/absent.txt'"), "\(missing)")

        // A value that would run code, in each form; links that cannot be rebuilt.
        try Data(#"{"schema": "labgen.facts/v1", "vars": {"repo": "javascript:void"}}"#.utf8).write(to: facts)
        let script = await failure(build(content, site, facts: facts))
        #expect(script.contains("content/labs/01-liens.md:3:15: error: a link to a `javascript:` address would run code"), "\(script)")
        #expect(script.contains("content/labs/01-liens.md:3:30: error: a link to a `javascript:` address"), "\(script)")
        #expect(script.contains("content/labs/01-liens.md:3:61: error: a link to a `javascript:` address"), "\(script)")
        #expect(script.contains("content/labs/01-liens.md:5:16: error: a link to a `javascript:` address"), "\(script)")
        try Data("# T\n\nVoir [*le depot*](${{ vars.repo }}).\n\nPage : <${{ vars.page }}>.\n".utf8)
            .write(to: content.appendingPathComponent("labs/02-mauvais.md"))
        let bad = await failure(build(content, site))
        #expect(bad.contains("content/labs/02-mauvais.md:3:23: error: a link whose address is a parameter is written `[label](<${{ … }}>)` when its label holds markup"), "\(bad)")
        #expect(bad.contains("content/labs/02-mauvais.md:5:13: error: `<${{ … }}>` is a link only to an absolute address"), "\(bad)")
    }

    @Test func clusterFactsAreRequiredOnlyWhenUsed() async throws {
        var files = Self.minimal
        files["labs/01-a.md"] = "# A\n\nLe nœud : ${{ node(\"kind-worker\").ip }}.\n"
        let (content, site, dir) = try course(files)
        let message = await failure(build(content, site))
        #expect(message.contains("content/labs/01-a.md:3:15: error: `node(…)` reads the KinD/Cilium facts, and the facts used describe no cluster"), "\(message)")
        #expect(message.contains("labgen probe -o content/facts/default.json"))
        // With the KinD facts, it builds.
        let facts = dir.appendingPathComponent("kind.json")
        try FileManager.default.copyItem(at: Fixture.root.appendingPathComponent("course/facts/default.json"), to: facts)
        try await build(content, site, facts: facts).run()
        #expect(try String(contentsOf: site.appendingPathComponent("labs/01-a.html"), encoding: .utf8).contains("172.18.0."))
        // Some KinD keys but not all: the probe's schema is one piece.
        try Data(#"{"schema": "labgen.facts/v1", "cluster": {"name": "kind", "kubernetesVersion": "v1.29"}}"#.utf8).write(to: facts)
        let partial = await failure(build(content, site, facts: facts))
        #expect(partial.contains("missing key \"host\""), "\(partial)")
    }

    @Test func courseYAMLErrorsSayWhereAndWhat() async throws {
        let cases: [(String, String)] = [
            ("title: A\ntitel: B\n", "content/course.yaml:2:1: error: unknown key \"titel\" in course.yaml; did you mean `title`?"),
            ("title: A\nlanguage: de\n", "content/course.yaml:2:11: error: unsupported language \"de\"; labgen's pages and trace views exist in `fr` and `en`"),
            ("title: A\nlanguage: fra\n", "(did you mean `fr`?)"),
            ("title: A\nvars:\n  slides: {type: link}\n", "content/course.yaml:3:18: error: vars.slides.type: unknown type \"link\""),
            ("title: A\nvars:\n  slides: {type: url, default: slides.pdf}\n", "vars.slides.default: expected an http:// or https:// URL"),
            ("title: A\nvars:\n  user: {type: string}\n", "content/course.yaml:3:3: error: vars.user has no value: give it a `default:` here"),
            ("title: [A\n", "content/course.yaml:2:1: error: invalid YAML in course.yaml:"),
            ("language: fr\n", "missing title"),
        ]
        for (yaml, expected) in cases {
            var files = Self.minimal
            files["course.yaml"] = yaml
            let (content, site, _) = try course(files)
            let message = await failure(build(content, site))
            #expect(message.contains(expected), "\(yaml.debugDescription) → \(message)")
            #expect(!message.contains("Yams") && !message.contains("Mark("), "no parser dump: \(message)")
        }
        // description: is supported, not an unknown key.
        var files = Self.minimal
        files["course.yaml"] = "title: A\ndescription: \"Un cours\"\nlanguage: en\n"
        let (content, site, _) = try course(files)
        try await build(content, site).run()
        #expect(try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8).contains("<html lang=\"en\""))
    }

    @Test func frontMatterAndFactsFileErrorsNameTheFile() async throws {
        var files = Self.minimal
        files["labs/01-a.md"] = "---\ntitle: [oops\n---\n# A\n"
        let (content, site, dir) = try course(files)
        let front = await failure(build(content, site))
        #expect(front.hasPrefix("content/labs/01-a.md:"), "\(front)")
        #expect(front.contains("invalid YAML in the front matter") && !front.contains("yaml:"), "\(front)")
        try Data("# A\n".utf8).write(to: content.appendingPathComponent("labs/01-a.md"))

        let missing = dir.appendingPathComponent("absent.json")
        let notFound = await failure(build(content, site, facts: missing))
        #expect(notFound == "\(missing.path):1:1: error: facts file not found: check the --facts path, or write it with `labgen probe -o \(missing.path)`")
        let folder = await failure(build(content, site, facts: dir))
        #expect(folder.contains("--facts names a folder") && !folder.contains("NSCocoaErrorDomain"))
    }
}
