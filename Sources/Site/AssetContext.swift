import Foundation

/// Asset URLs in pages: templates and fenced-block handlers write `assets/style.css`; the
/// published file is `assets/style.<hash>.css`, and every page is rewritten to match.
extension Templates {
    /// `asset.<name_ext>` for one file (`{{asset.style_css}}`, already fingerprinted) and
    /// `searchIndex`, both relative to the page.
    func assetContext(root: String, searchIndex: String?) -> [String: Any] {
        var byKey: [String: String] = [:]
        for (name, url) in assetURLs {
            byKey[String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })] = root + url
        }
        var context: [String: Any] = ["asset": byKey]
        if let searchIndex { context["searchIndex"] = root + searchIndex }
        return context
    }

    /// `"assets/trace.css"` and `…/assets/trace.css"` in attribute values become the
    /// fingerprinted name, whoever wrote them (layout, partials, a block handler's fragment).
    func fingerprintReferences(_ html: String) -> String {
        var out = html
        for name in assetURLs.keys.sorted() {
            let published = assetURLs[name]!
            guard published != "assets/" + name, out.contains(name) else { continue }
            out = out.replacingOccurrences(of: "/assets/\(name)\"", with: "/\(published)\"")
                .replacingOccurrences(of: "\"assets/\(name)\"", with: "\"\(published)\"")
        }
        return out
    }
}

extension Fingerprint {
    /// CSS and JS get content-hashed names; images and fonts keep theirs, so `url(…)` in a
    /// stylesheet still finds them.
    public static func isFingerprinted(_ name: String) -> Bool {
        name.hasSuffix(".css") || name.hasSuffix(".js")
    }
}
