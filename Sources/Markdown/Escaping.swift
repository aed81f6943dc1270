/// The two escapes cmark-gfm's HTML renderer uses, byte for byte, so the Swift renderer's
/// output equals cmark's own.
public enum HTMLEscaping {
    /// `&`, `<`, `>`, `"` (cmark's `houdini_escape_html0`, non-secure mode).
    public static func escape(_ text: String) -> String {
        var out: [UInt8] = []
        appendEscaped(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendEscaped<S: Sequence>(_ text: S, to out: inout [UInt8]) where S.Element == UInt8 {
        if text.withContiguousStorageIfAvailable({ appendEscaped(bytes: $0, to: &out) }) != nil { return }
        for byte in text {
            switch byte {
            case UInt8(ascii: "&"): out += [0x26, 0x61, 0x6D, 0x70, 0x3B]            // &amp;
            case UInt8(ascii: "<"): out += [0x26, 0x6C, 0x74, 0x3B]                  // &lt;
            case UInt8(ascii: ">"): out += [0x26, 0x67, 0x74, 0x3B]                  // &gt;
            case UInt8(ascii: "\""): out += [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B]     // &quot;
            default: out.append(byte)
            }
        }
    }

    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        appendEscaped(text.utf8, to: &out)
    }

    /// The same escape over contiguous bytes, copying the runs between escaped bytes whole
    /// instead of appending byte by byte: every text, attribute and code line of a page goes
    /// through here.
    public static func appendEscaped(bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var copied = 0
        for i in 0..<bytes.count {
            let entity: StaticString
            switch bytes[i] {
            case UInt8(ascii: "&"): entity = "&amp;"
            case UInt8(ascii: "<"): entity = "&lt;"
            case UInt8(ascii: ">"): entity = "&gt;"
            case UInt8(ascii: "\""): entity = "&quot;"
            default: continue
            }
            if i > copied { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<i])) }
            out.append(contentsOf: UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
            copied = i + 1
        }
        if bytes.count > copied { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...])) }
    }

    /// URL escaping for `href`/`src` (cmark's `houdini_escape_href`): reserved characters
    /// kept, `&` and `'` as entities, everything else percent-encoded.
    public static func escapeHref(_ url: String) -> String {
        var out: [UInt8] = []
        appendHref(url, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendHref(_ url: String, to out: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in url.utf8 {
            if hrefSafe(byte) {
                out.append(byte)
            } else if byte == UInt8(ascii: "&") {
                out += Array("&amp;".utf8)
            } else if byte == UInt8(ascii: "'") {
                out += Array("&#x27;".utf8)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
    }

    private static func hrefSafe(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-_.+!*(),%#@?=;:/$~".utf8.contains(b)
        }
    }
}

/// GFM's tag filter: these tags are shown as text even in trusted raw HTML.
enum TagFilter {
    private static let tags: [[UInt8]] = ["title", "textarea", "style", "xmp", "iframe",
                                          "noembed", "noframes", "script", "plaintext"].map { Array($0.utf8) }

    /// Whether `data` (starting at a `<`) opens or closes a filtered tag.
    static func isFiltered(_ data: ArraySlice<UInt8>) -> Bool {
        tags.contains { isTag(data, $0) }
    }

    private static func isTag(_ data: ArraySlice<UInt8>, _ name: [UInt8]) -> Bool {
        // Most tags (`<ins>`, `<div>`, `<br>`) start with a letter no filtered tag starts
        // with: answered without copying (this runs on every `<` of every page's HTML).
        let letterAt = data.startIndex + (data.count > 1 && data[data.startIndex + 1] == UInt8(ascii: "/") ? 2 : 1)
        guard letterAt < data.endIndex, !name.isEmpty, data[letterAt] | 0x20 == name[0] else { return false }
        let d = Array(data.prefix(name.count + 4))
        guard data.count >= 3, d[0] == UInt8(ascii: "<") else { return false }
        var i = 1
        if d[i] == UInt8(ascii: "/") { i += 1 }
        for c in name {
            guard i < d.count else { return false }
            var lower = d[i]
            if lower >= 65 && lower <= 90 { lower += 32 }
            if lower != c { return false }
            i += 1
        }
        guard i < data.count, i < d.count else { return false }
        let next = d[i]
        if next == 32 || (next >= 9 && next <= 13) || next == UInt8(ascii: ">") { return true }
        if next == UInt8(ascii: "/"), i + 1 < d.count, d[i + 1] == UInt8(ascii: ">") { return true }
        return false
    }
}
