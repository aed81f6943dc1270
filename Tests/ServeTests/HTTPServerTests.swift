import Foundation
import Glibc
import Testing
@testable import Serve

/// The HTTP server over real sockets on 127.0.0.1, serving a small hand-made site through
/// the real `SiteHandler`: statuses, headers, percent-encoded paths, bad and oversized
/// requests, slow and concurrent clients, shutdown.
@Suite struct HTTPServerTests {
    struct Running {
        var server: HTTPServer
        var task: Task<Void, any Error>
        var port: UInt16
        var site: URL

        /// Cancels `run()` and waits for it to end.
        func stop() async {
            task.cancel()
            _ = await task.result
        }
    }

    /// `index.html`, `labs/` (with `été à 2.html`), `docs été/`, `style.css`, and a symlink
    /// to a file outside the site.
    func start(readTimeout: Duration = .seconds(5)) throws -> Running {
        try start(limits: .init(readTimeout: readTimeout))
    }

    func start(limits: HTTPServer.Limits) throws -> Running {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labgen-http-\(UUID().uuidString)")
        let site = dir.appendingPathComponent("site")
        let fm = FileManager.default
        try fm.createDirectory(at: site.appendingPathComponent("labs"), withIntermediateDirectories: true)
        try fm.createDirectory(at: site.appendingPathComponent("docs été"), withIntermediateDirectories: true)
        try Data("<html><body><p>accueil</p></body></html>".utf8).write(to: site.appendingPathComponent("index.html"))
        try Data("<html><body><p>labs</p></body></html>".utf8).write(to: site.appendingPathComponent("labs/index.html"))
        try Data("<html><body><p>été à 2</p></body></html>".utf8).write(to: site.appendingPathComponent("labs/été à 2.html"))
        try Data("<html><body><p>docs</p></body></html>".utf8).write(to: site.appendingPathComponent("docs été/index.html"))
        try Data("body { color: red }\n".utf8).write(to: site.appendingPathComponent("style.css"))
        try Data("secret".utf8).write(to: dir.appendingPathComponent("secret.txt"))
        try fm.createSymbolicLink(at: site.appendingPathComponent("leak.txt"), withDestinationURL: dir.appendingPathComponent("secret.txt"))
        let handler = SiteHandler(files: SiteFiles(root: site), status: BuildStatus())
        let server = try HTTPServer(port: 0, limits: limits) { handler.respond(to: $0) }
        return Running(server: server, task: Task { try await server.run() }, port: server.port, site: site)
    }

    func get(_ running: Running, _ target: String, method: String = "GET") async throws -> RawHTTP.Response {
        let port = running.port
        return try await offPool { try RawHTTP.get(port: port, target, method: method) }
    }

    func exchange(_ running: Running, _ request: String) async throws -> RawHTTP.Response {
        let port = running.port
        return try await offPool { try RawHTTP.exchange(port: port, request) }
    }

    /// Whether the server has sent anything (or closed) on `fd` yet, without waiting.
    static func answered(_ fd: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0
    }

    @Test func getHeadAndTheStatusesOfASite() async throws {
        let running = try start()
        let home = try await get(running, "/")
        #expect(home.statusLine == "HTTP/1.1 200 OK")
        #expect(home.headers["content-type"] == "text/html; charset=utf-8")
        #expect(home.headers["cache-control"] == "no-store")
        #expect(home.headers["connection"] == "close")
        #expect(home.headers["content-length"] == String(home.body.count))
        #expect(home.headers["date"]?.hasSuffix(" GMT") == true)
        #expect(home.text.contains("<p>accueil</p><script src=\"/__labgen/live.js\" data-version=\"0\"></script>"))

        let head = try await get(running, "/", method: "HEAD")
        #expect(head.status == 200 && head.body.isEmpty, "HEAD sends no body")
        #expect(head.headers["content-length"] == String(home.body.count), "HEAD announces the length GET sends")
        #expect(head.headers["content-type"] == home.headers["content-type"])

        for method in ["POST", "PUT", "DELETE", "OPTIONS", "get"] {
            let refused = try await exchange(running, "\(method) / HTTP/1.1\r\nHost: 127.0.0.1:\(running.port)\r\nContent-Length: 5\r\n\r\nhello")
            #expect(refused.status == 405, "\(method)")
            #expect(refused.headers["allow"] == "GET, HEAD")
        }

        let css = try await get(running, "/style.css")
        #expect(css.status == 200 && css.headers["content-type"] == "text/css; charset=utf-8" && css.text == "body { color: red }\n")
        let missing = try await get(running, "/absent.html")
        #expect(missing.status == 404 && missing.headers["content-type"] == "text/html; charset=utf-8")
        #expect(missing.text.contains("404 — page introuvable") && missing.text.contains("/__labgen/live.js"))
        let redirect = try await get(running, "/labs")
        #expect(redirect.status == 301 && redirect.headers["location"] == "/labs/" && redirect.headers["cache-control"] == "no-store")
        let labs = try await get(running, "/labs/")
        #expect(labs.status == 200 && labs.text.contains("<p>labs</p>"), "a directory's own path serves its page, no redirect loop")
        let traversal = try await get(running, "/labs/%2e%2e/%2e%2e/secret.txt")
        #expect(traversal.status == 403 && !traversal.text.contains("secret"))
        let nul = try await get(running, "/index.html%00.css")
        #expect(nul.status == 403)
        let leak = try await get(running, "/leak.txt")
        #expect(leak.status == 404 && !leak.text.contains("secret"))
        let version = try await get(running, "/__labgen/version")
        #expect(version.headers["content-type"] == "application/json" && version.text == "{\"error\":null,\"version\":0}")
        let script = try await get(running, "/__labgen/live.js?t=1")
        #expect(script.headers["content-type"] == "text/javascript; charset=utf-8" && script.text.contains("location.reload()"))
        await running.stop()
    }

