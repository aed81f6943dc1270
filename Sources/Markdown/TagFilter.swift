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
