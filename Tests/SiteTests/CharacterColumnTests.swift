import LabgenCore
import Foundation
import Testing
@testable import Site

/// Diagnostic columns count characters (Unicode scalars), not UTF-8 bytes: after `œ`, `é`,
/// `«` or `—` on a line, `file:line:col` still points where an editor shows the problem, in
/// prose, code blocks, links, downloads and facts files.
@Suite struct CharacterColumnTests {
    /// The column, in scalars, of the first `needle` in `line`; and in bytes, which the test
    /// requires to differ (else it would prove nothing).
    static func column(of needle: String, in line: String) throws -> Int {
        let range = try #require(line.range(of: needle))
        let scalars = line[..<range.lowerBound].unicodeScalars.count + 1
        let bytes = line[..<range.lowerBound].utf8.count + 1
        #expect(scalars != bytes, "the line must hold multi-byte characters before `\(needle)`")
        return scalars
    }

    /// A course of `pages` (content-relative paths to texts) built with `facts`; its messages.
    static func messages(_ pages: [String: String], facts: String? = nil) async throws -> String {
        let dir = try Fixture.temporaryDirectory()
        let content = dir.appendingPathComponent("content")
        var files = ["course.yaml": "title: Mon atelier\nlanguage: fr\nvars:\n  user: {type: string, default: stagiaire}\n",
                     "index.md": "# Accueil\n\nBienvenue.\n"]
        files.merge(pages) { $1 }
        for (path, text) in files {
            let url = content.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        var factsFile: URL?
        if let facts {
            factsFile = dir.appendingPathComponent("facts.json")
            try Data(facts.utf8).write(to: factsFile!)
        }
        let build = SiteBuild(content: ContentRoot(content, displayPath: "content"), output: dir.appendingPathComponent("site"),
                              templatesDirectory: dir.appendingPathComponent("templates"), factsFile: factsFile)
        do {
            try await build.run()
            return "built"
        } catch let failure as BuildFailure {
            return failure.diagnostics.map(\.description).joined(separator: "\n")
                .replacingOccurrences(of: dir.path + "/", with: "")
        } catch let diagnostic as Diagnostic {
            return diagnostic.description.replacingOccurrences(of: dir.path + "/", with: "")
        }
    }

    @Test func proseAndCodeBlocksCountCharacters() async throws {
        let prose = "Le nœud « é » : ${{ vars.usr }}."
        let code = "$ echo « élève — œuvre » ${{ vars.usr }}"
        let found = try await Self.messages(["labs/01-a.md": "# Étape\n\n\(prose)\n\n```console\n\(code)\n```\n"])
        #expect(found.contains("content/labs/01-a.md:3:\(try Self.column(of: "usr", in: prose)): error: `vars` has no field `usr`"), "\(found)")
        #expect(found.contains("content/labs/01-a.md:6:\(try Self.column(of: "usr", in: code)): error: `vars` has no field `usr`"), "\(found)")
    }

    @Test func linksAndListsCountCharacters() async throws {
        let link = "Voir « la suite » — [étape](absent.md)."
        let item = "- Élément : ${{ vars.usr }}"
        let missing = try await Self.messages(["labs/01-a.md": "# Étape\n\n\(link)\n"])
        #expect(missing.contains("content/labs/01-a.md:3:\(try Self.column(of: "[étape]", in: link)): error: link to missing page 'absent.md'"), "\(missing)")
        let found = try await Self.messages(["labs/01-a.md": "# Étape\n\n\(item)\n"])
        #expect(found.contains("content/labs/01-a.md:3:\(try Self.column(of: "usr", in: item)): error: `vars` has no field `usr`"), "\(found)")
    }

    @Test func downloadsCountCharacters() async throws {
        let script = "echo \"déjà « là »\" ${{ vars.usr }}"
        let found = try await Self.messages(["labs/01-a.md": "# Étape\n\n[script](../files/a.sh)\n", "files/a.sh": "#!/bin/sh\n\(script)\n"])
        #expect(found.contains("content/files/a.sh:2:\(try Self.column(of: "usr", in: script)): error: `vars` has no field `usr`"), "\(found)")
    }

    @Test func factsCountCharacters() async throws {
        let line = #"{"schema": "labgen.facts/v1", "vars": {"user": "élève—œ" "x"}}"#
        let found = try await Self.messages(["labs/01-a.md": "# Étape\n\n${{ vars.user }}\n"], facts: line)
        #expect(found.contains("facts.json:1:\(try Self.column(of: #""x""#, in: line)): error:"), "\(found)")
    }

    /// The conversion itself: scalars before the byte, continuation bytes skipped.
    @Test func columnsFromByteOffsets() {
        let bytes = Array("aé\nœ«x".utf8)
        #expect(SourcePosition.column(in: bytes, lineStart: 0, offset: 0) == 1)
        #expect(SourcePosition.column(in: bytes, lineStart: 0, offset: 3) == 3)
        let second = 4
        #expect(SourcePosition.column(in: bytes, lineStart: second, offset: second + 4) == 3)
        #expect(SourcePosition.column(in: bytes, lineStart: second, offset: bytes.count) == 4)
    }
}
