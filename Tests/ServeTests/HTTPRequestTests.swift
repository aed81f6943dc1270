import Foundation
import Testing
@testable import Serve

/// Parsing request heads and encoding responses, on bytes alone.
@Suite struct HTTPRequestTests {
    func parse(_ text: String) throws(HTTPRequestError) -> HTTPRequest {
        try HTTPRequest(head: Array(text.utf8))
    }

    @Test func pathIsDecodedWithoutItsQuery() throws {
        let request = try parse("GET /labs/%C3%A9t%C3%A9%20%C3%A0%202.html?x=%41#f HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nAccept: */*\r")
        #expect(request.method == "GET" && request.version == "HTTP/1.1")
        #expect(request.target == "/labs/%C3%A9t%C3%A9%20%C3%A0%202.html?x=%41#f")
        #expect(request.path == "/labs/été à 2.html")
        #expect(request.headers == [HTTPHeader("Host", "127.0.0.1:8000"), HTTPHeader("Accept", "*/*")])
        #expect(request.headers["host"] == "127.0.0.1:8000" && request.headers["HOST"] == "127.0.0.1:8000")
        #expect(try HTTPRequest.decodedPath(of: "/labs/") == "/labs/", "the final slash stays: it tells a page from a redirect")
        #expect(try HTTPRequest.decodedPath(of: "/a+b%2Fc") == "/a+b/c", "+ is a plus in a path")
        #expect(try HTTPRequest.decodedPath(of: "/a/%2e%2e/b") == "/a/../b", "dot segments are left for SiteFiles to refuse")
        #expect(try HTTPRequest.decodedPath(of: "/%00") == "/\0")
        #expect(try HTTPRequest.decodedPath(of: "HTTP://Host:1/x?y") == "/x")
        #expect(try HTTPRequest.decodedPath(of: "http://host") == "/")
        #expect(throws: HTTPRequestError.self) { try HTTPRequest.decodedPath(of: "*") }
        #expect(throws: HTTPRequestError.self) { try HTTPRequest.decodedPath(of: "/%e9t%e9") }     // Latin-1, not UTF-8
    }

    @Test func headerValuesAreTrimmedAndChecked() throws {
        let request = try parse("HEAD / HTTP/1.0\r\nX-A:\t spaced \t\r\nX-Empty:\r")
        #expect(request.headers == [HTTPHeader("X-A", "spaced"), HTTPHeader("X-Empty", "")])
        #expect(throws: HTTPRequestError.malformed("control character in a header field value")) {
            try parse("GET / HTTP/1.0\r\nX-A: a\u{1}b\r")
        }
        #expect(throws: HTTPRequestError.malformed("bad header field name")) { try parse("GET / HTTP/1.0\r\nX-A : b\r") }
        #expect(throws: HTTPRequestError.malformed("obsolete line folding")) { try parse("GET / HTTP/1.0\r\nX-A: b\r\n c\r") }
        #expect(throws: HTTPRequestError(status: .versionNotSupported, reason: "only HTTP/1.x is spoken")) { try parse("GET / HTTP/3.0") }
        #expect(throws: HTTPRequestError.malformed("bad HTTP version")) { try parse("GET / HTTX/1.1") }
        #expect(throws: HTTPRequestError.malformed("empty request")) { try parse("\r\n") }
    }

    @Test func theHeadEndsAtTheFirstEmptyLine() {
        let crlf = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\nbody".utf8)
        #expect(HTTPConnection.headEnd(in: crlf, from: 0)! == (24, 27))
        let lf = Array("GET / HTTP/1.1\nHost: a\n\nbody".utf8)
        #expect(HTTPConnection.headEnd(in: lf, from: 0)! == (22, 24))
        #expect(HTTPConnection.headEnd(in: Array("GET / HTTP/1.1\r\nHost: a\r\n".utf8), from: 0) == nil)
        #expect(HTTPConnection.headEnd(in: Array("GET / HTTP/1.1\r\nHost: a\r\n\r".utf8), from: 0) == nil)
    }

    @Test func responsesOnTheWire() {
        var response = HTTPResponse(.movedPermanently, headers: [HTTPHeader("Location", "/a\r\nSet-Cookie: x")], body: Data("abc".utf8))
        let date = HTTPResponse.date(Date(timeIntervalSince1970: 784_111_777))
        #expect(date == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(String(decoding: response.encoded(includingBody: true, date: date), as: UTF8.self) ==
            "HTTP/1.1 301 Moved Permanently\r\nLocation: /aSet-Cookie: x\r\nContent-Length: 3\r\nConnection: close\r\nDate: \(date)\r\n\r\nabc")
        response.headers = []
        #expect(String(decoding: response.encoded(includingBody: false, date: date), as: UTF8.self) ==
            "HTTP/1.1 301 Moved Permanently\r\nContent-Length: 3\r\nConnection: close\r\nDate: \(date)\r\n\r\n")
    }
}
