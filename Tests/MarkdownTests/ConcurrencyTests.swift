import Testing
@testable import Markdown

@Suite("Parsing on several threads")
struct ConcurrencyTests {
    /// libcmark-gfm keeps the extensions' special characters in a global table that each
    /// parse edits: pages parsed in parallel used to lose `~~strikethrough~~` at random.
    @Test func parallelParsesAllSeeStrikethrough() async {
        let source = (1...40).map { "| a | b |\n|---|---|\n| ~~x\($0)~~ | y |\n\nLe ~~texte~~ barré \($0).\n" }.joined(separator: "\n")
        let expected = Document.referenceHTML(source)
        #expect(expected.contains("<del>x1</del>"))
        let results = await withTaskGroup(of: String.self) { group in
            for _ in 0..<64 { group.addTask { Document(parsing: source).html() } }
            var all: [String] = []
            for await html in group { all.append(html) }
            return all
        }
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0 == expected })
    }
}
