import LabgenCore

/// swift-mustache's HTML escaping (`String.htmlEscape` in its `String.swift`), on bytes: the
/// shape-compiled render (`ShapeCompiler`) escapes values itself and must write exactly what
/// mustache would. The bytes go through `HTMLEscaping` (with `'`); only the grapheme rule
/// below is mustache's own.
///
/// Mustache walks the string by `Character` and replaces `<` `>` `&` `"` `'` (with `&lt;`
/// `&gt;` `&amp;` `&quot;` `&#39;`) only where one stands alone as a grapheme cluster: `"`
/// followed by a combining accent, or `<` after a prepended mark, is one `Character` and is
/// kept as written. A special byte between ASCII bytes (or at an end) is always a cluster of
/// its own, so the common case is the byte escape; when a special byte touches a non-ASCII one
/// the string is walked by `Character` as mustache does.
enum MustacheEscaping {
    static func append(_ text: String, to out: inout [UInt8]) {
        let done = text.utf8.withContiguousStorageIfAvailable { appendBytes($0, to: &out) }
        if done == true { return }
        for c in text {
            switch c {
            case "<": out += [0x26, 0x6C, 0x74, 0x3B]                 // &lt;
            case ">": out += [0x26, 0x67, 0x74, 0x3B]                 // &gt;
            case "&": out += [0x26, 0x61, 0x6D, 0x70, 0x3B]           // &amp;
            case "\"": out += [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B]    // &quot;
            case "'": out += [0x26, 0x23, 0x33, 0x39, 0x3B]           // &#39;
            default: out += c.utf8
            }
        }
    }

    /// false when a special byte has a non-ASCII neighbour (nothing is appended then).
    private static func appendBytes(_ b: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        let n = b.count
        for i in 0..<n {
            switch b[i] {
            case 0x3C, 0x3E, 0x26, 0x22, 0x27:
                if (i > 0 && b[i - 1] >= 0x80) || (i + 1 < n && b[i + 1] >= 0x80) { return false }
            default: continue
            }
        }
        HTMLEscaping.appendEscaped(bytes: b, to: &out, apostrophe: true)
        return true
    }
}
