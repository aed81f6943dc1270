import Foundation
import Testing
import Markdown
@testable import Site

@Suite struct SiteFeatureTests {
    func buildFixture(_ edit: (URL) throws -> Void = { _ in }) async throws -> [String: Data] {
        let content = try Fixture.copy("course")
        try edit(content)
        let out = content.deletingLastPathComponent().appendingPathComponent("site")
        try await Fixture.build(content, out: out).run()
        return try Fixture.tree(out)
    }

    func text(_ files: [String: Data], _ path: String) -> String {
        String(decoding: files[path] ?? Data(), as: UTF8.self)
    }

    @Test func assetsAreFingerprintedAndLinkedByTheirHashedNames() async throws {
        let files = try await buildFixture()
        let assets = files.keys.filter { $0.hasPrefix("assets/") }.sorted()
        // The search index keeps its name: it is in every page, and changes with any page's text.
        for asset in assets where asset != SearchIndex.path && asset != Navigation.scriptPath && !asset.hasPrefix("assets/search/")
            && Fingerprint.isFingerprinted(String(asset.split(separator: "/").last!)) {
            let name = asset.split(separator: "/").last!
            let parts = name.split(separator: ".")
            #expect(parts.count == 3 && parts[1].count == 8, "\(asset) is fingerprinted")
            #expect(String(parts[1]) == Fingerprint.hex8(files[asset]!), "\(asset): the hash is of the content")
        }
        let lab = text(files, "labs/01-decouverte.html")
        for asset in assets where !asset.hasPrefix("assets/trace.") && !asset.hasPrefix("assets/search/") {   // trace assets: only on pages with a trace; shards: loaded by site.js
            #expect(lab.contains("\"../\(asset)\""), "the lab links \(asset)")
        }
        #expect(!lab.contains("assets/style.css") && !lab.contains("assets/site.js"))
        #expect(assets.contains { $0.hasPrefix("assets/site.") } && assets.contains { $0.hasPrefix("assets/search-index.") })
    }

    @Test func handlerFragmentsLinkingAssetsGetTheFingerprintedNames() async throws {
        let templates = try await Templates.load(from: Fixture.templates)
        let style = try #require(templates.assetURLs["style.css"])
        let html = templates.fingerprintReferences("<link href=\"../assets/style.css\"><script src=\"assets/style.css\"></script> assets/style.css")
        #expect(html == "<link href=\"../\(style)\"><script src=\"\(style)\"></script> assets/style.css")
    }

    @Test func searchIndexHasEverySectionWithItsAnchor() async throws {
        let files = try await buildFixture()
        let manifest = text(files, SearchIndex.path)
        #expect(manifest == "window.labgenSearchShards = [\"assets/search/0.js\"];\n")
        let shard = text(files, SearchIndex.shardPath(0))
        #expect(shard.hasPrefix("window.labgenSearch = window.labgenSearch || {};\nwindow.labgenSearch[0] = [\n"))
        let lines = shard.split(separator: "\n").dropFirst(2).dropLast()
        #expect(lines.count == 3, "one line per page")
        let json = "[" + lines.map { String($0.dropLast()) }.joined(separator: ",") + "]"
        let entries = try JSONDecoder().decode([[SearchIndex.Entry]].self, from: Data(json.utf8)).flatMap { $0 }
        let urls = entries.map(\.url)
        #expect(urls.contains("labs/01-decouverte.html#creation-du-cluster-kind"))
        #expect(urls.contains("labs/01-decouverte.html#creation-du-cluster-kind-1"))
        #expect(urls.contains("labs/01-decouverte.html#le-veth-a-sniffer"))
        let section = try #require(entries.first { $0.url == "labs/01-decouverte.html#creation-du-cluster-kind" })
        #expect(section.page == "Découverte du cluster")
        #expect(section.heading == "Création du Cluster KinD")
        #expect(section.text.contains("./install.sh && echo \"<ok>\""), "code blocks are searchable")
        let table = try #require(entries.first { $0.url == "labs/01-decouverte.html#le-veth-a-sniffer" })
        #expect(table.text.contains("kind-worker 172.18.0.2"), "cells do not run together: \(table.text)")
    }

    @Test func commandBlocksCarryTheirCopyText() async throws {
        let files = try await buildFixture()
        let lab = text(files, "labs/01-decouverte.html")
        #expect(lab.contains("<pre tabindex=\"0\" role=\"group\" aria-label=\"Bloc de code bash\" data-copy=\"./install.sh &amp;&amp; echo &quot;&lt;ok&gt;&quot;\"><code class=\"language-bash\"><span class=\"tok-command\">./install.sh</span>"))
    }

    @Test func englishCourseGetsEnglishStringsAndLang() async throws {
        let french = try await buildFixture()
        #expect(text(french, "index.html").contains("placeholder=\"Rechercher dans les TP…\""))
        let files = try await buildFixture { content in
            try "title: \"Test course\"\nlanguage: en\n".write(to: content.appendingPathComponent("course.yaml"), atomically: true, encoding: .utf8)
        }
        let lab = text(files, "labs/01-decouverte.html")
        #expect(lab.contains("<html lang=\"en\">"))
        #expect(lab.contains("Skip to content"))
        #expect(lab.contains("placeholder=\"Search the labs…\""))
        #expect(lab.contains("data-copy=\"Copy\""))
        #expect(!lab.contains("Rechercher") && !lab.contains("Aller au contenu"))
        #expect(UIStrings.forLanguage("en-GB") == .english && UIStrings.forLanguage(nil) == .french && UIStrings.forLanguage("de") == .french)
    }

    @Test func layoutHasLandmarksAndNoRemoteURL() async throws {
        let files = try await buildFixture()
        let lab = text(files, "labs/01-decouverte.html")
        for landmark in ["<header", "<main id=\"contenu\"", "role=\"search\"", "<nav class=\"sidebar\"", "class=\"skip\" href=\"#contenu\""] {
            #expect(lab.contains(landmark), "\(landmark)")
        }
        for (path, data) in files where path.hasSuffix(".html") || path.hasSuffix(".css") || path.hasSuffix(".js") {
            let body = String(decoding: data, as: UTF8.self)
            #expect(!body.contains("src=\"http") && !body.contains("stylesheet\" href=\"http") && !body.contains("url(http")
                    && !body.contains("@import"), "\(path) loads nothing remote")
        }
    }
}
