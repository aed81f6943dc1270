/// The one HTML escaper of labgen: markdown text, code, attributes, facts values, packet
/// fields and template values all go through here. Its default is cmark-gfm's own escape
/// (`houdini_escape_html0`, non-secure mode: `&`, `<`, `>`, `"`), so the Swift renderer's
/// output equals cmark's byte for byte; `apostrophe: true` also writes `'` as `&#39;`, as
/// swift-mustache does and as text that may land in a single-quoted attribute needs.
public enum HTMLEscaping {
    /// `text` escaped.
    /// - Parameters:
    ///   - text: any text.
    ///   - apostrophe: also escape `'`.
    public static func escape(_ text: String, apostrophe: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        appendEscaped(text.utf8, to: &out, apostrophe: apostrophe)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text` escaped to `out`.
    /// - Parameters:
    ///   - text: UTF-8 bytes.
    ///   - out: the output buffer.
    ///   - apostrophe: also escape `'`.
    @inlinable
    public static func appendEscaped<S: Sequence>(_ text: S, to out: inout [UInt8], apostrophe: Bool = false) where S.Element == UInt8 {
        if text.withContiguousStorageIfAvailable({ appendEscaped(bytes: $0, to: &out, apostrophe: apostrophe) }) != nil { return }
        Array(text).withUnsafeBufferPointer { appendEscaped(bytes: $0, to: &out, apostrophe: apostrophe) }
    }

    /// Appends `text` escaped to `out`.
    /// - Parameters:
    ///   - text: any text.
    ///   - out: the output buffer.
    ///   - apostrophe: also escape `'`.
    public static func appendEscaped(_ text: String, to out: inout [UInt8], apostrophe: Bool = false) {
        var text = text
        text.withUTF8 { appendEscaped(bytes: $0, to: &out, apostrophe: apostrophe) }
    }

    /// The escape over contiguous bytes, copying the runs between escaped bytes whole instead
    /// of appending byte by byte: every text, attribute and code line of a page goes through here.
    /// - Parameters:
    ///   - bytes: UTF-8 bytes.
    ///   - out: the output buffer.
    ///   - apostrophe: also escape `'`.
    public static func appendEscaped(bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], apostrophe: Bool = false) {
        var copied = 0
        for i in 0..<bytes.count {
            let entity: StaticString
            switch bytes[i] {
            case UInt8(ascii: "&"): entity = "&amp;"
            case UInt8(ascii: "<"): entity = "&lt;"
            case UInt8(ascii: ">"): entity = "&gt;"
            case UInt8(ascii: "\""): entity = "&quot;"
            case UInt8(ascii: "'") where apostrophe: entity = "&#39;"
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
    /// - Parameters:
    ///   - url: a link destination.
    public static func escapeHref(_ url: String) -> String {
        var out: [UInt8] = []
        appendHref(url, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `url` escaped for an `href`/`src` attribute to `out`.
    /// - Parameters:
    ///   - url: a link destination.
    ///   - out: the output buffer.
    public static func appendHref(_ url: String, to out: inout [UInt8]) {
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
