/// swift-mustache's HTML escaping (`String.htmlEscape` in its `String.swift`), on bytes: the
/// shape-compiled render (`ShapeCompiler`) escapes values itself and must write exactly what
/// mustache would.
///
/// Mustache walks the string by `Character` and replaces `<` `>` `&` `"` `'` (with `&lt;`
/// `&gt;` `&amp;` `&quot;` `&#39;`) only where one stands alone as a grapheme cluster: `"`
/// followed by a combining accent, or `<` after a prepended mark, is one `Character` and is
/// kept as written. A special byte between ASCII bytes (or at an end) is always a cluster of
/// its own, so the common case is a byte loop; when a special byte touches a non-ASCII one
/// the string is walked by `Character` as mustache does.
enum MustacheEscaping {
    static func append(_ text: String, to out: inout [UInt8]) {
        let start = out.count
        let done = text.utf8.withContiguousStorageIfAvailable { appendBytes($0, to: &out) }
        if done == true { return }
        out.removeSubrange(start...)
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

    /// false when a special byte has a non-ASCII neighbour (what was appended is then junk).
    private static func appendBytes(_ b: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        let n = b.count
        var copied = 0
        for i in 0..<n {
            let entity: [UInt8]
            switch b[i] {
            case 0x3C: entity = [0x26, 0x6C, 0x74, 0x3B]
            case 0x3E: entity = [0x26, 0x67, 0x74, 0x3B]
            case 0x26: entity = [0x26, 0x61, 0x6D, 0x70, 0x3B]
            case 0x22: entity = [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B]
            case 0x27: entity = [0x26, 0x23, 0x33, 0x39, 0x3B]
            default: continue
            }
            if (i > 0 && b[i - 1] >= 0x80) || (i + 1 < n && b[i + 1] >= 0x80) { return false }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied..<i]))
            out += entity
            copied = i + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied...]))
        return true
    }
}
