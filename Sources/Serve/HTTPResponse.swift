import Foundation
import Glibc

/// A whole response, body in memory: a course page or asset is small, and knowing the body
/// up front gives an exact `Content-Length`, the same for GET and HEAD.
struct HTTPResponse: Sendable {
    var status: HTTPStatus
    var headers: [HTTPHeader]
    var body: Data
    /// A response sent as it is made (Server-Sent Events): called after the head with a
    /// function that sends bytes and says whether the client still takes them; the
    /// connection closes when it returns. No `Content-Length` then: the close ends the body.
    var stream: (@Sendable (_ send: (Data) -> Bool) -> Void)?

    init(_ status: HTTPStatus, headers: [HTTPHeader] = [], body: Data = Data(),
         stream: (@Sendable (_ send: (Data) -> Bool) -> Void)? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.stream = stream
    }

    /// What the server answers on its own (a bad or oversized head, a timeout).
    static func error(_ status: HTTPStatus, headers: [HTTPHeader] = []) -> HTTPResponse {
        HTTPResponse(status, headers: headers + [HTTPHeader("Content-Type", "text/plain; charset=utf-8")],
                     body: Data("\(status)\n".utf8))
    }

    /// The answer to a request whose `Host` is not this server's loopback address.
    static func misdirected(port: UInt16) -> HTTPResponse {
        HTTPResponse(.misdirectedRequest, headers: [HTTPHeader("Content-Type", "text/plain; charset=utf-8")],
                     body: Data("421 Misdirected Request: labgen serve answers only http://127.0.0.1:\(port)/ (or localhost:\(port))\n".utf8))
    }

    /// The bytes on the wire. `Content-Length` is always the body's (RFC 9110 §9.3.2: HEAD
    /// announces what GET would send) while `includingBody: false` leaves the body out.
    /// `Connection: close`: one request per connection keeps the server free of any
    /// keep-alive or pipelining state, and browsers simply open another connection.
    /// Header values are cleared of CR and LF, so no value can add a header line.
    func encoded(includingBody: Bool, date: String = HTTPResponse.date()) -> Data {
        var head = "HTTP/1.1 \(status.code) \(status.reason)\r\n"
        for header in headers {
            // By scalar: "\r\n" is one Character, which a Character filter would keep.
            let value = String(String.UnicodeScalarView(header.value.unicodeScalars.filter { $0 != "\r" && $0 != "\n" }))
            head += "\(header.name): \(value)\r\n"
        }
        if stream == nil { head += "Content-Length: \(body.count)\r\n" }
        head += "Connection: close\r\nDate: \(date)\r\n\r\n"
        var out = Data(head.utf8)
        if includingBody { out.append(body) }
        return out
    }

    /// Now as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7), which an
    /// origin server with a clock must send. Formatted by hand: no locale can change it.
    static func date(_ time: Date = Date()) -> String {
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var seconds = time_t(time.timeIntervalSince1970.rounded(.down))
        var t = tm()
        gmtime_r(&seconds, &t)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[Int(t.tm_wday)]), \(two(t.tm_mday)) \(months[Int(t.tm_mon)]) \(t.tm_year + 1900) "
            + "\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec)) GMT"
    }
}

extension HTTPResponse {
    /// This response's head with `stream` making its body.
    func streaming(_ stream: @escaping @Sendable (_ send: (Data) -> Bool) -> Void) -> HTTPResponse {
        var copy = self
        copy.stream = stream
        return copy
    }
}
