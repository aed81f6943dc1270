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
    func fingerprintReferences(_ html: [UInt8]) -> Data {
        html.withUnsafeBytes { Self.fingerprintReferences($0, renames: renames) }
    }

    /// The same, for the few callers that hold a `String` (the sidebar list, the handout).
    func fingerprintReferences(_ html: String) -> String {
        var html = html
        let renames = self.renames
        guard !renames.isEmpty else { return html }
        return String(decoding: html.withUTF8 { Self.fingerprintReferences(UnsafeRawBufferPointer($0), renames: renames) },
                      as: UTF8.self)
    }

    /// (name, published name) for every asset published under another name.
    private var renames: [(name: [UInt8], published: [UInt8])] {
        assetURLs.filter { $0.value != "assets/" + $0.key }.map { (Array($0.key.utf8), Array($0.value.utf8)) }
    }

    private static func fingerprintReferences(_ bytes: UnsafeRawBufferPointer,
                                              renames: [(name: [UInt8], published: [UInt8])]) -> Data {
        guard !renames.isEmpty, let base = bytes.baseAddress else { return Data(bytes) }
        let quote = UInt8(ascii: "\""), slash = UInt8(ascii: "/"), prefixLength = 7
        var out = Data()
        var copied = 0
        var i = 0
        let n = bytes.count
        // An occurrence needs a byte after it, one before it, and that one a quote or a slash.
        while let at = findAssetsPrefix(bytes, from: i), at + prefixLength < n {
            guard at > 0, bytes[at - 1] == quote || bytes[at - 1] == slash else { i = at + 1; continue }
            let nameStart = at + prefixLength
            var j = nameStart
            while j < n, j - nameStart < 128, bytes[j] != quote, bytes[j] != UInt8(ascii: "<"), bytes[j] != slash { j += 1 }
            if j < n, bytes[j] == quote,
               let published = renames.first(where: { $0.name.count == j - nameStart && memcmp(base + nameStart, $0.name, $0.name.count) == 0 })?.published {
                if out.isEmpty { out.reserveCapacity(n + 64) }
                out.append(base.assumingMemoryBound(to: UInt8.self) + copied, count: at - copied)
                out.append(contentsOf: published)
                copied = j
            }
            i = j
        }
        if copied == 0 { return Data(bytes) }
        out.append(base.assumingMemoryBound(to: UInt8.self) + copied, count: n - copied)
        return out
    }

    /// The first `assets/` at or after `start`: sixteen positions at a time, those holding
    /// an `a` with a `/` six bytes on, each candidate then compared whole.
    static func findAssetsPrefix(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let n = bytes.count
        guard let base = bytes.baseAddress, start + 7 <= n else { return nil }
        let needle: [UInt8] = Array("assets/".utf8)
        let first = SIMD16<UInt8>(repeating: needle[0]), last = SIMD16<UInt8>(repeating: needle[6])
        var i = start
        while i + 16 + 6 <= n {
            let lead = base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            let tail = base.loadUnaligned(fromByteOffset: i + 6, as: SIMD16<UInt8>.self)
            let candidates = (lead .== first) .& (tail .== last)
            if any(candidates) {
                for k in 0..<16 where candidates[k] && memcmp(base + i + k, needle, 7) == 0 { return i + k }
            }
            i += 16
        }
        while i + 7 <= n {
            if memcmp(base + i, needle, 7) == 0 { return i }
            i += 1
        }
        return nil
    }
}

extension Fingerprint {
    /// CSS and JS get content-hashed names; images and fonts keep theirs, so `url(…)` in a
    /// stylesheet still finds them.
    public static func isFingerprinted(_ name: String) -> Bool {
        name.hasSuffix(".css") || name.hasSuffix(".js")
    }
}
