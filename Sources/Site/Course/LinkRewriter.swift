import Foundation

/// Links between pages point at the generated `.html`: `../index.md#x` → `../index.html#x`.
public enum LinkRewriter {
    public static func rewrite(_ destination: String, from page: String) -> String {
        // Most destinations name no page: skip the classification.
        guard destination.utf8.count >= 3, destination.containsBytes(".md") else { return destination }
        guard case .file(let path, _) = LinkTarget.classify(destination, from: page), path.hasSuffix(".md") else {
            return destination
        }
        var end = destination.endIndex
        if let cut = destination.utf8.firstIndex(where: { $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "?") }) { end = cut }
        let pathPart = destination[..<end]
        guard pathPart.hasSuffix(".md") else { return destination }
        return pathPart.dropLast(3) + ".html" + destination[end...]
    }
}

/// The relative URL from one output file to another (`labs/a.html` → `../index.html`), so
/// the site works from `file://` and under any sub-path.
public func relativeURL(from: String, to: String) -> String {
    var fromParts = from.split(separator: "/").dropLast().map(String.init)
    var toParts = to.split(separator: "/").map(String.init)
    while let f = fromParts.first, let t = toParts.first, toParts.count > 1, f == t {
        fromParts.removeFirst()
        toParts.removeFirst()
    }
    return (Array(repeating: "..", count: fromParts.count) + toParts).joined(separator: "/")
}
