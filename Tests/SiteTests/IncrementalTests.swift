import LabgenCore
import Foundation
import Testing
import Markdown
@testable import Site

/// Incremental builds must give exactly what a clean build gives, file for file and byte for
/// byte, while rendering only the pages whose inputs changed.
@Suite struct IncrementalTests {
    /// A course in a temporary folder with its own copy of the templates, built once.
    struct Workspace {
        let dir: URL
        let content: URL
        let templates: URL
        let out: URL
        var transforms: [any PageTransform] = [ParameterSubstitution()]
        var handlers: [any FencedBlockHandler] = []

        init() throws {
            content = try Fixture.copy("course")
            dir = content.deletingLastPathComponent()
            templates = dir.appendingPathComponent("templates")
            try FileManager.default.copyItem(at: Fixture.templates, to: templates)
            out = dir.appendingPathComponent("site")
        }

        func build(into out: URL? = nil, clean: Bool = false, faults: FaultPoints = .none) async throws -> SiteBuild.Report {
            var site = SiteBuild(content: ContentRoot(content, displayPath: "content"), output: out ?? self.out,
                                 templatesDirectory: templates, transforms: transforms, fencedBlockHandlers: handlers)
            site.faults = faults
            return try await site.run(clean: clean)
        }

        /// Builds incrementally into `out`, and from scratch into a fresh folder; both trees
        /// must be identical. Returns the pages the incremental build rendered.
        func rebuildMatchesClean(_ comment: Comment) async throws -> [String] {
            let summary = try await build()
            let reference = dir.appendingPathComponent("clean-\(UUID().uuidString)")
            let full = try await build(into: reference, clean: true)
            #expect(full.rendered.count == full.pages)
            let incremental = try Fixture.tree(out), clean = try Fixture.tree(reference)
            #expect(incremental.keys.sorted() == clean.keys.sorted(), comment)
            for (path, bytes) in clean where incremental[path] != bytes && path != BuildCache.fileName {
                Issue.record("\(path) differs from a clean build: \(comment)")
            }
            // The caches agree but for the files' stamps (times and inodes of the copies).
            func unstamped(_ dir: URL) throws -> Data {
                var cache = try #require(BuildCache.load(from: dir))
                for i in cache.pages.indices { cache.pages[i].stamp = .none }
                return try cache.encoded()
            }
            #expect(try unstamped(out) == unstamped(reference), "\(comment): cache")
            return summary.rendered.sorted()
        }

        func edit(_ relative: String, in root: URL? = nil, _ change: (String) -> String) throws {
            let url = (root ?? content).appendingPathComponent(relative)
            let text = try String(contentsOf: url, encoding: .utf8)
            try change(text).write(to: url, atomically: true, encoding: .utf8)
        }
    }

    static let allPages = ["index.html", "labs/01-decouverte.html", "labs/02-deploiement.html"]

    @Test func unchangedRebuildRendersNothing() async throws {
        let ws = try Workspace()
        let first = try await ws.build()
        #expect(first.rendered.sorted() == Self.allPages)
        #expect(try await ws.rebuildMatchesClean("no change") == [])
    }

    @Test func editingOnePageRendersOnlyIt() async throws {
        let ws = try Workspace()
        _ = try await ws.build()
        try ws.edit("labs/02-deploiement.md") { $0 + "\nUn paragraphe de plus.\n" }
        #expect(try await ws.rebuildMatchesClean("page body edited") == ["labs/02-deploiement.html"])
        let page = try String(contentsOf: ws.out.appendingPathComponent("labs/02-deploiement.html"), encoding: .utf8)
        #expect(page.contains("<p>Un paragraphe de plus.</p>"))
    }

