import Foundation
import Glibc
import Testing
@testable import Serve

/// Regression tests for the hostile cases of issue 13 item 5, each over a real socket (or a
/// real folder): a `//` redirect, DNS rebinding, a trickled head, too many connections,
/// empty lines before the request line, a busy port (symlinks in the watched content are in
/// `LiveReloadTests`).
@Suite struct ServeHardeningTests {
    let http = HTTPServerTests()

    @Test func redirectsArePathOnly() async throws {
        let running = try http.start()
        for (target, location) in [("//labs", "/labs/"), ("///labs", "/labs/"), ("/labs", "/labs/"), ("//docs%20%C3%A9t%C3%A9", "/docs%20%C3%A9t%C3%A9/")] {
            let response = try await http.get(running, target)
            #expect(response.status == 301, "\(target)")
            #expect(response.headers["location"] == location, "\(target): a Location starting with // names another host")
        }
        await running.stop()
    }

    @Test func onlyTheLoopbackNamesWithTheRightPortAreAnswered() async throws {
        let running = try http.start()
        let port = running.port
        func status(_ host: String, target: String = "/") async throws -> Int {
            try await http.exchange(running, "GET \(target) HTTP/1.1\r\nHost: \(host)\r\n\r\n").status
        }
        for host in ["127.0.0.1:\(port)", "localhost:\(port)", "LocalHost:\(port)", "[::1]:\(port)"] {
            #expect(try await status(host) == 200, "\(host)")
        }
        for host in ["evil.example:\(port)", "evil.example", "127.0.0.1", "127.0.0.1:\(port &+ 1)", "localhost.evil.example:\(port)",
                     "127.0.0.1:\(port)@evil.example", "[::1]", "127.0.0.1.nip.io:\(port)"] {
            let refused = try await http.exchange(running, "GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n")
            #expect(refused.status == 421, "\(host)")
            #expect(!refused.text.contains("accueil"), "no page content for \(host)")
        }
        #expect(try await status("127.0.0.1:\(port)", target: "http://evil.example/") == 421, "an absolute target names the host too")
        #expect(try await status("127.0.0.1:\(port)", target: "http://localhost:\(port)/") == 200)
        await running.stop()
    }

    @Test func aTrickledHeadIsCutAtTheDeadline() async throws {
        let running = try http.start(limits: .init(readTimeout: .seconds(3), headDeadline: .milliseconds(1500)))
        let port = running.port
        let (elapsed, bytes) = try await offPool { () throws -> (Duration, [UInt8]) in
            let fd = try RawHTTP.connect(port: port)
            defer { close(fd) }
            let start = ContinuousClock.now
            // One byte every 200 ms: never 3 s of silence, and 20 s to send the whole head.
            for byte in "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nX-Slow: \(String(repeating: "a", count: 80))\r\n\r\n" {
                RawHTTP.send(fd, String(byte))
                if HTTPServerTests.answered(fd) { break }
                usleep(200_000)
            }
            return (ContinuousClock.now - start, RawHTTP.readAll(fd))
        }
        #expect(RawHTTP.parse(bytes)?.status == 408)
        #expect(elapsed < .seconds(4), "cut at the 1.5 s deadline, not after the whole trickle (\(elapsed))")
        let after = try await http.get(running, "/")
        #expect(after.status == 200)
        await running.stop()
    }

    @Test func connectionsOverTheCapAreRefusedAtOnce() async throws {
        let running = try http.start(limits: .init(readTimeout: .seconds(20), maxConnections: 3))
        let port = running.port
        let server = running.server
        let (refused, heldThreads, servedAfter) = try await offPool { () throws -> ([UInt8], Int, Int) in
            let held = try (0..<3).map { _ in try RawHTTP.connect(port: port) }
            for fd in held { RawHTTP.send(fd, "GET / HTTP/1.1\r\n") }     // half heads: each holds a thread
            usleep(200_000)
            let extra = try RawHTTP.connect(port: port)
            let refused = RawHTTP.readAll(extra)                              // answered without sending anything
            close(extra)
            let heldThreads = server.connections
            for fd in held { close(fd) }
            // The held threads notice the close and end (the machine may be busy: up to 30 s);
            // then there is room again.
            let deadline = ContinuousClock.now + .seconds(30)
            while server.connections > 0 && ContinuousClock.now < deadline { usleep(20_000) }
            return (refused, heldThreads, (try? RawHTTP.get(port: port, "/"))?.status ?? 0)
        }
        let response = try #require(RawHTTP.parse(refused))
        #expect(response.status == 503 && response.headers["retry-after"] == "1")
        #expect(heldThreads == 3, "the three held connections each hold a thread, no more")
        #expect(servedAfter == 200)
        await running.stop()
    }

    @Test func emptyLinesBeforeTheRequestLineAreIgnored() async throws {
        let running = try http.start()
        let port = running.port
        let request = "GET /style.css HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n"
        for prefix in ["\r\n", "\r\n\r\n", "\n\n\n", "\r\n\r\n\r\n\r\n"] {
            let response = try await http.exchange(running, prefix + request)
            #expect(response.status == 200 && response.text == "body { color: red }\n", "\(prefix.debugDescription)")
        }
        // The empty lines in their own packets, before the request.
        let split = try await offPool { () throws -> RawHTTP.Response? in
            let fd = try RawHTTP.connect(port: port)
            defer { close(fd) }
            RawHTTP.send(fd, "\r\n\r\n")
            usleep(100_000)
            RawHTTP.send(fd, request)
            return RawHTTP.parse(RawHTTP.readAll(fd))
        }
        #expect(split?.status == 200)
        await running.stop()
    }

    @Test func aBusyPortTriesTheNextOnes() async throws {
        let taken = try HTTPServer(port: 0) { _ in HTTPResponse(.ok) }
        let lines = ServeTests.LogLines()
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("labgen-busy-\(UUID().uuidString)")
        let server = try DevServer(.init(site: site, port: taken.port, watch: [], portAttempts: 20), build: {}, log: { lines.append($0) })
        let port = try await server.port()
        #expect(port > taken.port && port < taken.port &+ 20)
        #expect(lines.text.hasPrefix("labgen: port \(taken.port) is in use, trying \(taken.port + 1)"))
        #expect(throws: SocketError("bind", code: EADDRINUSE), "one attempt: the busy port is an error") {
            try DevServer(.init(site: site, port: taken.port, watch: []), build: {}, log: { _ in })
        }
    }
}
