import Foundation

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
        public var pollInterval: Duration

        public init(site: URL, port: UInt16, watch: [URL], pollInterval: Duration = .milliseconds(300)) {
            self.site = site
            self.port = port
            self.watch = watch
            self.pollInterval = pollInterval
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
        server = try HTTPServer(port: configuration.port) { handler.respond(to: $0) }
    }

    /// Builds once, then serves and watches until the task is cancelled. Browsers that
    /// connect during the first build wait in the listen backlog and get the built site.
    public func run() async throws {
        let initial = currentSnapshot()
        await rebuild()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.server.run() }
            group.addTask {
                var snapshot = initial
                while !Task.isCancelled {
                    try await Task.sleep(for: self.configuration.pollInterval)
                    var next = self.currentSnapshot()
                    var changed = next.changes(since: snapshot)
                    guard !changed.isEmpty else { continue }
                    // Editors save in several writes: wait until the inputs hold still.
                    while true {
                        try await Task.sleep(for: self.configuration.pollInterval)
                        let settled = self.currentSnapshot()
                        let more = settled.changes(since: next)
                        if more.isEmpty { break }
                        changed = Array(Set(changed + more)).sorted()
                        next = settled
                    }
                    snapshot = next
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

    private func currentSnapshot() -> InputSnapshot {
        InputSnapshot(watching: configuration.watch, excluding: [configuration.site])
    }

    private func display(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }
}
