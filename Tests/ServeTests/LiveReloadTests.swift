import Foundation
import Glibc
import Testing
@testable import Serve
import Site

/// The dev loop without polling: inotify reports a save once its file is closed, and an open page
/// is pushed the new build status over Server-Sent Events (the reload bench's logic).
@Suite struct LiveReloadTests {
    /// Collects the watcher's batches; `wait` blocks until one contains a path matching.
    final class Batches: @unchecked Sendable {
        private let condition = NSCondition()
        private var batches: [[String]] = []

        func add(_ batch: [String]) {
            condition.lock()
            batches.append(batch)
            condition.broadcast()
            condition.unlock()
        }

        func wait(for suffix: String, seconds: Double = 10) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            condition.lock()
            defer { condition.unlock() }
            while !batches.joined().contains(where: { $0.hasSuffix(suffix) }) {
                if !condition.wait(until: deadline) { return false }
            }
            return true
        }

        var all: [String] {
            condition.lock()
            defer { condition.unlock() }
            return Array(batches.joined())
        }
    }

    @Test func inotifyReportsSavesNewFoldersAndTheFactsFileOnly() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("labgen-inotify-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: dir) }
        let content = dir.appendingPathComponent("content")
        try fm.createDirectory(at: content.appendingPathComponent("labs"), withIntermediateDirectories: true)
        try Data("# i\n".utf8).write(to: content.appendingPathComponent("index.md"))
        try Data("{}".utf8).write(to: dir.appendingPathComponent("facts.json"))
        // Symlinks back into the content and out of it: never walked.
        try fm.createSymbolicLink(atPath: content.appendingPathComponent("loop").path, withDestinationPath: ".")
        try fm.createSymbolicLink(atPath: content.appendingPathComponent("labs/usr").path, withDestinationPath: "/usr")

        let watcher = try InotifyWatcher(watching: [content, dir.appendingPathComponent("facts.json")], settle: .milliseconds(25))
        #expect(watcher.watchedFolders == 3, "content, content/labs and the facts file's folder; no folder through a link")
        let batches = Batches()
        watcher.start { batches.add($0) }
        defer { watcher.stop() }

        try Data("# a\n".utf8).write(to: content.appendingPathComponent("labs/01-a.md"))
        #expect(batches.wait(for: "content/labs/01-a.md"))
        // A folder made after the start is watched from then on.
        try fm.createDirectory(at: content.appendingPathComponent("labs/02-part"), withIntermediateDirectories: true)
        // Reported once the watcher watches it (not a sleep: a loaded machine can be slower).
        #expect(batches.wait(for: "content/labs/02-part"))
        try Data("# b\n".utf8).write(to: content.appendingPathComponent("labs/02-part/01-b.md"))
        #expect(batches.wait(for: "labs/02-part/01-b.md"))
        // The facts file, replaced by a rename as editors save.
        try Data("{\"a\":1}".utf8).write(to: dir.appendingPathComponent("facts.json"), options: .atomic)
        #expect(batches.wait(for: "/facts.json"))
        // Beside the facts file (the site, say) and hidden files: nothing.
        try Data("x".utf8).write(to: dir.appendingPathComponent("other.html"))
        try Data("x".utf8).write(to: content.appendingPathComponent(".index.md.swp"))
        try Data("# i2\n".utf8).write(to: content.appendingPathComponent("index.md"))
        #expect(batches.wait(for: "content/index.md"))
        #expect(!batches.all.contains { $0.hasSuffix("other.html") || $0.contains(".swp") }, "\(batches.all)")
        #expect(watcher.watchedFolders == 4)
    }

    /// No fixed wait: a file being written is reported once it is closed (here long before
    /// the fallback `settle` of a minute could report it), a rename into place at once.
    @Test func aSaveIsReportedWhenItsFileIsClosed() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("labgen-inotify-close-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: dir) }
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        let page = dir.appendingPathComponent("01-a.md")
        try Data("# a\n".utf8).write(to: page)
        let watcher = try InotifyWatcher(watching: [dir], settle: .seconds(60))
        let batches = Batches()
        watcher.start { batches.add($0) }
        defer { watcher.stop() }

        // Truncated and half written, still open: not reported, however long it stays so.
        let handle = try FileHandle(forWritingTo: page)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data("# a, ".utf8))
        #expect(!batches.wait(for: "01-a.md", seconds: 0.3), "reported while still open: \(batches.all)")
        try handle.write(contentsOf: Data("fini\n".utf8))
        try handle.close()
        #expect(batches.wait(for: "01-a.md", seconds: 30), "the close reports the save")

        // Written elsewhere and renamed over the page, as editors save; Foundation closes
        // the file after the rename: one report all the same (one rebuild, not two).
        let other = dir.appendingPathComponent("02-b.md")
        try Data("# b\n".utf8).write(to: other, options: .atomic)
        #expect(batches.wait(for: "02-b.md", seconds: 30))
        try Data("# c\n".utf8).write(to: dir.appendingPathComponent("03-c.md"))
        #expect(batches.wait(for: "03-c.md", seconds: 30))
        #expect(batches.all.filter { $0.hasSuffix("02-b.md") }.count == 1, "\(batches.all)")
    }

    @Test func eventsSayWhetherAFileIsBeingWritten() {
        typealias Kind = InotifyWatcher.Kind
        #expect(Kind(mask: UInt32(IN_MODIFY)) == .writing)
        #expect(Kind(mask: UInt32(IN_CREATE)) == .writing)
        #expect(Kind(mask: UInt32(IN_CLOSE_WRITE)) == .closed)
        #expect(Kind(mask: UInt32(IN_MOVED_TO)) == .done)
        #expect(Kind(mask: UInt32(IN_MOVED_FROM)) == .done)
        #expect(Kind(mask: UInt32(IN_DELETE)) == .done)
        #expect(Kind(mask: UInt32(IN_CREATE) | UInt32(IN_ISDIR)) == .other, "a new folder is complete at once")
        #expect(Kind(mask: UInt32(IN_ATTRIB)) == .other)
    }

    /// Reads Server-Sent Events from `fd` until one whose data satisfies `condition`.
    static func nextEvent(_ fd: Int32, buffer: inout String, where condition: ([String: Any]) -> Bool) -> [String: Any]? {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            while let end = buffer.range(of: "\n\n") {
                let event = String(buffer[..<end.lowerBound])
                buffer = String(buffer[end.upperBound...])
                for line in event.split(separator: "\n") where line.hasPrefix("data: ") {
                    if let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any], condition(object) {
                        return object
                    }
                }
            }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            buffer += String(decoding: chunk[..<count], as: UTF8.self)
        }
    }

    @Test func anOpenPageIsPushedEachRebuildWithoutAsking() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labgen-sse-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let content = dir.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: ServeTests.repo.appendingPathComponent("Tests/SiteTests/Fixtures/course"), to: content)
        let site = dir.appendingPathComponent("site")
        let build = SiteBuild(content: ContentRoot(content, displayPath: "content"), output: site,
                              templatesDirectory: ServeTests.repo.appendingPathComponent("templates"))
        let server = try DevServer(.init(site: site, port: 0, watch: [content]), build: { try await build.run() }, log: { _ in })
        let task = Task { try await server.run() }
        defer { task.cancel() }
        let port = try await server.port()
        let page = content.appendingPathComponent("labs/02-deploiement.md")
        let original = try String(contentsOf: page, encoding: .utf8)

        // One request, held open like a page's EventSource; everything after is pushed.
        typealias Status = (version: Int, error: String?)
        let (first, pushed, failed) = try await offPool { () throws -> (Status?, Status?, Status?) in
            let fd = try RawHTTP.connect(port: port)
            defer { close(fd) }
            var timeout = timeval(tv_sec: 90, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            RawHTTP.send(fd, "GET \(LiveReload.eventsPath) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n\r\n")
            var buffer = ""
            func status(_ object: [String: Any]?) -> Status? {
                object.map { ($0["version"] as? Int ?? -1, $0["error"] as? String) }
            }
            let first = status(Self.nextEvent(fd, buffer: &buffer) { ($0["version"] as? Int ?? 0) >= 1 })
            let version = first?.version ?? 0
            try (original + "\nPoussé sans sondage.\n").write(to: page, atomically: true, encoding: .utf8)
            let pushed = status(Self.nextEvent(fd, buffer: &buffer) { ($0["version"] as? Int ?? 0) > version })
            try (original + "\n[cassé](absent.md)\n").write(to: page, atomically: true, encoding: .utf8)
            let failed = status(Self.nextEvent(fd, buffer: &buffer) { $0["error"] is String })
            return (first, pushed, failed)
        }
        #expect(first != nil, "the current status comes first")
        #expect(pushed != nil && pushed?.error == nil, "a rebuild is pushed to the open stream")
        #expect(failed?.error?.contains("absent.md") == true, "a failed build is pushed with its diagnostics")
        let (_, _, body) = try await ServeTests().get(URL(string: "http://127.0.0.1:\(port)/labs/02-deploiement.html")!)
        #expect(body.contains("Poussé sans sondage."), "the last good build is served")
    }

    @Test func theEventStreamIsServerSentEvents() async throws {
        let status = BuildStatus()
        let handler = SiteHandler(files: SiteFiles(root: FileManager.default.temporaryDirectory), status: status)
        let server = try HTTPServer(port: 0) { handler.respond(to: $0) }
        let task = Task { try await server.run() }
        defer { task.cancel() }
        let port = server.port
        let (head, events) = try await offPool { () throws -> (String, [String]) in
            let fd = try RawHTTP.connect(port: port)
            defer { close(fd) }
            RawHTTP.send(fd, "GET \(LiveReload.eventsPath) HTTP/1.1\r\nHost: localhost:\(port)\r\n\r\n")
            var text = ""
            var chunk = [UInt8](repeating: 0, count: 4096)
            var pushed = false
            while !text.contains("boom") {
                let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { break }
                text += String(decoding: chunk[..<count], as: UTF8.self)
                if !pushed && text.contains("\"version\":0") {
                    pushed = true
                    status.succeeded()
                    status.failed("content/x.md:1:1: error: boom")
                }
            }
            let parts = text.components(separatedBy: "\r\n\r\n")
            return (parts[0], parts.dropFirst().joined().components(separatedBy: "\n\n").filter { $0.hasPrefix("data: ") })
        }
        #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n") && head.contains("Content-Type: text/event-stream") && !head.contains("Content-Length"))
        #expect(events.first == "data: {\"error\":null,\"version\":0}")
        #expect(events.contains("data: {\"error\":null,\"version\":1}") || events.contains("data: {\"error\":\"content\\/x.md:1:1: error: boom\",\"version\":1}"))
        #expect(events.last?.contains("boom") == true)
    }

    @Test func onlyFingerprintedAssetsMayBeCached() {
        #expect(SiteHandler.isFingerprinted("assets/style.9e522771.css"))
        #expect(SiteHandler.isFingerprinted("assets/trace.7d787e4c.js"))
        for path in ["assets/labs.js", "assets/search-index.js", "index.html", "labs/01.9e522771.html", "assets/logo.svg", "assets/a.12345678x.css"] {
            #expect(!SiteHandler.isFingerprinted(path), "\(path)")
        }
    }
}