    @Test func renamingAPageTitleRendersItsNeighboursAndTheSommaire() async throws {
        let ws = try Workspace()
        _ = try await ws.build()
        // The title is in its neighbours' pager, in the sommaire's list and in the lab script.
        try ws.edit("labs/01-decouverte.md") { $0.replacingOccurrences(of: "title: Découverte du cluster", with: "title: Premiers pas") }
        #expect(try await ws.rebuildMatchesClean("title edited") == Self.allPages)
        let home = try String(contentsOf: ws.out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(home.contains(">Premiers pas</a>"))
        let script = try String(contentsOf: ws.out.appendingPathComponent(Navigation.scriptPath), encoding: .utf8)
        #expect(script.contains(">Premiers pas<\\/a>") && !script.contains("Découverte du cluster"))
    }

    @Test func aTitleChangeLeavesPagesThatDoNotShowItAlone() async throws {
        let ws = try Workspace()
        for n in 3...5 {
            try "# Étape \(n)\n\nTexte.\n".write(to: ws.content.appendingPathComponent("labs/0\(n)-etape.md"), atomically: true, encoding: .utf8)
        }
        _ = try await ws.build()
        try ws.edit("labs/04-etape.md") { $0.replacingOccurrences(of: "# Étape 4", with: "# Quatrième étape") }
        // Itself, its previous and next pages, and the sommaire: not labs 01 and 02.
        #expect(try await ws.rebuildMatchesClean("title of lab 04 edited")
                == ["index.html", "labs/03-etape.html", "labs/04-etape.html", "labs/05-etape.html"])
        let lab = try String(contentsOf: ws.out.appendingPathComponent("labs/01-decouverte.html"), encoding: .utf8)
        #expect(!lab.contains("Étape 3") && lab.contains("<ol id=\"sidebar-labs\" data-page=\"labs/01-decouverte.html\">"))
        #expect(lab.contains("<script src=\"../assets/labs.js\"></script>") && lab.contains("<noscript>"))
    }

    @Test func aOnePageEditRewritesOneSearchShard() async throws {
        let ws = try Workspace()
        for n in 3...62 {
            try "# Étape \(n)\n\nTexte de l'étape \(n).\n".write(to: ws.content.appendingPathComponent(String(format: "labs/%02d-etape.md", n)),
                                                               atomically: true, encoding: .utf8)
        }
        _ = try await ws.build()
        func inode(_ path: String) throws -> Int {
            try (FileManager.default.attributesOfItem(atPath: ws.out.appendingPathComponent(path).path)[.systemFileNumber] as! NSNumber).intValue
        }
        let before = try [0, 1].map { try inode(SearchIndex.shardPath($0)) }
        let script = try inode(Navigation.scriptPath), manifest = try inode(SearchIndex.path)
        try ws.edit("labs/60-etape.md") { $0 + "\nUn mot introuvable ailleurs : ornithorynque.\n" }
        #expect(try await ws.rebuildMatchesClean("one page of the second shard edited") == ["labs/60-etape.html"])
        #expect(try inode(SearchIndex.shardPath(0)) == before[0], "the first shard is left alone")
        #expect(try inode(SearchIndex.shardPath(1)) != before[1])
        #expect(try inode(Navigation.scriptPath) == script && inode(SearchIndex.path) == manifest)
        let shard = try String(contentsOf: ws.out.appendingPathComponent(SearchIndex.shardPath(1)), encoding: .utf8)
        #expect(shard.contains("ornithorynque"))
        // Pages moving between shards (one added at the front) take their lines along.
        try "# Zéro\n\nAvant tout.\n".write(to: ws.content.appendingPathComponent("labs/00-zero.md"), atomically: true, encoding: .utf8)
        _ = try await ws.rebuildMatchesClean("page added at the front")
    }

    @Test func anEditKeepingTheSizeIsSeen() async throws {
        let ws = try Workspace()
        _ = try await ws.build()
        _ = try await ws.build()   // stamps taken long enough after the copy are trusted or not: either way
        try ws.edit("labs/02-deploiement.md") { $0 + "\nAAAA\n" }
        _ = try await ws.rebuildMatchesClean("grown")
        try ws.edit("labs/02-deploiement.md") { $0.replacingOccurrences(of: "\nAAAA\n", with: "\nBBBB\n") }
        #expect(try await ws.rebuildMatchesClean("same size, other bytes") == ["labs/02-deploiement.html"])
        #expect(try String(contentsOf: ws.out.appendingPathComponent("labs/02-deploiement.html"), encoding: .utf8).contains("BBBB"))
    }

