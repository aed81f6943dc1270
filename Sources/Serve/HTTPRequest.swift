/// The head of a request (request line and header fields): all `labgen serve` reads. A body,
/// should a client send one, is never looked at; the connection closes after the response.
struct HTTPRequest: Sendable, Equatable {
    /// As sent; methods are case-sensitive (`get` is not `GET`).
    var method: String
    /// The request target as sent, e.g. `/labs/%C3%A9t%C3%A9.html?x=1`.
    var target: String
    /// `HTTP/1.1` or `HTTP/1.0`.
    var version: String
    var headers: [HTTPHeader]
    /// The target's path, query removed, percent-decoded (`/labs/été.html`): what
    /// `SiteFiles.lookup` takes. A final `/` is kept, since it tells a directory's page from
    /// a redirect to it. Dot segments are left for `SiteFiles` to refuse.
    var path: String
}

/// Why a request head is refused; the connection answers `status` and closes.
struct HTTPRequestError: Error, Equatable, CustomStringConvertible {
    var status: HTTPStatus
    var reason: String

    static func malformed(_ reason: String) -> HTTPRequestError { .init(status: .badRequest, reason: reason) }

    var description: String { "\(status): \(reason)" }
}

extension HTTPRequest {
    /// Parses a complete head: the bytes before the empty line that ends it. Lines end with
    /// CRLF or a bare LF (RFC 9112 §2.2 lets a server accept the latter); anything the RFC
    /// says to reject (a space before a field's colon, obsolete line folding, a missing or
    /// repeated `Host` in HTTP/1.1) is a 400, so there is one reading of every request.
    init(head: some Sequence<UInt8>) throws(HTTPRequestError) {
        var lines = Array(head).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...]
        }
        // A client may send an empty line before the request line (RFC 9112 §2.2).
        while lines.first?.isEmpty == true { lines.removeFirst() }
        guard let requestLine = lines.first else { throw .malformed("empty request") }

        let parts = requestLine.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { throw .malformed("request line is not METHOD TARGET VERSION") }
        guard parts[0].allSatisfy(Self.isTokenByte) else { throw .malformed("bad method") }
        guard parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .malformed("bad request target") }
        method = String(decoding: parts[0], as: UTF8.self)
        target = String(decoding: parts[1], as: UTF8.self)
        version = String(decoding: parts[2], as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            if version.utf8.count == 8, version.hasPrefix("HTTP/"), version.utf8.allSatisfy({ $0 < 0x80 }) {
                throw HTTPRequestError(status: .versionNotSupported, reason: "only HTTP/1.x is spoken")
            }
            throw .malformed("bad HTTP version")
        }

        headers = []
        for line in lines.dropFirst() {
            guard let first = line.first, first != UInt8(ascii: " "), first != UInt8(ascii: "\t") else {
                throw .malformed(line.isEmpty ? "empty line inside the head" : "obsolete line folding")
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .malformed("header field without a colon") }
            let name = line[..<colon]
            guard !name.isEmpty, name.allSatisfy(Self.isTokenByte) else { throw .malformed("bad header field name") }
            let value = line[line.index(after: colon)...].trimming { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            guard value.allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == UInt8(ascii: "\t") }) else {
                throw .malformed("control character in a header field value")
            }
            headers.append(HTTPHeader(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
        }
        let hosts = headers.filter { $0.name.lowercased() == "host" }.count
        if version == "HTTP/1.1" && hosts != 1 || hosts > 1 { throw .malformed("HTTP/1.1 needs exactly one Host field") }

        path = try Self.decodedPath(of: target)
    }

    /// `/a%20b/?q=1` → `/a b/`. The absolute form (`http://host/a`, RFC 9112 §3.2.2) is
    /// accepted too. A `%` not followed by two hex digits, or bytes that are not UTF-8 once
    /// decoded, are a 400: there is no file name to look for.
    static func decodedPath(of target: String) throws(HTTPRequestError) -> String {
        var raw = Substring(target)
        for scheme in ["http://", "https://"] where raw.lowercased().hasPrefix(scheme) {
            raw = raw.dropFirst(scheme.count)
            raw = raw.firstIndex(of: "/").map { raw[$0...] } ?? "/"
        }
        guard raw.first == "/" else { throw .malformed("request target is not a path") }
        if let end = raw.firstIndex(where: { $0 == "?" || $0 == "#" }) { raw = raw[..<end] }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        var utf8 = raw.utf8.makeIterator()
        while let byte = utf8.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = utf8.next().flatMap(Self.hexValue), let low = utf8.next().flatMap(Self.hexValue) else {
                throw .malformed("bad percent-encoding in the path")
            }
            bytes.append(high << 4 | low)
        }
        guard let path = String(validating: bytes, as: UTF8.self) else { throw .malformed("path is not UTF-8") }
        return path
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `tchar` of RFC 9110 §5.6.2: what a method or a field name is made of.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

private extension ArraySlice<UInt8> {
    func trimming(_ drop: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        var out = self
        while let first = out.first, drop(first) { out = out.dropFirst() }
        while let last = out.last, drop(last) { out = out.dropLast() }
        return out
    }
}

extension HTTPRequest {
    /// Whether the request names this server: `Host` (and an absolute-form target's
    /// authority) is `127.0.0.1`, `localhost` or `[::1]`, with `port` (no port means 80).
    /// A browser always sends the name it resolved, so a page of another site whose name was
    /// rebound to 127.0.0.1 (DNS rebinding) is told apart here. An HTTP/1.0 request without
    /// `Host` is no browser's and is let through.
    func isAddressed(toLoopbackPort port: UInt16) -> Bool {
        var authorities = headers.filter { $0.name.lowercased() == "host" }.map(\.value)
        for scheme in ["http://", "https://"] where target.lowercased().hasPrefix(scheme) {
            let rest = target.dropFirst(scheme.count)
            authorities.append(String(rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }))
        }
        return authorities.allSatisfy { Self.isLoopback(authority: $0, port: port) }
    }

    static func isLoopback(authority: String, port: UInt16) -> Bool {
        let lowered = authority.lowercased()
        for host in ["127.0.0.1", "localhost", "[::1]"] where lowered.hasPrefix(host) {
            let rest = lowered.dropFirst(host.count)
            if rest.isEmpty { return port == 80 }
            return rest == ":\(port)"
        }
        return false
    }
}
