import Foundation
import Synchronization

/// The HTTP/1.1 server of `labgen serve`, on POSIX sockets. Our own rather than a package's:
/// HTTP packages pull in FoundationNetworking, whose ~30 shared libraries (libcurl, TLS,
/// Kerberos, LDAP…) would be loaded by every `labgen build` too, doubling its start-up.
///
/// Threads, not tasks: accept, recv, send and file reads all block, and blocking the Swift
/// concurrency pool (one thread per core) would stall the rebuilds and every other client.
/// One thread accepts; each connection gets a thread of its own, so a client that connects
/// and sends nothing holds only its own thread, and only until the read timeout (a slow
/// trickle, until the head deadline); at most `maxConnections` threads exist at once.
final class HTTPServer: Sendable {
    struct Limits: Sendable {
        /// Request line and header fields together; beyond this, 431 and close.
        var headBytes = 16 * 1024
        /// Longest silence while reading a head; then 408 (or a quiet close if nothing came).
        var readTimeout: Duration = .seconds(5)
        /// Longest wait for a client to take more of the response.
        var writeTimeout: Duration = .seconds(10)
        /// Longest time to receive a whole head, however steadily it trickles in; then 408.
        var headDeadline: Duration = .seconds(10)
        /// Connections served at once (one thread each); more are answered 503 and closed.
        /// A preview has one reader: a few tabs, each with a few connections.
        var maxConnections = 128
    }

    /// The port listened on: the one asked for, or the one the kernel chose for port 0.
    var port: UInt16 { listener.port }

    private let listener: Listener
    private let limits: Limits
    private let handler: @Sendable (HTTPRequest) -> HTTPResponse
    private let state = Mutex(State())
    /// Connections whose thread is running.
    private let active = Atomic<Int>(0)

    /// How many connections are being served now (each on its own thread).
    var connections: Int { active.load(ordering: .relaxed) }

    /// Binds 127.0.0.1:`port` and answers from now on, on the server's own threads: a server
    /// that began accepting only once a concurrency-pool thread ran `run()` answered nobody
    /// for seconds under load. `handler` runs on the connection's thread and may block.
    init(port: UInt16, limits: Limits = Limits(), handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) throws(SocketError) {
        listener = try Listener(port: port)
        self.limits = limits
        self.handler = handler
        start()
    }

    /// Starts the accepting thread (once, from `init`).
    private func start() {
        let listener = self.listener, limits = self.limits, handler = self.handler
        let acceptor = Thread {
            let outcome: Result<Void, any Error>
            do {
                while let client = try listener.accept() {
                    guard self.active.load(ordering: .relaxed) < limits.maxConnections else {
                        HTTPConnection.refuse(client)
                        continue
                    }
                    self.active.add(1, ordering: .relaxed)
                    let connection = HTTPConnection(fd: client, limits: limits, port: listener.port)
                    Thread {
                        connection.serve(handler)
                        self.active.subtract(1, ordering: .relaxed)
                    }.start()
                }
                outcome = .failure(CancellationError())
            } catch {
                outcome = .failure(error)
            }
            listener.close()
            let waiter = self.state.withLock { state -> CheckedContinuation<Void, any Error>? in
                state.outcome = outcome
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(with: outcome)
        }
        acceptor.name = "labgen-serve-accept"
        acceptor.start()
    }

    /// Waits while connections are accepted, until the calling task is cancelled, then closes the
    /// listening socket (new connections are refused) and throws `CancellationError`.
    /// Connections already accepted finish on their own threads. Runs once: a second call throws.
    func run() async throws {
        let listener = self.listener
        guard state.withLock({ state -> Bool in
            guard !state.running, !listener.isClosed else { return false }
            state.running = true
            return true
        }) else { throw SocketError("accept", code: EBADF) }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                let finished = self.state.withLock { state -> Result<Void, any Error>? in
                    if state.outcome == nil { state.waiter = done }
                    return state.outcome
                }
                if let finished { done.resume(with: finished) }
            }
        } onCancel: {
            listener.stop()
        }
    }

    /// Whether `run` was called, how the acceptor ended, and the `run` waiting for that end.
    private struct State: @unchecked Sendable {
        var running = false
        var outcome: Result<Void, any Error>?
        var waiter: CheckedContinuation<Void, any Error>?
    }
}
