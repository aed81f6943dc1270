import Foundation
import Testing
@testable import Markdown

/// Every example of the GFM spec (Fixtures/gfm-spec.txt, with its table, strikethrough,
/// autolink, tag filter and disabled examples) rendered by the Swift renderer and by
/// libcmark-gfm's own `cmark_render_html`, in process, with the same options: the same bytes.
@Suite struct GFMSpecTests {
    struct Example: Sendable, CustomTestStringConvertible {
        var number: Int
        var line: Int
        var markdown: String
        var testDescription: String { "example \(number) (spec line \(line))" }
    }

    /// The examples of a spec file: a line of 32 backquotes and ` example`, the markdown, a
    /// `.` line, the expected HTML, 32 backquotes; `→` stands for a tab.
    static let examples: [Example] = {
        guard let url = Bundle.module.url(forResource: "gfm-spec", withExtension: "txt", subdirectory: "Fixtures"),
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
                examples.append(Example(number: examples.count + 1, line: start, markdown: source))
                markdown = nil
            } else if line == "." && !inHTML {
                inHTML = true
            } else if !inHTML {
                markdown!.append(line)
            }
        }
        return examples
    }()

    @Test func theSpecIsThereWhole() {
        // 672 examples in version 0.29: a parse that lost some must fail, not pass on fewer.
        #expect(Self.examples.count == 672)
    }

    @Test(arguments: examples)
    func rendersLikeCmark(_ example: Example) {
        #expect(Document(parsing: example.markdown).html() == Document.referenceHTML(example.markdown),
                "\(example.markdown)")
    }
}
