/// Content types by file extension for what a course site holds; anything else is served
/// as bytes (`application/octet-stream`), which browsers download rather than run.
public enum MIMEType {
    static let byExtension: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8", "json": "application/json",
        "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
        "gif": "image/gif", "webp": "image/webp", "ico": "image/x-icon", "avif": "image/avif",
        "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf",
        "txt": "text/plain; charset=utf-8", "md": "text/plain; charset=utf-8",
        "sh": "text/plain; charset=utf-8", "yaml": "text/plain; charset=utf-8", "yml": "text/plain; charset=utf-8",
        "conf": "text/plain; charset=utf-8", "go": "text/plain; charset=utf-8", "c": "text/plain; charset=utf-8",
        "h": "text/plain; charset=utf-8", "py": "text/plain; charset=utf-8",
        "pcap": "application/vnd.tcpdump.pcap", "pcapng": "application/octet-stream",
        "pdf": "application/pdf", "xml": "application/xml", "wasm": "application/wasm",
        "zip": "application/zip", "gz": "application/gzip", "tar": "application/x-tar",
    ]

    /// `labs/01.html` → `text/html; charset=utf-8`.
    public static func forPath(_ path: String) -> String {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return "application/octet-stream" }
        return byExtension[path[path.index(after: dot)...].lowercased()] ?? "application/octet-stream"
    }
}
