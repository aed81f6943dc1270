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

    public init(pages: [FilledPage]) {
        var entries: [Entry] = []
        for page in pages {
            let url = page.source.outputPath
            var current = Entry(url: url, page: page.title, heading: "", text: "")
            func flush() {
                current.text = current.text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !current.text.isEmpty || !current.heading.isEmpty { entries.append(current) }
            }
            for block in page.document.root.children {
                if case .heading(let level, let id) = block.kind, level == 2 || level == 3 {
                    flush()
                    current = Entry(url: url + (id.map { "#" + $0 } ?? ""), page: page.title, heading: block.plainText, text: "")
                    continue
                }
                if case .heading(1, _) = block.kind { continue }
                Self.appendText(block, to: &current.text)
            }
            flush()
        }
        self.entries = entries
    }

    /// Readable text of a block: words of adjacent blocks and cells never run together.
    static func appendText(_ node: Node, to out: inout String) {
        switch node.kind {
        case .text(let s), .code(let s): out += s; return
        case .softBreak, .lineBreak: out += " "; return
        case .codeBlock(let block): out += block.literal + " "; return
        case .htmlBlock, .htmlInline, .customBlock: return
        default: break
        }
        for child in node.children { appendText(child, to: &out) }
        if node.kind.isBlock { out += " " }
    }

    /// `window.labgenSearchIndex = [...];` — deterministic (sorted keys, entries in page order).
    public func script() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(entries)) ?? Data("[]".utf8)
        // U+2028/9 (E2 80 A8/A9) are line ends to pre-2019 JavaScript parsers: escape them.
        var out = Data("window.\(Self.variable) = ".utf8)
        out.reserveCapacity(json.count + 40)
        let bytes = [UInt8](json)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
                out.append(contentsOf: Array((bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8))
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        out.append(contentsOf: Array(";\n".utf8))
        return out
    }

    /// The index as a fingerprinted asset, `assets/search-index.<hash>.js`.
    public func outputFile() -> OutputFile {
        let data = script()
        return OutputFile(path: "assets/search-index.\(Fingerprint.hex8(data)).js", contents: data)
    }
}

/// Content hashes for asset file names (`style.1a2b3c4d.css`): a changed file gets a new URL,
/// so hosts can cache assets for ever. FNV-1a 64: fast, stable across runs and machines.
public enum Fingerprint {
    public static func hex8(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        let folded = UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
        let hex = String(folded, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// `style.css` → `style.<hash>.css`; names without an extension get the hash appended.
    public static func name(_ name: String, data: Data) -> String {
        let hash = hex8(data)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name + "." + hash }
        return name[..<dot] + "." + hash + name[dot...]
    }
}
