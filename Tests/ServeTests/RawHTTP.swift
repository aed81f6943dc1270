import Foundation
import Glibc

/// The tests' HTTP client: raw TCP sockets, so a test sends exactly the bytes it means
/// (oversized heads, half requests, silence) and the tests need no FoundationNetworking.
/// Its calls block: tests run them through `offPool`.
enum RawHTTP {
    struct Failure: Error, Equatable, CustomStringConvertible {
        var call: String
        var code: Int32
        var description: String { "\(call): \(String(cString: strerror(code)))" }
    }

    struct Response {
        var status: Int
        var statusLine: String
        /// Lowercased names.
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// A connected socket to `host:port`, reads time out after 10 s (a test never hangs).
    static func connect(port: UInt16, host: String = "127.0.0.1") throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket", code: errno) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw Failure(call: "connect", code: code)
        }
        return fd
    }

    static func send(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    /// Everything until the server closes (or the 10 s timeout).
    static func readAll(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return out }
            out.append(contentsOf: chunk[..<count])
        }
    }

    static func parse(_ bytes: [UInt8]) -> Response? {
        let crlf2: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<$0 + 4]) == crlf2 }) else { return nil }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, statusLine: lines[0], headers: headers, body: Array(bytes[(end + 4)...]))
    }

    /// Sends `request` as is on a new connection and reads the whole answer.
    static func exchange(port: UInt16, _ request: String) throws -> Response {
        let fd = try connect(port: port)
        defer { close(fd) }
        send(fd, request)
        let bytes = readAll(fd)
        guard let response = parse(bytes) else { throw Failure(call: "parse \(bytes.count) bytes: \(String(decoding: bytes.prefix(80), as: UTF8.self))", code: EPROTO) }
        return response
    }

    static func get(port: UInt16, _ target: String, method: String = "GET") throws -> Response {
        try exchange(port: port, "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: labgen-tests\r\n\r\n")
    }
}

/// Runs blocking test I/O on a thread of its own, never on the concurrency pool (which the
/// code under test and the other tests need).
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
