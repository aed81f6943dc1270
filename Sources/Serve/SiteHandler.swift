import FlyingFox
import Foundation

/// Answers every request of `labgen serve`: the two `/__labgen/` endpoints, then the files
/// of the built site with their content type, HTML pages with the live-reload script added.
struct SiteHandler: HTTPHandler {
    var files: SiteFiles
    var status: BuildStatus

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.method == .GET || request.method == .HEAD else {
            return HTTPResponse(statusCode: .methodNotAllowed, headers: HTTPHeaders([HTTPHeader("Allow"): "GET, HEAD"]))
        }
        let response = await respond(request.path)
        guard request.method == .HEAD else { return response }
        return HTTPResponse(statusCode: response.statusCode, headers: response.headers)
    }

    private func respond(_ path: String) async -> HTTPResponse {
        let (version, error) = await status.snapshot
        switch path {
        case LiveReload.versionPath:
            return Self.ok(LiveReload.versionJSON(version: version, error: error), type: "application/json")
        case LiveReload.scriptPath:
            return Self.ok(Data(LiveReload.script.utf8), type: "text/javascript; charset=utf-8")
        default:
            break
        }
        switch files.lookup(path) {
        case .file(let relative, let url):
            guard var data = try? Data(contentsOf: url) else { return notFound(version) }
            let type = MIMEType.forPath(relative)
            if type.hasPrefix("text/html") { data = LiveReload.inject(into: data, version: version) }
            return Self.ok(data, type: type)
        case .redirect(let location):
            return HTTPResponse(statusCode: .movedPermanently, headers: HTTPHeaders([.location: location]))
        case .forbidden:
            return HTTPResponse(statusCode: .forbidden, headers: HTTPHeaders([.contentType: "text/plain; charset=utf-8"]),
                                body: Data("403 forbidden\n".utf8))
        case .notFound:
            return notFound(version)
        }
    }

    /// A page (so the live script can show why, e.g. the first build failed), status 404.
    private func notFound(_ version: Int) -> HTTPResponse {
        let page = LiveReload.inject(into: LiveReload.placeholderPage(title: "404 — page introuvable"), version: version)
        return HTTPResponse(statusCode: .notFound, headers: HTTPHeaders([.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]),
                            body: page)
    }

    static func ok(_ data: Data, type: String) -> HTTPResponse {
        // A preview must never show a stale page or asset.
        HTTPResponse(statusCode: .ok, headers: HTTPHeaders([.contentType: type, .cacheControl: "no-store"]), body: data)
    }
}
