import Foundation
import Glibc
import Synchronization

/// `labgen serve`: builds the site, serves it on 127.0.0.1 only, and rebuilds when an input
/// changes. A failed build keeps the previous site served, prints its diagnostics and shows
/// them over the open pages; the server itself never stops for a content error.
public final class DevServer: Sendable {
    public struct Configuration: Sendable {
        /// The built site (`--out`).
        public var site: URL
        /// 0 picks a free port (see `port()`).
        public var port: UInt16
        /// Folders and files whose changes trigger a rebuild: content, templates, facts.
        public var watch: [URL]
        /// How long a file modified but not closed yet must hold still before it is rebuilt
        /// anyway. A closed file, a rename into place or a deletion rebuilds at once (see
        /// `InotifyWatcher`); changes made during a rebuild make one more after it.
        public var settle: Duration
        /// A busy `port` makes the server try the next ones, up to this many in all (1: fail).
        public var portAttempts: Int

        public init(site: URL, port: UInt16, watch: [URL], settle: Duration = .milliseconds(100), portAttempts: Int = 1) {
            self.site = site
            self.port = port
            self.watch = watch
            self.settle = settle
            self.portAttempts = portAttempts
        }
    }

    public let configuration: Configuration
    public let status = BuildStatus()
    private let build: @Sendable () async throws -> Void
    private let log: @Sendable (String) -> Void
    private let server: HTTPServer

    /// `build` runs one complete build into `configuration.site` (throws on failure, leaving
    /// the previous site in place); `log` receives terminal lines. Binds 127.0.0.1:`port`
    /// here, so a port already in use is reported before anything is built (`SocketError`).
    public init(_ configuration: Configuration, build: @escaping @Sendable () async throws -> Void,
                log: @escaping @Sendable (String) -> Void) throws {
        self.configuration = configuration
        self.build = build
        self.log = log
        let handler = SiteHandler(files: SiteFiles(root: configuration.site), status: status)
        // Pages are answered from now on (until the first build is done, with the waiting page).
        server = try Self.listen(configuration, log: log) { handler.respond(to: $0) }
    }

    /// The server on `configuration.port`, or on the next free one within `portAttempts`.
    private static func listen(_ configuration: Configuration, log: (String) -> Void,
                               handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) throws -> HTTPServer {
        var port = configuration.port
        var attempt = 1
        while true {
            let outcome = Result { () throws(SocketError) -> HTTPServer in try HTTPServer(port: port, handler: handler) }
            switch outcome {
            case .success(let server):
                return server
            case .failure(let error):
                guard error.code == EADDRINUSE, attempt < configuration.portAttempts, port != 0, port < UInt16.max else { throw error }
                log("labgen: port \(port) is in use, trying \(port + 1)")
                port += 1
                attempt += 1
            }
        }
    }

    /// Builds once, then serves and watches until the task is cancelled. Browsers that
    /// connect during the first build wait in the listen backlog and get the built site.
    /// Changes come from inotify (`InotifyWatcher`); those made during a rebuild are
    /// gathered and rebuilt once after it.
    public func run() async throws {
        let watcher = try InotifyWatcher(watching: configuration.watch, excluding: [configuration.site], settle: configuration.settle)
        let pending = PendingChanges()
        let (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        watcher.start { changed in
            pending.add(changed)
            signal.yield()
        }
        defer {
            watcher.stop()
            signal.finish()
        }
        await rebuild()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.server.run() }
            group.addTask {
                for await _ in signals {
                    let changed = pending.take()
                    guard !changed.isEmpty else { continue }
                    let shown = changed.prefix(3).map { self.display($0) }.joined(separator: ", ") + (changed.count > 3 ? ", …" : "")
                    self.log("labgen: changed: \(shown)")
                    await self.rebuild()
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// The port actually listened on (useful with port 0). The socket listens from `init`
    /// on, so this never waits; `async throws` is kept for callers written against a server
    /// that started listening in `run()`.
    public func port() async throws -> UInt16 {
        server.port
    }

    /// One build; its outcome goes to the terminal and to the pages.
    public func rebuild() async {
        let start = ContinuousClock.now
        do {
            try await build()
            status.succeeded()
            let elapsed = ContinuousClock.now - start
            log("labgen: built in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))")
        } catch {
            let message = BuildStatus.describe(error)
            status.failed(message)
            log(message)
            log("labgen: build failed; still serving the last good site (fix the error and save)")
        }
    }

    private func display(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }
}

/// Paths changed since the last rebuild, from the watcher's thread to the rebuilding task.
private final class PendingChanges: Sendable {
    private let paths = Mutex<Set<String>>([])

    func add(_ changed: [String]) {
        paths.withLock { $0.formUnion(changed) }
    }

    /// The paths, sorted, and none left.
    func take() -> [String] {
        paths.withLock { set in
            defer { set.removeAll() }
            return set.sorted()
        }
    }
}