    @Test func addingAndRemovingPages() async throws {
        let ws = try Workspace()
        _ = try await ws.build()
        try "# Nettoyage\n\nFin.\n".write(to: ws.content.appendingPathComponent("labs/03-nettoyage.md"), atomically: true, encoding: .utf8)
        // The sommaire lists it, the last lab gets a next link: lab 01 is left alone.
        #expect(try await ws.rebuildMatchesClean("page added") == ["index.html", "labs/02-deploiement.html", "labs/03-nettoyage.html"])
        try FileManager.default.removeItem(at: ws.content.appendingPathComponent("labs/03-nettoyage.md"))
        #expect(try await ws.rebuildMatchesClean("page removed") == ["index.html", "labs/02-deploiement.html"])
        #expect(!FileManager.default.fileExists(atPath: ws.out.appendingPathComponent("labs/03-nettoyage.html").path))
    }

    @Test func addingRenamingAndRemovingAPart() async throws {
        let ws = try Workspace()
        _ = try await ws.build()
        func write(_ text: String, _ path: String) throws {
            let url = ws.content.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try write("---\ntitle: Le réseau\n---\n# Le réseau\n\nIntroduction.\n", "labs/03-reseau/index.md")
        try write("# Les pods\n\nTexte.\n", "labs/03-reseau/01-pods.md")
        // The sommaire lists the part, the last lab leads to it; lab 01 shows none of it.
        #expect(try await ws.rebuildMatchesClean("part added")
                == ["index.html", "labs/02-deploiement.html", "labs/03-reseau/01-pods.html", "labs/03-reseau/index.html"])
        // Its title is in the sommaire, its neighbour's pager, its page and its lab's breadcrumb.
        try ws.edit("labs/03-reseau/index.md") { $0.replacingOccurrences(of: "title: Le réseau", with: "title: Réseau des pods") }
        #expect(try await ws.rebuildMatchesClean("part retitled")
                == ["index.html", "labs/02-deploiement.html", "labs/03-reseau/01-pods.html", "labs/03-reseau/index.html"])
        let pods = try String(contentsOf: ws.out.appendingPathComponent("labs/03-reseau/01-pods.html"), encoding: .utf8)
        #expect(pods.contains("<a href=\"index.html\">Réseau des pods</a>"))
        // A lab added to the part: the part's page lists it, the previous lab leads to it.
        try write("# Les services\n\nTexte.\n", "labs/03-reseau/02-services.md")
        #expect(try await ws.rebuildMatchesClean("lab added to the part")
                == ["index.html", "labs/03-reseau/01-pods.html", "labs/03-reseau/02-services.html", "labs/03-reseau/index.html"])
        // The folder renamed: its pages move, the old ones go.
        try FileManager.default.moveItem(at: ws.content.appendingPathComponent("labs/03-reseau"),
                                         to: ws.content.appendingPathComponent("labs/03-network"))
        #expect(try await ws.rebuildMatchesClean("part renamed")
                == ["index.html", "labs/02-deploiement.html", "labs/03-network/01-pods.html", "labs/03-network/02-services.html",
                    "labs/03-network/index.html"])
        #expect(!FileManager.default.fileExists(atPath: ws.out.appendingPathComponent("labs/03-reseau").path))
        try FileManager.default.removeItem(at: ws.content.appendingPathComponent("labs/03-network"))
        #expect(try await ws.rebuildMatchesClean("part removed") == ["index.html", "labs/02-deploiement.html"])
        #expect(!FileManager.default.fileExists(atPath: ws.out.appendingPathComponent("labs/03-network").path))
    }

    @Test func addingRenamingAndRemovingExtraPages() async throws {
        let ws = try Workspace()
        _ = try await ws.build()
        let pages = ws.content.appendingPathComponent("pages")
        try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
        try "# Annexe\n\nTexte.\n".write(to: pages.appendingPathComponent("annexe.md"), atomically: true, encoding: .utf8)
        // The first extra page gives every page the list (filled by the script); no pager changes.
        #expect(try await ws.rebuildMatchesClean("first extra page") == Self.allPages + ["pages/annexe.html"])
        try "# Glossaire\n\nTexte.\n".write(to: pages.appendingPathComponent("glossaire.md"), atomically: true, encoding: .utf8)
        #expect(try await ws.rebuildMatchesClean("second extra page") == ["index.html", "pages/glossaire.html"])
        try ws.edit("pages/annexe.md") { $0.replacingOccurrences(of: "# Annexe", with: "# Annexe A") }
        #expect(try await ws.rebuildMatchesClean("extra page retitled") == ["index.html", "pages/annexe.html"])
        let script = try String(contentsOf: ws.out.appendingPathComponent(Navigation.scriptPath), encoding: .utf8)
        #expect(script.contains(">Annexe A<\\/a>"))
        try FileManager.default.removeItem(at: pages.appendingPathComponent("glossaire.md"))
        #expect(try await ws.rebuildMatchesClean("one extra page removed") == ["index.html"])
        try FileManager.default.removeItem(at: pages.appendingPathComponent("annexe.md"))
        #expect(try await ws.rebuildMatchesClean("last extra page removed") == Self.allPages)
        let home = try String(contentsOf: ws.out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(!home.contains("sidebar-pages"))
    }

    @Test func editingATemplateOrAnAssetRendersEveryPage() async throws {
        let ws = try Workspace()
        _ = try await ws.build()
        try ws.edit("toc.mustache", in: ws.templates) { $0.replacingOccurrences(of: "class=\"toc\"", with: "class=\"toc compact\"") }
        #expect(try await ws.rebuildMatchesClean("template edited") == Self.allPages)
        #expect(try String(contentsOf: ws.out.appendingPathComponent("labs/01-decouverte.html"), encoding: .utf8).contains("class=\"toc compact\""))
        try ws.edit("assets/style.css", in: ws.templates) { $0 + "\n/* plus */\n" }
        #expect(try await ws.rebuildMatchesClean("asset edited") == Self.allPages,
                "templates and assets share one digest: an asset edit renders the pages again")
    }

    /// A transform that reads the facts only on pages that say `NODEPORT`.
    struct NodePort: PageTransform {
        func readsFacts(_ page: SourcePage) -> Bool { page.markdown.contains("NODEPORT") }
        func transform(_ document: Document, context: FillContext) throws -> Document {
            var root = document.root
            root.update { node in
                if case .text(let text) = node.kind, text.contains("NODEPORT") {
                    node.kind = .text(text.replacingOccurrences(of: "NODEPORT", with: String(context.facts.services[0].ports[0].nodePort ?? 0)))
                }
            }
            return Document(root: root)
        }
    }

    @Test func editingFactsRendersOnlyThePagesThatReadThem() async throws {
        var ws = try Workspace()
        ws.transforms = [NodePort()]
        try ws.edit("labs/02-deploiement.md") { $0 + "\nLe NodePort est NODEPORT.\n" }
        _ = try await ws.build()
        #expect(try String(contentsOf: ws.out.appendingPathComponent("labs/02-deploiement.html"), encoding: .utf8).contains("est 31400."))
        try ws.edit("facts/default.json") { $0.replacingOccurrences(of: "31400", with: "31999") }
        #expect(try await ws.rebuildMatchesClean("facts edited") == ["labs/02-deploiement.html"])
        #expect(try String(contentsOf: ws.out.appendingPathComponent("labs/02-deploiement.html"), encoding: .utf8).contains("est 31999."))
    }

    /// Facts the previous build read are not checked against the rules again; changed facts
    /// are, even when no page reads the value that broke a rule.
    @Test func changedFactsAreValidatedAgain() async throws {
        let ws = try Workspace()
        _ = try await ws.build()
        try ws.edit("facts/default.json") { $0.replacingOccurrences(of: "\"nodePort\": 31400", with: "\"nodePort\": 99999") }
        await #expect(throws: (any Error).self) { try await ws.build() }
        try ws.edit("facts/default.json") { $0.replacingOccurrences(of: "\"nodePort\": 99999", with: "\"nodePort\": 31400") }
        _ = try await ws.rebuildMatchesClean("facts valid again")
    }

    @Test func transformsThatDoNotSayAreAssumedToReadFacts() async throws {
        struct Opaque: PageTransform {
            func transform(_ document: Document, context: FillContext) throws -> Document { document }
        }
        var ws = try Workspace()
        ws.transforms = [Opaque()]
        _ = try await ws.build()
        try ws.edit("facts/default.json") { $0.replacingOccurrences(of: "31400", with: "31999") }
        #expect(try await ws.rebuildMatchesClean("facts edited, opaque transform") == Self.allPages)
    }

    /// A handler that embeds a file of the content, as the trace blocks embed captures.
    struct Include: FencedBlockHandler {
        let language = "include"
        func render(_ block: CodeBlock, at position: SourcePosition?, context: FillContext) throws -> String? {
            guard case .inside(let path) = ContentRoot.resolve(block.arguments, from: context.page.path) else { return nil }
            return "<pre class=\"included\">" + HTMLEscaping.escape(String(decoding: try context.content.read(path), as: UTF8.self)) + "</pre>"
        }
    }

    @Test func editingAFileAPageReadsRendersThatPage() async throws {
        var ws = try Workspace()
        ws.handlers = [Include()]
        try ws.edit("labs/01-decouverte.md") { $0 + "\n```include ../files/01-decouverte/install.sh\n```\n" }
        _ = try await ws.build()
        try ws.edit("files/01-decouverte/install.sh") { $0 + "echo fin\n" }
        // 01 reads the script (and 02 links to it, which copies it: no render needed).
        #expect(try await ws.rebuildMatchesClean("included file edited") == ["labs/01-decouverte.html"])
        #expect(try String(contentsOf: ws.out.appendingPathComponent("labs/01-decouverte.html"), encoding: .utf8).contains("echo fin"))
    }

    @Test func failedIncrementalBuildLeavesTheSiteAndCacheIntact() async throws {
        let ws = try Workspace()
        _ = try await ws.build()
        try ws.edit("labs/01-decouverte.md") { $0 + "\nChangé.\n" }
        try ws.edit("labs/02-deploiement.md") { $0 + "\n[cassé](#nulle-part)\n" }
        let before = try Fixture.tree(ws.out)
        await #expect(throws: BuildFailure.self) { _ = try await ws.build() }
        #expect(try Fixture.tree(ws.out) == before, "nothing written, no temporary file left")
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.dir.path).sorted() == [".site.lock", "content", "site", "templates"])
        // Fixed, the next build renders both pages and equals a clean one.
        try ws.edit("labs/02-deploiement.md") { $0.replacingOccurrences(of: "[cassé](#nulle-part)", with: "") }
        #expect(try await ws.rebuildMatchesClean("after a failed build") == ["labs/01-decouverte.html", "labs/02-deploiement.html"])
    }

    @Test func failedWriteLeavesTheSiteIntact() async throws {
        let ws = try Workspace()
        _ = try await ws.build()
        try ws.edit("labs/01-decouverte.md") { $0 + "\nChangé.\n" }
        let before = try Fixture.tree(ws.out)
        for point in ["write-1", "commit-step-1", "commit-step-2"] {
            await #expect(throws: Diagnostic.self, "fails at \(point)") {
                _ = try await ws.build(faults: FaultPoints(fail: point))
            }
            #expect(try Fixture.tree(ws.out) == before, "failed at \(point)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: ws.dir.path).sorted() == [".site.lock", "content", "site", "templates"])
        }
        #expect(try await ws.rebuildMatchesClean("after failed commits") == ["labs/01-decouverte.html"])
    }

    @Test func cleanIgnoresTheCacheAndAStrayFileGoes() async throws {
        let ws = try Workspace()
        _ = try await ws.build()
        try Data("stale".utf8).write(to: ws.out.appendingPathComponent("labs/stale.html"))
        #expect(try await ws.rebuildMatchesClean("stray file") == [])
        #expect(try Fixture.tree(ws.out)["labs/stale.html"] == nil)
        let clean = try await ws.build(clean: true)
        #expect(clean.rendered.sorted() == Self.allPages)
        // A damaged cache is no cache: everything is built again.
        try Data("{".utf8).write(to: ws.out.appendingPathComponent(".labgen-cache"))
        #expect(try await ws.rebuildMatchesClean("damaged cache") == Self.allPages)
    }

    /// Only what the build makes goes into the new site: a folder linked into the output is
    /// not carried over, and what it points at is left alone.
    @Test func aLinkedFolderInTheSiteIsNotEmptied() async throws {
        let ws = try Workspace()
        _ = try await ws.build()
        let outside = ws.dir.appendingPathComponent("precious")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("garder".utf8).write(to: outside.appendingPathComponent("notes.html"))
        try FileManager.default.createSymbolicLink(at: ws.out.appendingPathComponent("lien"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(at: ws.out.appendingPathComponent("lien-fichier.html"),
                                                   withDestinationURL: outside.appendingPathComponent("notes.html"))
        _ = try await ws.build()
        #expect(try Data(contentsOf: outside.appendingPathComponent("notes.html")) == Data("garder".utf8))
        #expect(!FileManager.default.fileExists(atPath: ws.out.appendingPathComponent("lien-fichier.html").path))
        let listed = OutputListing.regularFiles(under: ws.out.path)
        let page = try Data(contentsOf: ws.out.appendingPathComponent("labs/01-decouverte.html"))
        #expect(listed["labs/01-decouverte.html"] == page.count)
        #expect(listed["img/schema.png"] != nil)
        #expect(!listed.keys.contains { $0.hasPrefix("lien/") })
    }

    /// A rebuild checks only the pages it filled again, yet finds what a full check finds:
    /// a new broken link, a heading another page links to that changed, an image an unchanged
    /// page shows that was deleted; and a file no page links to any more is not published.
    @Test func aRebuildChecksAsAFullBuildDoes() async throws {
        let ws = try Workspace()
        _ = try await ws.build()
        func failure(_ comment: Comment) async throws -> [String] {
            do {
                _ = try await ws.build()
                Issue.record("the rebuild should have failed: \(comment)")
                return []
            } catch let failure as BuildFailure {
                return failure.diagnostics.map(\.description)
            }
        }
        // A broken link in the edited page.
        try ws.edit("labs/02-deploiement.md") { $0 + "\n[perdu](absent.md)\n" }
        #expect(try await failure("broken link").contains { $0.contains("labs/02-deploiement.md") && $0.contains("absent.md") })
        try ws.edit("labs/02-deploiement.md") { $0.replacingOccurrences(of: "\n[perdu](absent.md)\n", with: "") }
        _ = try await ws.rebuildMatchesClean("fixed again")
        // The heading lab 02 links to (from an unchanged page) is renamed in lab 01.
        try ws.edit("labs/01-decouverte.md") { $0.replacingOccurrences(of: "## Création du Cluster KinD", with: "## Création du Cluster") }
        #expect(try await failure("anchor gone").contains { $0.contains("labs/02-deploiement.md") && $0.contains("#creation-du-cluster-kind-1") })
        try ws.edit("labs/01-decouverte.md") { $0.replacingOccurrences(of: "## Création du Cluster\n", with: "## Création du Cluster KinD\n") }
        _ = try await ws.rebuildMatchesClean("heading back")
        // The image shown by lab 01 (unchanged) disappears while lab 02 is edited.
        let image = ws.content.appendingPathComponent("img/schema.png")
        let saved = try Data(contentsOf: image)
        try FileManager.default.removeItem(at: image)
        try ws.edit("labs/02-deploiement.md") { $0 + "\nUne ligne.\n" }
        #expect(try await failure("image gone").contains { $0.contains("labs/01-decouverte.md") && $0.contains("schema.png") })
        try saved.write(to: image)
        _ = try await ws.rebuildMatchesClean("image back")
        // Lab 01 stops showing the image: it is not published any more.
        try ws.edit("labs/01-decouverte.md") { $0.replacingOccurrences(of: "![Schéma](../img/schema.png)", with: "Plus d'image.") }
        _ = try await ws.rebuildMatchesClean("image dropped")
        #expect(try Fixture.tree(ws.out)["img/schema.png"] == nil)
    }

    @Test func anOutputFileChangedByHandIsRewritten() async throws {
        let ws = try Workspace()
        _ = try await ws.build()
        try Data("abîmé".utf8).write(to: ws.out.appendingPathComponent("labs/02-deploiement.html"))
        try FileManager.default.removeItem(at: ws.out.appendingPathComponent("img/schema.png"))
        try FileManager.default.removeItem(at: ws.out.appendingPathComponent(Navigation.scriptPath))
        #expect(try await ws.rebuildMatchesClean("outputs damaged") == ["labs/02-deploiement.html"])
    }
}

/// Speed rewrites must not change a byte of output.
@Suite struct FastPathTests {
    @Test func trimmingMatchesFoundation() {
        var samples = ["", " ", "\n\t a b \r\n", "\u{00A0}x\u{2028}", "\u{3000}\u{200B}y\u{FEFF} ", "é ", " \u{85}z\u{1680}"]
        for v in 0...0x3000 where v < 0xD800 {
            let c = Character(Unicode.Scalar(UInt32(v))!)
            samples.append("\(c)a\(c)")
            samples.append("\(c)")
        }
        for s in samples {
            let bytes = Array(s.utf8)
            #expect(String(decoding: bytes[SearchIndex.trimmedRange(bytes)], as: UTF8.self) == s.trimmingCharacters(in: .whitespacesAndNewlines),
                    "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func searchShardsRoundTrip() throws {
        let entries = (0..<5).map { SearchIndex.Entry(url: "labs/\($0).html#a/b", page: "Page \($0) é", heading: "Titre \u{2028}", text: "x \"y\" <z>") }
        let fragments = [Array(SearchIndex.fragment(Array(entries[0..<2])).utf8), [], Array(SearchIndex.fragment(Array(entries[2...])).utf8)]
        let shard = SearchIndex.shard(3, fragments: fragments)
        #expect(String(decoding: shard.contents, as: UTF8.self).contains("\\u2028"))
        // A shard read back gives each page's line, escaped as written, and writes the same bytes.
        let written = [UInt8](shard.contents)
        let back = try #require(SearchIndex.lines(inShard: 3, written, count: 3))
        #expect(SearchIndex.shard(3, lines: back) == shard)
        #expect(back[1].isEmpty && back[0].elementsEqual(SearchIndex.line(fragments[0])))
        #expect(SearchIndex.lines(inShard: 3, written, count: 2) == nil)
        #expect(SearchIndex.lines(inShard: 2, written, count: 3) == nil)
        #expect(SearchIndex.lines(inShard: 3, Array(written.dropLast()), count: 3) == nil)
        #expect(SearchIndex.lines(inShard: 3, written.filter { $0 != 0x0A }, count: 3) == nil)
        // The shard is JavaScript whose JSON parts decode to the entries, in page order.
        let files = SearchIndex.files(fragments: Array(repeating: fragments[0], count: SearchIndex.pagesPerShard + 1))
        #expect(files.map(\.path) == [SearchIndex.path, SearchIndex.shardPath(0), SearchIndex.shardPath(1)])
        #expect(String(decoding: files[0].contents, as: UTF8.self) == "window.labgenSearchShards = [\"assets/search/0.js\",\"assets/search/1.js\"];\n")
        let text = String(decoding: shard.contents, as: UTF8.self)
        let json = "[" + text.split(separator: "\n").dropFirst(2).dropLast().map { String($0.dropLast()) }.joined(separator: ",") + "]"
        let decoded = try JSONDecoder().decode([[SearchIndex.Entry]].self, from: Data(json.utf8))
        #expect(decoded.flatMap { $0 } == entries)
    }

    @Test func byteSearchAndPercentDecoding() {
        #expect("abc ${{ x }}".containsBytes("${{"))
        #expect(!"abc $ {{".containsBytes("${{"))
        #expect("é${{".containsBytes("${{") && !"".containsBytes("a") && "a".containsBytes(""))
        #expect(LinkTarget.classify("../img/a%20b.png#x%20y", from: "labs/01.md") == .file(path: "img/a b.png", fragment: "x y"))
        #expect(LinkTarget.classify("#ancre", from: "labs/01.md") == .anchor("ancre"))
    }
}
