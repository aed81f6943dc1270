import Foundation
import Markdown

/// The offline search index: one entry per page section (the text before the first `##`,
/// then each `##` / `###` section), written as a script (`fetch()` of JSON is refused on
/// `file://`, a `<script src>` is not). Accent folding happens in the browser on both the
/// query and the text, so snippets keep the accents.
public struct SearchIndex: Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        /// `labs/01-dsr.html#creation-du-cluster`, relative to the site root.
        public var url: String
        public var page: String
        /// Empty for a page's introduction.
        public var heading: String
        public var text: String
    }

    public var entries: [Entry]

    /// The global the script defines; `site.js` reads it.
    public static let variable = "labgenSearchIndex"

    /// From each page's own entries (an incremental build keeps them for unchanged pages).
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// The JSON fragment of a page's sections (`fragmentBytes` of its entries): the text
    /// before the first `##`, then each `##` / `###` section, with the page title and the
    /// section's URL; a section's text is its blocks' readable text, trimmed. Gathered,
    /// trimmed and escaped as bytes in one buffer, not a `String` per section trimmed and
    /// copied.
    public static func fragmentBytes(of page: FilledPage) -> [UInt8] {
        let url = page.source.outputPath
        var out: [UInt8] = []
        var text: [UInt8] = []
        text.reserveCapacity(page.source.markdown.utf8.count)
        out.reserveCapacity(page.source.markdown.utf8.count + 256)
        var anchor = url
        var heading = ""
        var first = true
        func flush() {
            let kept = trimmedRange(text)
            if !kept.isEmpty || !heading.isEmpty {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                text.withUnsafeBufferPointer {
                    appendEntry(heading: heading, page: page.title, text: UnsafeBufferPointer(rebasing: $0[kept]), url: anchor, to: &out)
                }
            }
            text.removeAll(keepingCapacity: true)
        }
        for block in page.document.root.children {
            if case .heading(let level, let id) = block.kind, level == 2 || level == 3 {
                flush()
                anchor = url + (id.map { "#" + $0 } ?? "")
                heading = block.plainText
                continue
            }
            if case .heading(1, _) = block.kind { continue }
            appendText(block, to: &text)
        }
        flush()
        return out
    }

    /// The range left once White_Space and U+200B are cut at both ends: what
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` leaves (tested), without NSString.
    static func trimmedRange(_ bytes: [UInt8]) -> Range<Int> {
        func isSpace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace || c.value == 0x200B }
        // The scalar starting at `i` and its length (the bytes are valid UTF-8: they are
        // strings' code units).
        func scalar(at i: Int) -> (Unicode.Scalar, Int) {
            let b = bytes[i]
            let n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
            var value = n == 1 ? UInt32(b) : UInt32(b) & (0xFF >> (n + 1))
            for k in 1..<max(n, 1) where i + k < bytes.count { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
            return (Unicode.Scalar(value) ?? "\u{FFFD}", n)
        }
        var start = 0
        while start < bytes.count {
            let (c, n) = scalar(at: start)
            guard isSpace(c) else { break }
            start += n
        }
        var end = bytes.count
        while end > start {
            var i = end - 1
            while i > start && bytes[i] & 0xC0 == 0x80 { i -= 1 }
            guard isSpace(scalar(at: i).0) else { break }
            end = i
        }
        return start..<end
    }

    /// Readable text of a block: words of adjacent blocks and cells never run together.
    static func appendText(_ node: Node, to out: inout [UInt8]) {
        switch node.kind {
        case .text(let s), .code(let s): out += s.utf8; return
        case .softBreak, .lineBreak: out.append(0x20); return
        case .codeBlock(let block): out += block.literal.utf8; out.append(0x20); return
        case .htmlBlock, .htmlInline, .customBlock: return
        default: break
        }
        for i in node.children.indices { appendText(node.children[i], to: &out) }
        if node.kind.isBlock { out.append(0x20) }
    }

    /// The JSON of some entries without the array's brackets (a page's fragment): the bytes
    /// `JSONEncoder` writes with `.sortedKeys` and `.withoutEscapingSlashes` (tested against
    /// it), written directly (the encoder was most of the search index's cost).
    public static func fragment(_ entries: [Entry]) -> String {
        String(decoding: fragmentBytes(entries), as: UTF8.self)
    }

    /// The same as bytes, as the shards store them.
    public static func fragmentBytes(_ entries: [Entry]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.reduce(0) { $0 + $1.url.utf8.count + $1.page.utf8.count + $1.heading.utf8.count + $1.text.utf8.count + 48 })
        for (i, entry) in entries.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            var text = entry.text
            text.withUTF8 { appendEntry(heading: entry.heading, page: entry.page, text: $0, url: entry.url, to: &out) }
        }
        return out
    }

    /// One entry's object, keys sorted as `JSONEncoder` with `.sortedKeys` writes them.
    private static func appendEntry(heading: String, page: String, text: UnsafeBufferPointer<UInt8>, url: String,
                                    to out: inout [UInt8]) {
        out += #"{"heading":"#.utf8; appendJSONString(heading, to: &out)
        out += #","page":"#.utf8; appendJSONString(page, to: &out)
        out += #","text":"#.utf8; appendJSONString(bytes: text, to: &out)
        out += #","url":"#.utf8; appendJSONString(url, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// A JSON string as Foundation's writer escapes it: `"` and `\`, the short escapes
    /// `\b \f \n \r \t`, other control characters as `\u00xx` (lower-case hex), the rest
    /// (slashes, non-ASCII) as is. Runs without escapes are copied whole.
    static func appendJSONString(_ string: String, to out: inout [UInt8]) {
        var string = string
        string.withUTF8 { appendJSONString(bytes: $0, to: &out) }
    }

    static func appendJSONString(bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var copied = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<i]))
            copied = i + 1
            switch b {
            case UInt8(ascii: "\""): out += #"\""#.utf8
            case UInt8(ascii: "\\"): out += #"\\"#.utf8
            case 0x08: out += #"\b"#.utf8
            case 0x0C: out += #"\f"#.utf8
            case 0x0A: out += #"\n"#.utf8
            case 0x0D: out += #"\r"#.utf8
            case 0x09: out += #"\t"#.utf8
            default:
                let hex = Array("0123456789abcdef".utf8)
                out += #"\u00"#.utf8
                out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0xF)])
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
        out.append(UInt8(ascii: "\""))
    }

    /// `assets/search-index.js`, in every page: only the list of shards (below), which
    /// `site.js` loads with `<script>` elements on the first search (a `<script src>` works
    /// from `file://`, `fetch()` does not). Not fingerprinted: its name is in every page.
    public static let path = "assets/search-index.js"
    /// Pages per shard: a one-page edit rewrites one shard, not the whole course's text.
    public static let pagesPerShard = 50

    public static func shardPath(_ k: Int) -> String { "assets/search/\(k).js" }

    public static func manifest(shards: Int) -> OutputFile {
        let list = (0..<shards).map { "\"" + shardPath($0) + "\"" }.joined(separator: ",")
        return OutputFile(path: path, contents: Data("window.labgenSearchShards = [\(list)];\n".utf8))
    }

    /// Shard `k`: one line per page (its entries as a JSON array), so that an incremental
    /// build can take the lines of pages it did not rebuild from the shard on disk.
    public static func shard(_ k: Int, fragments: [[UInt8]]) -> OutputFile {
        shard(k, lines: fragments.map { line($0)[...] })
    }

    /// Shard `k` from its pages' lines as `line(_:)` makes them (or as read back by
    /// `lines(inShard:_:count:)`): copied, not escaped again.
    public static func shard(_ k: Int, lines: [ArraySlice<UInt8>]) -> OutputFile {
        var out: [UInt8] = Array(shardHeader(k).utf8)
        out.reserveCapacity(lines.reduce(64) { $0 + $1.count + 3 })
        for line in lines {
            out.append(UInt8(ascii: "["))
            out += line
            out += Array("],\n".utf8)
        }
        out += Array(shardFooter.utf8)
        return OutputFile(path: shardPath(k), contents: Data(out))
    }

    /// A page's fragment as its shard line holds it: U+2028/9 escaped. Almost always the
    /// fragment itself, shared rather than copied: a clean build holds every page's line.
    public static func line(_ fragment: [UInt8]) -> [UInt8] {
        guard hasLineSeparator(fragment) else { return fragment }
        var out: [UInt8] = []
        out.reserveCapacity(fragment.count)
        appendEscapingLineSeparators(fragment, to: &out)
        return out
    }

    private static func hasLineSeparator(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { nextLineSeparator(in: $0, from: 0) != nil }
    }

    /// Where the next U+2028/9 (E2 80 A8/A9) starts at or after `start`. memchr for their
    /// lead byte E2 (also that of French quotes and dashes): the whole course's text passes
    /// here on a clean build.
    private static func nextLineSeparator(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        var i = start
        while i < buffer.count, let hit = memchr(base + i, 0xE2, buffer.count - i) {
            i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if i + 2 < buffer.count, buffer[i + 1] == 0x80, buffer[i + 2] == 0xA8 || buffer[i + 2] == 0xA9 { return i }
            i += 1
        }
        return nil
    }

    static func shardHeader(_ k: Int) -> String {
        "window.labgenSearch = window.labgenSearch || {};\nwindow.labgenSearch[\(k)] = [\n"
    }
    static let shardFooter = "];\n"

    /// The lines of the pages written in shard `k` (slices of `bytes`, still escaped), or nil
    /// when it is not `count` pages of a shard as `shard(_:lines:)` writes it (the caller then
    /// rebuilds those pages). A one-page edit splices one line into them.
    public static func lines(inShard k: Int, _ bytes: [UInt8], count: Int) -> [ArraySlice<UInt8>]? {
        let header = Array(shardHeader(k).utf8), footer = Array(shardFooter.utf8)
        guard bytes.count >= header.count + footer.count, bytes.starts(with: header),
              bytes[(bytes.count - footer.count)...].elementsEqual(footer) else { return nil }
        var lines: [ArraySlice<UInt8>] = []
        lines.reserveCapacity(count)
        var start = header.count
        let end = bytes.count - footer.count
        let ok = bytes.withUnsafeBufferPointer { buffer -> Bool in
            while start < end {
                // memchr: a shard is hundreds of kilobytes of text.
                guard let hit = memchr(buffer.baseAddress! + start, 0x0A, end - start) else { return false }
                let newline = buffer.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                guard newline - start >= 3, buffer[start] == UInt8(ascii: "["), buffer[newline - 2] == UInt8(ascii: "]"),
                      buffer[newline - 1] == UInt8(ascii: ",") else { return false }
                lines.append(bytes[(start + 1)..<(newline - 2)])
                start = newline + 1
            }
            return true
        }
        return ok && lines.count == count ? lines : nil
    }

    /// The manifest and the shards for pages' fragments, in page order.
    public static func files(fragments: [[UInt8]]) -> [OutputFile] {
        let shards = stride(from: 0, to: fragments.count, by: pagesPerShard).map { start in
            Array(fragments[start..<min(start + pagesPerShard, fragments.count)])
        }
        return [manifest(shards: shards.count)] + shards.enumerated().map { shard($0.offset, fragments: $0.element) }
    }

    /// U+2028/9 (E2 80 A8/A9) are line ends to pre-2019 JavaScript parsers: escaped. Runs
    /// between them are copied whole (byte by byte appends to `Data` were most of a rebuild).
    private static func appendEscapingLineSeparators(_ bytes: [UInt8], to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            var copied = 0
            while let i = nextLineSeparator(in: buffer, from: copied) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[copied..<i]))
                out += Array((buffer[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                copied = i + 3
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[copied...]))
        }
    }

    /// The manifest and shards of these pages' entries (a clean build).
    public static func files(pages: [FilledPage]) -> [OutputFile] {
        files(fragments: pages.map { fragmentBytes(of: $0) })
    }
}
