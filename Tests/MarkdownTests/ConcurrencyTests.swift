import Testing
@testable import Markdown

/// libcmark-gfm 0.29.0.gfm.6 toggles process-global tables in every parse; parsing pages on
/// both cores must still give each page exactly its sequential rendering.
@Suite struct ConcurrencyTests {
    static func page(_ i: Int) -> String {
        """
        # Page \(i)

        Du texte ~~barré~~ et https://example.org/\(i) avec une note[^n\(i)].

        | a | b |
        |---|---|
        | \(i) | ~~x~~ |

        - [x] fait
        - [ ] à faire

        [^n\(i)]: La note \(i).
        """
    }

    @Test func parallelParsesMatchSequentialOnes() async {
        let sources = (0..<400).map(Self.page)
        let expected = sources.map { HTMLRenderer().render(Document(parsing: $0).root) }
        let parallel = await withTaskGroup(of: (Int, String).self) { group in
            for (i, source) in sources.enumerated() {
                group.addTask { (i, HTMLRenderer().render(Document(parsing: source).root)) }
            }
            var out = [String](repeating: "", count: sources.count)
            for await (i, html) in group { out[i] = html }
            return out
        }
        for i in sources.indices where parallel[i] != expected[i] {
            Issue.record("page \(i) differs when parsed in parallel")
        }
        #expect(expected[7].contains("<del>barré</del>"))
        #expect(expected[7].contains("<table>"))
    }
}
