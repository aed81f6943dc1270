import Foundation
import Testing
@testable import Markdown

/// Every example of the GFM spec (Fixtures/gfm-spec.txt, with its table, strikethrough,
/// autolink, tag filter and disabled examples) and of cmark-gfm's own extension and
/// regression tests (tables, strikethrough, autolinks, tag filter, footnotes, task lists;
/// Fixtures/gfm-extensions*.txt, gfm-regression.txt) rendered by the Swift renderer and by
/// libcmark-gfm's own `cmark_render_html`, in process, with the same options and extensions
/// (labgen's: the two option-specific files' examples run with those too): the same bytes.
@Suite struct GFMSpecTests {
    struct Example: Sendable, CustomTestStringConvertible {
        var file: String
        var number: Int
        var line: Int
        var markdown: String
        var testDescription: String { "\(file) example \(number) (line \(line))" }
    }

    /// The spec files and how many examples each holds (cmark-gfm 0.29.0.gfm.6's, as
    /// Debian 12 ships the library): a parse that lost some must fail, not pass on fewer.
    static let files = [
        ("gfm-spec", 672), ("gfm-extensions", 30), ("gfm-regression", 25),
        ("gfm-extensions-full-info-string", 4), ("gfm-extensions-table-prefer-style-attributes", 1),
    ]

    static let examples: [Example] = files.flatMap { examples(in: $0.0) }

    /// The examples of a spec file: a line of 32 backquotes and ` example`, the markdown, a
    /// `.` line, the expected HTML, 32 backquotes; `→` stands for a tab.
    static func examples(in name: String) -> [Example] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Fixtures"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        let fence = String(repeating: "`", count: 32)
        var examples: [Example] = []
        var markdown: [Substring]?
        var inHTML = false
        var start = 0
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if markdown == nil {
                if line.hasPrefix(fence + " example") { markdown = []; inHTML = false; start = i + 1 }
            } else if line == fence {
                let source = markdown!.map { $0 + "\n" }.joined().replacingOccurrences(of: "→", with: "\t")
                examples.append(Example(file: name, number: examples.count + 1, line: start, markdown: source))
                markdown = nil
            } else if line == "." && !inHTML {
                inHTML = true
            } else if !inHTML {
                markdown!.append(line)
            }
        }
        return examples
    }

    @Test func everySpecFileIsThereWhole() {
        for (name, count) in Self.files {
            #expect(Self.examples.filter { $0.file == name }.count == count, "\(name)")
        }
    }

    @Test(arguments: examples)
    func rendersLikeCmark(_ example: Example) {
        #expect(Document(parsing: example.markdown).html() == Document.referenceHTML(example.markdown),
                "\(example.markdown)")
    }
}
