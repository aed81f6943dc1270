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
    /// One pass over the bytes: this runs on every page of every edition.
    func fingerprintReferences(_ html: String) -> String {
        var renames: [ArraySlice<UInt8>: [UInt8]] = [:]
        for (name, published) in assetURLs where published != "assets/" + name {
            renames[ArraySlice(Array(name.utf8))] = Array(published.utf8)
        }
        guard !renames.isEmpty else { return html }
        let bytes = Array(html.utf8)
        let prefix = Array("assets/".utf8)
        let quote = UInt8(ascii: "\""), slash = UInt8(ascii: "/")
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var copied = 0
        var i = 0
        let n = bytes.count
        while i + prefix.count < n {
            guard bytes[i] == prefix[0], i > 0, bytes[i - 1] == quote || bytes[i - 1] == slash,
                  bytes[i..<(i + prefix.count)].elementsEqual(prefix) else { i += 1; continue }
            let nameStart = i + prefix.count
            var j = nameStart
            while j < n, j - nameStart < 128, bytes[j] != quote, bytes[j] != UInt8(ascii: "<"), bytes[j] != slash { j += 1 }
            if j < n, bytes[j] == quote, let published = renames[bytes[nameStart..<j]] {
                out += bytes[copied..<i]
                out += published
                copied = j
            }
            i = j
        }
        if copied == 0 { return html }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }
}

extension Fingerprint {
    /// CSS and JS get content-hashed names; images and fonts keep theirs, so `url(…)` in a
    /// stylesheet still finds them.
    public static func isFingerprinted(_ name: String) -> Bool {
        name.hasSuffix(".css") || name.hasSuffix(".js")
    }
}
