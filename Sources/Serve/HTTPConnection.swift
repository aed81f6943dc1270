import Foundation
import Glibc

/// One accepted connection, served with blocking calls on a thread of its own: read one
/// request head, answer, close. The timeouts bound how long a slow or silent client can
/// hold that thread; nothing it does can hold another connection.
struct HTTPConnection: Sendable {
    let fd: Int32
    let limits: HTTPServer.Limits
    /// The port the server listens on: a request must name it in its `Host`.
    let port: UInt16

    /// Takes the descriptor over: it is closed on return.
    func serve(_ handler: (HTTPRequest) -> HTTPResponse) {
        defer { close(fd) }
        setTimeout(SO_RCVTIMEO, limits.readTimeout)
        // A client that stops reading must not keep the thread in send() for ever.
        setTimeout(SO_SNDTIMEO, limits.writeTimeout)
        let response: HTTPResponse
        var includingBody = true
        switch readHead() {
        case .head(let bytes):
            do {
                let request = try HTTPRequest(head: bytes)
                includingBody = request.method != "HEAD"
                // DNS rebinding: a page of evil.example whose name now resolves to
                // 127.0.0.1 sends `Host: evil.example`; it must not read the preview.
                response = request.isAddressed(toLoopbackPort: port) ? handler(request) : .misdirected(port: port)
            } catch {
                response = .error(error.status)
            }
        case .tooLarge:
            response = .error(.headerFieldsTooLarge)
        case .timedOut:
            response = .error(.requestTimeout)
        case .gone:
            // Closed or silent before sending a byte (browsers open spare connections they
            // may never use): nobody is waiting for an answer.
            return
        }
        guard send(response.encoded(includingBody: includingBody)) else { return }
        if let stream = response.stream, includingBody {
            stream { send($0) }
            return
        }
        lingeringClose()
    }

    enum Head: Equatable {
        /// The head up to (not including) the empty line that ends it.
        case head([UInt8])
        case tooLarge
        /// Part of a head came, then nothing for `readTimeout`.
        case timedOut
        case gone
    }

    /// Reads until the empty line that ends the head, at most `limits.headBytes`, within
    /// `limits.headDeadline` in all (a client trickling a byte every few seconds never hits
    /// the read timeout but holds a thread). Empty lines before the request line are dropped
    /// (RFC 9112 §2.6) but count against the size. Whatever follows the head is left unread.
    func readHead() -> Head {
        let deadline = ContinuousClock.now + limits.headDeadline
        var buffer: [UInt8] = []
        var dropped = 0
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = deadline - ContinuousClock.now
            // Nothing but empty lines so far is silence: nobody is waiting for an answer.
            guard left > .zero else { return buffer.isEmpty ? .gone : .timedOut }
            // SO_RCVTIMEO of zero means "no timeout": never set less than 1 ms.
            setTimeout(SO_RCVTIMEO, max(.milliseconds(1), min(limits.readTimeout, left)))
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                // EAGAIN: `readTimeout` of silence or the deadline, whichever came first.
                let timedOut = count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
                return timedOut && !buffer.isEmpty ? .timedOut : .gone
            }
            var scanFrom = max(0, buffer.count - 2)
            buffer.append(contentsOf: chunk[..<count])
            let blank = buffer.prefix { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }.count
            if blank > 0 {
                buffer.removeFirst(blank)
                dropped += blank
                scanFrom = 0
            }
            if let (head, total) = Self.headEnd(in: buffer, from: scanFrom) {
                return dropped + total <= limits.headBytes ? .head(Array(buffer[..<head])) : .tooLarge
            }
            if dropped + buffer.count >= limits.headBytes { return .tooLarge }
        }
    }

    /// Where the head ends: an LF followed by an empty line (CRLF or a bare LF).
    /// `head` is the length of the head, `total` that of the head with its empty line.
    static func headEnd(in buffer: [UInt8], from start: Int) -> (head: Int, total: Int)? {
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var i = start
        while i + 1 < buffer.count {
            if buffer[i] == lf {
                if buffer[i + 1] == lf { return (i, i + 2) }
                if buffer[i + 1] == cr && i + 2 < buffer.count && buffer[i + 2] == lf { return (i, i + 3) }
            }
            i += 1
        }
        return nil
    }

    /// Writes all of `data`; gives up on an error or when the client stops reading.
    /// MSG_NOSIGNAL: a client gone away must be an error here, not a SIGPIPE killing labgen.
    @discardableResult
    private func send(_ data: Data) -> Bool {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            var offset = 0
            while offset < bytes.count {
                let sent = Glibc.send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 && errno == EINTR { continue }
                guard sent > 0 else { return false }
                offset += sent
            }
            return true
        }
    }

    /// Answers 503 at once on a connection over the cap and closes it, from the accepting
    /// thread: a non-blocking send of a few bytes, no thread of its own.
    static func refuse(_ fd: Int32) {
        let bytes = HTTPResponse.error(.serviceUnavailable, headers: [HTTPHeader("Retry-After", "1")]).encoded(includingBody: true)
        bytes.withUnsafeBytes { _ = Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        close(fd)
    }

    /// Closing with unread bytes in the socket (a request body, the rest of an oversized
    /// head) makes the kernel send a reset, which can destroy the response before the client
    /// reads it. So: half-close, read and drop what comes until the client closes, for a
    /// bounded time and size, then close (what Apache calls a lingering close).
    private func lingeringClose() {
        guard shutdown(fd, Int32(SHUT_WR)) == 0 else { return }
        setTimeout(SO_RCVTIMEO, .milliseconds(500))
        let deadline = ContinuousClock.now + .seconds(2)
        var chunk = [UInt8](repeating: 0, count: 16384)
        var drained = 0
        while drained < 1 << 20 && ContinuousClock.now < deadline {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            drained += count
        }
    }

    private func setTimeout(_ option: Int32, _ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        _ = setsockopt(fd, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
    }
}
