import Foundation
import Testing
@testable import Serve
import Site

/// A real server on a free loopback port, over a copy of the fixture course.
@Suite(.serialized) struct ServeTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Running {
        var server: DevServer
        var task: Task<Void, any Error>
        var base: URL
        var content: URL
        var site: URL
        var log: LogLines
    }

    final class LogLines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
        var text: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
    }

    func start() async throws -> Running {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labgen-serve-\(UUID().uuidString)")
        let content = dir.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.repo.appendingPathComponent("Tests/SiteTests/Fixtures/course"), to: content)
        let templates = Self.repo.appendingPathComponent("templates")
        let site = dir.appendingPathComponent("site")
        let build = SiteBuild(content: ContentRoot(content, displayPath: "content"), output: site, templatesDirectory: templates)
        let log = LogLines()
        let server = try DevServer(.init(site: site, port: 0, watch: [content, templates]),
                                   build: { try await build.run() }, log: { log.append($0) })
        let task = Task { try await server.run() }
        let port = try await server.port()
        let running = Running(server: server, task: task, base: URL(string: "http://127.0.0.1:\(port)")!, content: content, site: site, log: log)
        // The server answers at once; the first build is done when the version moves.
        _ = try await waitFor(running, "the first build") { $0.version > 0 || $0.error != nil }
        return running
    }

    /// (status, Content-Type, body) of a GET of `url`'s path as encoded in `url`.
    func get(_ url: URL) async throws -> (Int, String, String) {
        let port = try #require(url.port.map(UInt16.init))
        let path = url.path(percentEncoded: true)
        let response = try await offPool { try RawHTTP.get(port: port, path.isEmpty ? "/" : path) }
        if SiteHandler.isFingerprinted(String(path.dropFirst())) {
            #expect(response.headers["cache-control"] == "max-age=31536000, immutable", "its name changes with its bytes")
        } else {
            #expect(response.headers["cache-control"] == "no-store", "a preview is never cached")
        }
        return (response.status, response.headers["content-type"] ?? "", response.text)
    }

    func status(_ running: Running) async throws -> (version: Int, error: String?) {
        let (_, _, body) = try await get(running.base.appendingPathComponent("__labgen/version"))
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
        return (object["version"] as! Int, object["error"] as? String)
    }

    /// Asks the status every 100 ms until `condition` holds, at most 240 s: under the
    /// parallel test run the server's first build shares two cores with every other suite
    /// (CI runs once saw it start late enough to miss a 20 s, then a 90 s limit, with the
    /// machine's load at 10–12). Waiting costs nothing when it is quick.
    func waitFor(_ running: Running, _ what: String, _ condition: ((version: Int, error: String?)) -> Bool) async throws -> (version: Int, error: String?) {
        let deadline = ContinuousClock.now + .seconds(240)
        while ContinuousClock.now < deadline {
            let s = try await status(running)
            if condition(s) { return s }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for \(what); log:\n\(running.log.text)")
        return try await status(running)
    }

    @Test func servesTheSiteRebuildsOnChangeAndSurvivesABadEdit() async throws {
        let running = try await start()
        defer { running.task.cancel() }

        // Pages, with the right types and the live script; directories; assets.
        let (code, type, home) = try await get(running.base)
        #expect(code == 200 && type.hasPrefix("text/html"))
        #expect(home.contains("<html lang=\"fr\">") && home.contains(LiveReload.scriptPath))
        let onDisk = try String(contentsOf: running.site.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(!onDisk.contains(LiveReload.scriptPath), "the built files stay as `labgen build` makes them")
        let (labCode, _, lab) = try await get(running.base.appendingPathComponent("labs/02-deploiement.html"))
        #expect(labCode == 200)
        #expect(!lab.contains("Nouvelle étape"))
        let style = try #require(try FileManager.default.contentsOfDirectory(atPath: running.site.appendingPathComponent("assets").path)
            .first { $0.hasPrefix("style.") })
        let (cssCode, cssType, _) = try await get(running.base.appendingPathComponent("assets/" + style))
        #expect(cssCode == 200 && cssType.hasPrefix("text/css"))
        let (_, scriptType, script) = try await get(running.base.appendingPathComponent(String(LiveReload.scriptPath.dropFirst())))
        #expect(scriptType.hasPrefix("text/javascript") && script.contains("location.reload()"))
        let (missing, _, _) = try await get(running.base.appendingPathComponent("nope.html"))
        #expect(missing == 404)
        let (traversal, _, _) = try await get(URL(string: running.base.absoluteString + "/assets/%2e%2e/%2e%2e/content/course.yaml")!)
        #expect(traversal == 403 || traversal == 404)
        let first = try await status(running)
        #expect(first.error == nil && first.version == 1)

        // An edit: the page is rebuilt and served anew.
        let page = running.content.appendingPathComponent("labs/02-deploiement.md")
        let original = try String(contentsOf: page, encoding: .utf8)
        try (original + "\nNouvelle étape : `kubectl get pods`.\n").write(to: page, atomically: true, encoding: .utf8)
        let second = try await waitFor(running, "the rebuild after an edit") { $0.version > first.version }
        #expect(second.error == nil)
        let (_, _, rebuilt) = try await get(running.base.appendingPathComponent("labs/02-deploiement.html"))
        #expect(rebuilt.contains("Nouvelle étape"))

        // A bad edit: the error is reported, the last good site is still served.
        try (original + "\n[cassé](absent.md)\n").write(to: page, atomically: true, encoding: .utf8)
        let broken = try await waitFor(running, "the failed build") { $0.error != nil }
        #expect(broken.version == second.version)
        #expect(broken.error?.contains("content/labs/02-deploiement.md:") == true)
        #expect(broken.error?.contains("absent.md") == true)
        #expect(running.log.text.contains("absent.md"), "the terminal shows the error too")
        let (stillCode, _, still) = try await get(running.base.appendingPathComponent("labs/02-deploiement.html"))
        #expect(stillCode == 200 && still.contains("Nouvelle étape"))

        // Fixed: a new version, no error.
        try original.write(to: page, atomically: true, encoding: .utf8)
        let fixed = try await waitFor(running, "the rebuild after the fix") { $0.error == nil && $0.version > second.version }
        #expect(fixed.error == nil)
        let (_, _, restored) = try await get(running.base.appendingPathComponent("labs/02-deploiement.html"))
        #expect(!restored.contains("Nouvelle étape"))
    }

    /// A part and an extra page written while serving: each new folder is watched as it
    /// appears, so a lab saved in it afterwards is rebuilt too.
    @Test func aPartAndAnExtraPageAddedWhileServingAreServed() async throws {
        let running = try await start()
        defer { running.task.cancel() }
        /// The page at `path` once it holds `text` (a save can take more than one rebuild to show).
        func served(_ path: String, holding text: String) async throws -> String {
            let deadline = ContinuousClock.now + .seconds(90)
            var body = ""
            while ContinuousClock.now < deadline {
                let (code, _, page) = try await get(running.base.appendingPathComponent(path))
                body = page
                if code == 200 && page.contains(text) { return page }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("\(path) never held \(text); log:\n\(running.log.text)")
            return body
        }
        let part = running.content.appendingPathComponent("labs/03-reseau")
        try FileManager.default.createDirectory(at: part, withIntermediateDirectories: true)
        try "# Le réseau\n\nIntroduction.\n".write(to: part.appendingPathComponent("index.md"), atomically: true, encoding: .utf8)
        _ = try await served("labs/03-reseau/index.html", holding: "Introduction.")

        let lab = part.appendingPathComponent("01-pods.md")
        try "# Les pods\n\nPremier jet.\n".write(to: lab, atomically: true, encoding: .utf8)
        _ = try await served("labs/03-reseau/01-pods.html", holding: "Premier jet.")
        try "# Les pods\n\nDeuxième jet.\n".write(to: lab, atomically: true, encoding: .utf8)
        let labPage = try await served("labs/03-reseau/01-pods.html", holding: "Deuxième jet.")
        #expect(labPage.contains("<a href=\"index.html\">Le réseau</a>"))

        let pages = running.content.appendingPathComponent("pages")
        try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
        try "# Aide-mémoire\n\nTexte.\n".write(to: pages.appendingPathComponent("aide-memoire.md"), atomically: true, encoding: .utf8)
        _ = try await served("pages/aide-memoire.html", holding: "Aide-mémoire")
        let home = try await served("index.html", holding: "<a href=\"pages/aide-memoire.html\">Aide-mémoire</a>")
        #expect(home.contains("<a href=\"labs/03-reseau/01-pods.html\">Les pods</a>"))
        #expect(try await status(running).error == nil)
    }

    @Test func siteFilesNeverLeaveTheSite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labgen-files-\(UUID().uuidString)")
        let site = dir.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site.appendingPathComponent("labs"), withIntermediateDirectories: true)
        try Data("secret".utf8).write(to: dir.appendingPathComponent("secret.txt"))
        try Data("<p>home</p>".utf8).write(to: site.appendingPathComponent("index.html"))
        try Data("lab".utf8).write(to: site.appendingPathComponent("labs/index.html"))
        try FileManager.default.createSymbolicLink(at: site.appendingPathComponent("leak.txt"), withDestinationURL: dir.appendingPathComponent("secret.txt"))
        let files = SiteFiles(root: site)
        #expect(files.lookup("/") == .file("index.html", site.appendingPathComponent("index.html")))
        #expect(files.lookup("/labs/") == .file("labs/index.html", site.appendingPathComponent("labs/index.html")))
        #expect(files.lookup("/labs") == .redirect("/labs/"))
        #expect(files.lookup("/../secret.txt") == .forbidden)
        #expect(files.lookup("/labs/../../secret.txt") == .forbidden)
        #expect(files.lookup("/a\\..\\secret.txt") == .forbidden)
        #expect(files.lookup("/leak.txt") == .notFound)
        #expect(files.lookup("/absent.html") == .notFound)
        #expect(MIMEType.forPath("a/b.css") == "text/css; charset=utf-8")
        #expect(MIMEType.forPath("x.js").hasPrefix("text/javascript"))
        #expect(MIMEType.forPath("img/schema.png") == "image/png")
        #expect(MIMEType.forPath("files/install.sh").hasPrefix("text/plain"))
        #expect(MIMEType.forPath("a.b/noext") == "application/octet-stream")
    }

    @Test func liveScriptGoesBeforeTheLastBodyClose() {
        let page = Data("<html><body><p>&lt;/body&gt;</p></body></html>".utf8)
        let out = String(decoding: LiveReload.inject(into: page, version: 7), as: UTF8.self)
        #expect(out == "<html><body><p>&lt;/body&gt;</p><script src=\"/__labgen/live.js\" data-version=\"7\"></script>\n</body></html>")
        let json = String(decoding: LiveReload.versionJSON(version: 3, error: "a\"b"), as: UTF8.self)
        #expect(json == "{\"error\":\"a\\\"b\",\"version\":3}")
    }
}