    @Test func percentEncodedPathsWithAccents() async throws {
        let running = try start()
        let page = try await get(running, "/labs/%C3%A9t%C3%A9%20%C3%A0%202.html?from=menu")
        #expect(page.status == 200 && page.text.contains("<p>été à 2</p>"))
        let upper = try await get(running, "/labs/%c3%a9t%c3%a9%20%c3%a0%202.html")
        #expect(upper.status == 200, "hex digits in either case")
        let folder = try await get(running, "/docs%20%C3%A9t%C3%A9")
        #expect(folder.status == 301)
        #expect(folder.headers["location"] == "/docs%20%C3%A9t%C3%A9/", "the Location is encoded again: headers are ASCII")
        let followed = try await get(running, try #require(folder.headers["location"]))
        #expect(followed.status == 200 && followed.text.contains("<p>docs</p>"))
        let absolute = try await get(running, "http://127.0.0.1:\(running.port)/labs/%C3%A9t%C3%A9%20%C3%A0%202.html")
        #expect(absolute.status == 200, "absolute-form targets are accepted (RFC 9112 §3.2.2)")
        for bad in ["/%ZZ", "/%C3", "/%FF.html", "/a%2"] {
            let refused = try await get(running, bad)
            #expect(refused.status == 400, "\(bad)")
        }

        // A real client: curl's GET and HEAD of the accented page agree on the length.
        let url = "http://127.0.0.1:\(running.port)/labs/%C3%A9t%C3%A9%20%C3%A0%202.html"
        let getOut = try await offPool { try Self.curl(["-sS", "-D", "-", url]) }
        let headOut = try await offPool { try Self.curl(["-sS", "-I", url]) }
        #expect(getOut.hasPrefix("HTTP/1.1 200 OK\r\n") && getOut.contains("<p>été à 2</p>"))
        #expect(headOut.hasPrefix("HTTP/1.1 200 OK\r\n") && !headOut.contains("<p>"))
        let length = try #require(headOut.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") })
        #expect(getOut.contains(length + "\r\n"))
        await running.stop()
    }

    @Test func badAndOversizedRequestsAreRefusedAndTheServerGoesOn() async throws {
        let running = try start()
        let a = "127.0.0.1:\(running.port)"
        let cases: [(String, Int)] = [
            ("hello\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\n\r\n", 400),                                  // HTTP/1.1 needs Host
            ("GET / HTTP/1.1\r\nHost: \(a)\r\nHost: b\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: \(a)\r\nBad Name: x\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: \(a)\r\nX-A: 1\r\n  folded\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: \(a)\r\nno colon\r\n\r\n", 400),
            ("GET  / HTTP/1.1\r\nHost: \(a)\r\n\r\n", 400),
            ("GET index.html HTTP/1.1\r\nHost: \(a)\r\n\r\n", 400),
            ("GET / HTTP/2.0\r\nHost: \(a)\r\n\r\n", 505),
            ("GET / HTTP/1.0\r\n\r\n", 200),                                  // 1.0 needs no Host
            ("\r\nGET / HTTP/1.1\nHost: \(a)\n\n", 200),                         // bare LFs, a leading empty line
        ]
        for (request, status) in cases {
            let response = try await exchange(running, request)
            #expect(response.status == status, "\(request.debugDescription)")
        }

        let big = String(repeating: "a", count: 20_000)
        let header = try await exchange(running, "GET / HTTP/1.1\r\nHost: \(a)\r\nX-Big: \(big)\r\n\r\n")
        #expect(header.status == 431, "a 20 KB header field is over the 16 KiB head limit")
        let line = try await exchange(running, "GET /\(big)")
        #expect(line.status == 431, "a request line that never ends")
        let justUnder = try await exchange(running, "GET / HTTP/1.1\r\nHost: \(a)\r\nX-Big: \(String(repeating: "a", count: 16_000))\r\n\r\n")
        #expect(justUnder.status == 200, "a head just under the limit is served")

        let after = try await get(running, "/")
        #expect(after.status == 200)
        await running.stop()
    }

    @Test func aSilentClientDoesNotHoldUpOthers() async throws {
        let running = try start(readTimeout: .seconds(3))
        let port = running.port
        // The whole exchange on one thread: the 3 s timeout must not run out while this test
        // waits for the concurrency pool (other tests may keep it busy).
        let (status, stillHeld, silentBytes, partialBytes) = try await offPool { () throws -> (Int, Bool, [UInt8], [UInt8]) in
            let silent = try RawHTTP.connect(port: port)
            defer { close(silent) }
            let partial = try RawHTTP.connect(port: port)
            defer { close(partial) }
            RawHTTP.send(partial, "GET / HTTP/1.1\r\nHo")
            let other = try RawHTTP.get(port: port, "/")
            let held = !Self.answered(silent) && !Self.answered(partial)
            // After the read timeout: the silent one is closed without a word, the half request gets 408.
            return (other.status, held, RawHTTP.readAll(silent), RawHTTP.readAll(partial))
        }
        #expect(status == 200)
        #expect(stillHeld, "served while the two others still hold their connections")
        #expect(silentBytes.isEmpty)
        #expect(RawHTTP.parse(partialBytes)?.status == 408)
        await running.stop()
    }

    @Test func concurrentClients() async throws {
        let running = try start()
        let port = running.port
        let a = "127.0.0.1:\(port)"
        // Two connections each send half a request; the second completes first and is
        // answered while the first is still incomplete.
        let (secondResponse, firstWaited, firstResponse) = try await offPool { () throws -> (RawHTTP.Response?, Bool, RawHTTP.Response?) in
            let first = try RawHTTP.connect(port: port)
            defer { close(first) }
            let second = try RawHTTP.connect(port: port)
            defer { close(second) }
            RawHTTP.send(first, "GET /labs/ HTTP/1.1\r\n")
            RawHTTP.send(second, "GET /style.css HTTP/1.1\r\n")
            RawHTTP.send(second, "Host: \(a)\r\n\r\n")
            let secondResponse = RawHTTP.parse(RawHTTP.readAll(second))
            let waited = !Self.answered(first)
            RawHTTP.send(first, "Host: \(a)\r\n\r\n")
            return (secondResponse, waited, RawHTTP.parse(RawHTTP.readAll(first)))
        }
        #expect(secondResponse?.status == 200 && secondResponse?.text == "body { color: red }\n")
        #expect(firstWaited)
        #expect(firstResponse?.status == 200 && firstResponse?.text.contains("<p>labs</p>") == true)

        // Many at once, each gets its own page.
        let targets = (0..<24).map { ["/", "/labs/", "/style.css", "/labs/%C3%A9t%C3%A9%20%C3%A0%202.html"][$0 % 4] }
        let results = try await withThrowingTaskGroup(of: (String, RawHTTP.Response).self) { group in
            for target in targets { group.addTask { (target, try await offPool { try RawHTTP.get(port: port, target) }) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == targets.count)
        for (target, response) in results {
            #expect(response.status == 200, "\(target)")
            let expected = ["/": "accueil", "/labs/": "labs", "/style.css": "color: red"][target] ?? "été à 2"
            #expect(response.text.contains(expected), "\(target)")
        }
        await running.stop()
    }

    @Test func loopbackOnlyBusyPortAndCancellation() async throws {
        let running = try start()
        #expect(running.port != 0, "port 0 resolves to the port actually bound")
        let ok = try await get(running, "/")
        #expect(ok.status == 200)
        // Bound to 127.0.0.1 only: even another loopback address is refused.
        let port = running.port
        #expect(throws: RawHTTP.Failure(call: "connect", code: ECONNREFUSED)) { try RawHTTP.connect(port: port, host: "127.0.0.2") }

        #expect(throws: SocketError("bind", code: EADDRINUSE)) { try HTTPServer(port: port) { _ in HTTPResponse(.ok) } }
        #expect(SocketError("bind", code: EADDRINUSE).description == "bind: Address already in use")

        running.task.cancel()
        let outcome = await running.task.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(throws: RawHTTP.Failure(call: "connect", code: ECONNREFUSED), "the listening socket is closed") {
            try RawHTTP.connect(port: port)
        }
        await #expect(throws: SocketError.self, "runs once") { try await running.server.run() }
    }

    static func curl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["--max-time", "10"] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "curl \(arguments)")
        return String(decoding: data, as: UTF8.self)
    }
}
