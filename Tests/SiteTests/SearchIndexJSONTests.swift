import Foundation
import Testing
import Markdown
@testable import Site

/// The hand-written search fragment must be the bytes `JSONEncoder` wrote before it, so
/// shards on disk from earlier builds stay valid and output stays byte-identical.
@Suite struct SearchIndexJSONTests {
    static func encoderFragment(_ entries: [SearchIndex.Entry]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try! encoder.encode(entries), as: UTF8.self)
        return String(json.dropFirst().dropLast())
    }

    @Test func everyASCIIByteAsJSONEncoder() {
        let all = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
        let entries = [SearchIndex.Entry(url: "labs/a.html#x/y", page: all, heading: "", text: all + all)]
        #expect(SearchIndex.fragment(entries) == Self.encoderFragment(entries))
    }

    @Test func unicodeAndSeveralEntriesAsJSONEncoder() {
        let entries = [
            SearchIndex.Entry(url: "labs/01-dsr.html", page: "Création du cluster « KinD »", heading: "",
                              text: "Déjà vu\u{2028}ligne\u{2029} 🧪 \u{7F} \u{85} \u{200B} é\u{301} \"a\\b\" </script>"),
            SearchIndex.Entry(url: "labs/01-dsr.html#mise-en-evidence", page: "Création", heading: "Mise en évidence\t(DSR)", text: ""),
        ]
        #expect(SearchIndex.fragment(entries) == Self.encoderFragment(entries))
        #expect(SearchIndex.fragment([]) == Self.encoderFragment([]))
    }

    /// A page's sections as entries, written plainly with Strings and Foundation's trimming:
    /// the reference the byte path of the builds must match.
    static func entries(of page: FilledPage) -> [SearchIndex.Entry] {
        func appendText(_ node: Node, to out: inout String) {
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
        var entries: [SearchIndex.Entry] = []
        let url = page.source.outputPath
        var current = SearchIndex.Entry(url: url, page: page.title, heading: "", text: "")
        func flush() {
            current.text = current.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !current.text.isEmpty || !current.heading.isEmpty { entries.append(current) }
        }
        for block in page.document.root.children {
            if case .heading(let level, let id) = block.kind, level == 2 || level == 3 {
                flush()
                current = SearchIndex.Entry(url: url + (id.map { "#" + $0 } ?? ""), page: page.title, heading: block.plainText, text: "")
                continue
            }
            if case .heading(1, _) = block.kind { continue }
            appendText(block, to: &current.text)
        }
        flush()
        return entries
    }

    /// The byte path of the builds gives the fragment of the entries, byte for byte:
    /// sections, trimming at both ends (Unicode White_Space and U+200B), escapes.
    @Test func pageFragmentFromBytesEqualsTheEntries() throws {
        let texts = [
            "# Titre\n\n\u{A0}\u{3000} Intro « guillemets » et \"citation\" \\ fin\u{200B}\u{2029}\n\n## Section 1\n\nTexte\ttabulé.\n\n```sh\nls -l\n```\n\n### Vide\n\n## Tableau\n\n| a | b |\n|---|---|\n| é\u{301} | 🧪 |\n\n<div>html</div>\n",
            "## Seulement un titre\n",
            "\u{2028}\n",
            "Rien que du texte 🧪",
            "",
        ]
        for (n, text) in texts.enumerated() {
            let source = SourcePage(path: "labs/\(n).md", markdown: text, title: "Page « \(n) »")
            let document = Document(parsing: text)
            let page = FilledPage(source: source, document: document, title: source.title ?? "", headings: [])
            #expect(SearchIndex.fragmentBytes(of: page) == SearchIndex.fragmentBytes(Self.entries(of: page)), "page \(n)")
        }
    }
}
