import Foundation
import Testing
@testable import Site

/// Messages about the content that point at the right place and say what to do: invalid
/// UTF-8 at the bad line, a dangling symlink out of the content reported as leaving it (not
/// as missing), lab file names that would break links, a `${{` inside an autolinked URL.
@Suite struct ContentMessagesTests {
    static func check(_ files: [String: Data], links: [String: String] = [:]) async throws -> [String] {
        let (content, out) = try DownloadSubstitutionTests.copy()
        for (path, data) in files { try data.write(to: content.appendingPathComponent(path)) }
        for (path, target) in links {
            try FileManager.default.createSymbolicLink(atPath: content.appendingPathComponent(path).path, withDestinationPath: target)
        }
        return await Fixture.build(content, out: out).check().map(\.description)
    }

    @Test func invalidUTF8IsReportedAtItsLine() async throws {
        // Line 4: "encore " (7 characters), "à", " ": the bad byte is at column 10 (byte 11).
        var bytes = Array("# T\n\nligne é\nencore \u{e0} ".utf8)
        bytes += [0xFF, 0xFE]
        let found = try await Self.check(["labs/02-bad.md": Data(bytes + Array(" x\n".utf8))])
        #expect(found.contains { $0.hasPrefix("content/labs/02-bad.md:4:10: error: not valid UTF-8") }, "\(found)")
    }

    @Test func aDanglingSymlinkOutOfTheContentLeavesIt() async throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("labgen-nowhere-\(UUID().uuidString)/x.png").path
        let found = try await Self.check(["labs/02-link.md": Data("# T\n\n[x](../files/dangling.png)\n\n![i](../files/dangling.png)\n".utf8)],
                                         links: ["files/dangling.png": outside])
        #expect(found.contains { $0.hasPrefix("content/labs/02-link.md:3:1: error:") && $0.contains("leading outside the content directory") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("content/labs/02-link.md:5:1: error:") && $0.contains("leading outside the content directory") }, "\(found)")
        #expect(!found.contains { $0.contains("missing") }, "\(found)")
        // A relative link that climbs out, and one that loops, too.
        let relative = try await Self.check(["labs/02-link.md": Data("# T\n\n[x](../files/up.txt)\n".utf8)],
                                            links: ["files/up.txt": "../../../nowhere/x.txt"])
        #expect(relative.contains { $0.contains("leading outside the content directory") }, "\(relative)")
        #expect(ContentRoot.followingLinks("/a/b") == "/a/b")
    }

    @Test(arguments: ["#", "?", "%"])
    func labNamesThatBreakLinksAreRefused(_ character: String) async throws {
        let name = "labs/02-a\(character)b.md"
        let found = try await Self.check([name: Data("# T\n\ntexte\n".utf8)])
        #expect(found.contains { $0.hasPrefix("content/\(name):1:1: error: the file name contains `\(character)`") && $0.contains("rename it") }, "\(found)")
        let (content, out) = try DownloadSubstitutionTests.copy()
        try Data("# T\n".utf8).write(to: content.appendingPathComponent(name))
        await #expect(throws: (any Error).self) { try await Fixture.build(content, out: out).run(clean: true) }
    }

    @Test func aPageThatCannotBeReadSaysWhy() async throws {
        let (content, out) = try DownloadSubstitutionTests.copy()
        try FileManager.default.createDirectory(at: content.appendingPathComponent("labs/02-folder.md"), withIntermediateDirectories: true)
        let found = await Fixture.build(content, out: out).check().map(\.description)
        #expect(found.contains("content/labs/02-folder.md:1:1: error: cannot read the file: is a directory, not a file"), "\(found)")
        #expect(!found.contains { $0.contains("NSCocoaErrorDomain") || $0.contains("error 256") }, "\(found)")
    }

    @Test func placeholderInAnAutolinkIsAtItsLine() async throws {
        let found = try await Self.check(["labs/02-auto.md": Data("# T\n\nVoir https://example.org/${{ nodes[0].ipp }}/x\n".utf8)])
        #expect(found.contains { $0.hasPrefix("content/labs/02-auto.md:3:26: error: unterminated `${{`") }, "\(found)")
    }
}
