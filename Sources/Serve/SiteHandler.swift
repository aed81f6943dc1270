import Foundation

/// Answers every request of `labgen serve`: the two `/__labgen/` endpoints, then the files
/// of the built site with their content type, HTML pages with the live-reload script added.
/// Runs on the connection's thread (it reads files): never on the concurrency pool.
struct SiteHandler: Sendable {
    var files: SiteFiles
    var status: BuildStatus

    /// HEAD gets the GET response; the server leaves its body out.
    func respond(to request: HTTPRequest) -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return Self.response(.methodNotAllowed, headers: [HTTPHeader("Allow", "GET, HEAD")])
        }
        let (version, error) = status.snapshot
        switch request.path {
        case LiveReload.versionPath:
            return Self.ok(LiveReload.versionJSON(version: version, error: error), type: "application/json")
        case LiveReload.eventsPath:
            return Self.events(status)
        case LiveReload.scriptPath:
            return Self.ok(Data(LiveReload.script.utf8), type: "text/javascript; charset=utf-8")
        default:
            break
        }
        switch files.lookup(request.path) {
        case .file(let relative, let url):
            guard var data = try? Data(contentsOf: url) else { return notFound(version) }
            let type = MIMEType.forPath(relative)
            if type.hasPrefix("text/html") { data = LiveReload.inject(into: data, version: version) }
            if Self.isFingerprinted(relative) {
                // Its name changes with its bytes: a reload need not fetch it again.
                return HTTPResponse(.ok, headers: [HTTPHeader("Content-Type", type),
                                                   HTTPHeader("Cache-Control", "max-age=31536000, immutable")], body: data)
            }
            return Self.ok(data, type: type)
        case .redirect(let location):
            // The decoded path, encoded again: a header is ASCII (`/été` → `/%C3%A9t%C3%A9`).
            let encoded = location.addingPercentEncoding(withAllowedCharacters: Self.pathAllowed) ?? "/"
            return Self.response(.movedPermanently, headers: [HTTPHeader("Location", encoded)])
        case .forbidden:
            return Self.response(.forbidden, type: "text/plain; charset=utf-8", body: Data("403 forbidden\n".utf8))
        case .notFound:
            return notFound(version)
        }
    }

    /// Server-Sent Events: the build status now, then each time it changes (a comment every
    /// 15 s finds clients gone away). Holds the connection's thread while the page is open.
    static func events(_ status: BuildStatus) -> HTTPResponse {
        response(.ok, type: "text/event-stream; charset=utf-8").streaming { send in
            func event(_ s: (version: Int, error: String?)) -> Data {
                Data("data: ".utf8) + LiveReload.versionJSON(version: s.version, error: s.error) + Data("\n\n".utf8)
            }
            var seen = status.snapshot
            guard send(Data("retry: 300\n\n".utf8) + event(seen)) else { return }
            while true {
                let now = status.next(after: seen, timeout: .seconds(15))
                let alive = now == seen ? send(Data(": still here\n\n".utf8)) : send(event(now))
                guard alive else { return }
                seen = now
            }
        }
    }

    /// A page (so the live script can show why, e.g. the first build failed), status 404.
    private func notFound(_ version: Int) -> HTTPResponse {
        let page = LiveReload.inject(into: LiveReload.placeholderPage(title: "404 — page introuvable"), version: version)
        return Self.response(.notFound, type: "text/html; charset=utf-8", body: page)
    }

    /// `assets/style.9e522771.css`: a name that holds the digest of the bytes (8 hex digits
    /// before the extension), as the build writes CSS and JS.
    static func isFingerprinted(_ relative: String) -> Bool {
        guard relative.hasPrefix("assets/") else { return false }
        let parts = relative.split(separator: "/").last?.split(separator: ".") ?? []
        guard parts.count >= 3 else { return false }
        let hash = parts[parts.count - 2]
        return hash.count == 8 && hash.allSatisfy(\.isHexDigit)
    }

    static func ok(_ data: Data, type: String) -> HTTPResponse {
        response(.ok, type: type, body: data)
    }

    /// Every answer says `no-store` (but fingerprinted assets, whose name changes with their
    /// bytes): a preview must never show a stale page or asset, and a cached 301 would
    /// outlive a folder turned into a page.
    static func response(_ status: HTTPStatus, type: String? = nil, headers: [HTTPHeader] = [], body: Data = Data()) -> HTTPResponse {
        var all = headers
        if let type { all.append(HTTPHeader("Content-Type", type)) }
        all.append(HTTPHeader("Cache-Control", "no-store"))
        return HTTPResponse(status, headers: all, body: body)
    }

    /// What a path may hold unencoded: RFC 3986 `pchar` and `/`.
    private static let pathAllowed = CharacterSet(charactersIn:
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/")
}
