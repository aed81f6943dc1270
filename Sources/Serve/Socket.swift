import Glibc
import Synchronization

/// A socket call that failed, printed as `bind: Address already in use` (what a user
/// needs to see when port 8000 is taken).
public struct SocketError: Error, Equatable, CustomStringConvertible {
    public var call: String
    public var code: Int32

    init(_ call: String, code: Int32 = errno) {
        self.call = call
        self.code = code
    }

    public var description: String { "\(call): \(String(cString: strerror(code)))" }
}

/// The listening TCP socket, on 127.0.0.1 only: a preview is for the person at this machine,
/// never for the network. It is bound and listening once created, so a busy port fails
/// before the first build and port 0 is resolved at once.
final class Listener: Sendable {
    let port: UInt16
    private let fd: Int32
    /// A pipe whose read end `accept()` polls next to the socket: writing a byte wakes it.
    /// (Closing a socket does not wake a thread blocked on it in Linux.)
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let closed = Mutex(false)

    init(port: UInt16) throws(SocketError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        do throws(SocketError) {
            // Restarting `labgen serve` must not wait for the last run's TIME_WAIT connections.
            var one: Int32 = 1
            guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else { throw SocketError("setsockopt") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)      // 127.0.0.1
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
            guard bound == 0 else { throw SocketError("bind") }
            guard listen(fd, SOMAXCONN) == 0 else { throw SocketError("listen") }
            let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            guard named == 0 else { throw SocketError("getsockname") }
            // Non-blocking: a connection reset between poll and accept must not block the loop.
            guard fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 else { throw SocketError("fcntl") }
            var pipe: [Int32] = [-1, -1]
            guard Glibc.pipe(&pipe) == 0 else { throw SocketError("pipe") }
            for end in pipe { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            self.fd = fd
            self.port = UInt16(bigEndian: address.sin_port)
            wakeRead = pipe[0]
            wakeWrite = pipe[1]
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    /// The next connection, or nil once `stop()` was called (or the listener closed).
    func accept() throws(SocketError) -> Int32? {
        while true {
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 2, -1) < 0 {
                if errno == EINTR { continue }
                throw SocketError("poll")
            }
            if fds[1].revents != 0 { return nil }
            guard fds[0].revents != 0 else { continue }
            let client = Glibc.accept(fd, nil, nil)
            if client >= 0 {
                // Not inherited by the programs a build runs (accept4 is not in Swift's Glibc).
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                return client
            }
            switch errno {
            case EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED, EPROTO:
                continue                                    // that client gave up: not ours to fail on
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                usleep(50_000)                               // out of descriptors: let connections finish
            default:
                throw SocketError("accept")
            }
        }
    }

    /// Wakes `accept()` (from any thread); it returns nil from then on.
    func stop() {
        closed.withLock { closed in
            guard !closed else { return }           // its number may belong to another file by now
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    /// Closes the socket: new connections are refused from here on. Once only.
    func close() {
        closed.withLock { closed in
            guard !closed else { return }
            closed = true
            Glibc.close(fd)
            Glibc.close(wakeRead)
            Glibc.close(wakeWrite)
        }
    }

    var isClosed: Bool { closed.withLock { $0 } }

    deinit { close() }
}
