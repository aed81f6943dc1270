import Foundation

/// Maps a request path to a file of the built site, never outside it: `..` and `.` segments,
/// NUL bytes and backslashes are refused, and a symlink whose target leaves the site is
/// treated as missing. Directories serve their `index.html`.
public struct SiteFiles: Sendable {
    public var root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    public enum Lookup: Equatable, Sendable {
        /// A file to send: its site-relative path and its URL on disk.
        case file(String, URL)
        /// A directory asked for without its final `/`: redirect so relative links work.
        case redirect(String)
        case notFound
        case forbidden
    }

    /// `path` is the decoded URL path (`/labs/01.html`, `/`, `/labs/`).
    public func lookup(_ path: String) -> Lookup {
        if path.contains("\0") || path.contains("\\") { return .forbidden }
        var parts: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == ".." || part == "." { return .forbidden }
            parts.append(String(part))
        }
        let realRoot = root.resolvingSymlinksInPath().path
        var url = root
        for part in parts { url.appendPathComponent(part) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return .notFound }
        var relative = parts.joined(separator: "/")
        if isDirectory.boolValue {
            // Rebuilt from the segments, never `path + "/"`: `//labs` must not become
            // `Location: //labs/`, which a browser reads as the host "labs".
            if !path.hasSuffix("/") && !parts.isEmpty { return .redirect("/" + relative + "/") }
            url.appendPathComponent("index.html")
            relative = relative.isEmpty ? "index.html" : relative + "/index.html"
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { return .notFound }
        }
        let real = url.resolvingSymlinksInPath().path
        guard real.hasPrefix(realRoot + "/") else { return .notFound }
        return .file(relative, url)
    }
}
