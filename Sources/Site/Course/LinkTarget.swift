import Foundation

/// What a link or image destination written in a page points at.
public enum LinkTarget: Sendable, Equatable {
    /// `https:`, `mailto:`, `//host`: not ours to check.
    case external
    /// `#anchor` on the same page.
    case anchor(String)
    /// A content file, relative to the root, with an optional `#fragment`.
    case file(path: String, fragment: String?)
    /// `/x`: breaks under `file://` and on sub-path hosts.
    case absolute
    /// `../` beyond the content root.
    case escapes
    case empty

    public static func classify(_ destination: String, from page: String) -> LinkTarget {
        if destination.isEmpty { return .empty }
        if destination.hasPrefix("#") { return .anchor(decoded(String(destination.dropFirst())) ?? "") }
        if destination.hasPrefix("//") || hasScheme(destination) { return .external }
        if destination.hasPrefix("/") { return .absolute }
        // Cut on bytes (`#` and `?` are ASCII): Character search was most of classifying.
        var rest = Substring(destination)
        var fragment: String?
        if let hash = rest.utf8.firstIndex(of: UInt8(ascii: "#")) {
            fragment = decoded(String(rest[rest.utf8.index(after: hash)...]))
            rest = rest[..<hash]
        }
        if let query = rest.utf8.firstIndex(of: UInt8(ascii: "?")) { rest = rest[..<query] }
        let path = decoded(String(rest)) ?? String(rest)
        switch ContentRoot.resolve(path, from: page) {
        case .escapes: return .escapes
        case .inside(let resolved): return .file(path: resolved, fragment: fragment)
        }
    }

    /// Percent-decoding through Foundation only when there is something to decode (most
    /// destinations have nothing, and the check decodes every one).
    static func decoded(_ s: String) -> String? {
        s.utf8.contains(UInt8(ascii: "%")) ? s.removingPercentEncoding : s
    }

    static func hasScheme(_ s: String) -> Bool {
        // Most destinations have no colon at all: answered on bytes.
        guard s.utf8.contains(UInt8(ascii: ":")) else { return false }
        guard let colon = s.firstIndex(of: ":"), colon != s.startIndex else { return false }
        let scheme = s[..<colon]
        return scheme.first!.isLetter && scheme.allSatisfy { $0.isLetter || $0.isNumber || "+.-".contains($0) }
    }
}
