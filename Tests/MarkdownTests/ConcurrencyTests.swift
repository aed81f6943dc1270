import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Markdown

/// libcmark-gfm 0.29.0.gfm.6 toggles process-global tables in every parse; parsing pages on
/// both cores must still give each page exactly its sequential rendering (with the tables
/// switched off after each parse, as the library does, this failed every other run).
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

    /// The library's own call to switch the special characters off must land in labgen's
    /// definition (CCmarkGFMShim), which keeps them on: it is that one the symbol resolves to.
    @Test func switchingOffTheSpecialCharactersIsTakenOver() throws {
        let name = "cmark_manage_extensions_special_characters"
        let library = try #require(dlopen("libcmark-gfm.so.0.29.0.gfm.6", RTLD_NOW | RTLD_NOLOAD), "libcmark-gfm is loaded")
        let libraryOwn = try #require(dlsym(library, name))
        let resolved = try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), name))
        #expect(resolved != libraryOwn, "the symbol still resolves to libcmark-gfm's definition")
    }

    @Test func parallelParsesMatchSequentialOnes() async {
        let sources = (0..<1200).map(Self.page)
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
