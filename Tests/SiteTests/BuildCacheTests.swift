import LabgenCore
import Foundation
import Testing
import Markdown
@testable import Site

/// The build cache decides what a rebuild may skip: what it reads back must be what was
/// written, and a damaged cache must be refused whole (the build is then a full one).
@Suite struct BuildCacheTests {
    static func summary(_ path: String, _ n: Int) -> PageIndexEntry {
        PageIndexEntry(path: path, title: "Étape \(n) — réseau", isHome: n == 0,
                    anchors: ["etape-\(n)", "fn-\(n)"],
                    references: [.init(destination: "../labs/\(n).md#x", isImage: false, position: SourcePosition(line: n + 1, column: 3)),
                                 .init(destination: "img/\(n).png", isImage: true, position: nil)],
                    pageProblems: n == 2 ? [HTMLTagCheck.Problem(message: "<b> jamais fermé", position: SourcePosition(line: 4, column: 1))] : [],
                    search: [])
    }

    static func sample() -> BuildCache {
        let paths = ["index.md", "labs/01-a.md", "labs/02-b.md"]
        let pages = paths.enumerated().map { n, path in
            BuildCache.Page(source: Digest(path), stamp: FileStamp(size: n, modified: 1_000 + n, inode: UInt64(7 + n), trusted: n != 1),
                            usesFacts: n == 1,
                            dependencies: n == 2 ? [FileDependency(path: "captures/a.pcap", exists: true, digest: Digest("pcap")),
                                                    FileDependency(path: "absent.pcap", exists: false, digest: nil)] : [],
                            summary: summary(path, n), render: Digest("render \(n)"), size: 100 * n,
                            assets: n == 0 ? ["img/0.png"] : [])
        }
        return BuildCache(tool: BuildCache.toolIdentity, templates: Digest("t"), course: Digest("c"), facts: Digest("f"),
                          navigation: Digest("n"), order: paths, pages: pages,
                          files: ["assets/labs.js": .init(digest: Digest("js"), size: 12)])
    }

    @Test func whatIsWrittenIsReadBack() throws {
        let cache = Self.sample()
        let bytes = [UInt8](try cache.encoded())
        let read = try BuildCache(decoding: bytes)
        #expect(read.order == cache.order)
        #expect(read.files == cache.files)
        #expect([read.templates, read.course, read.facts, read.navigation] == [cache.templates, cache.course, cache.facts, cache.navigation])
        for (i, path) in cache.order.enumerated() {
            let a = read.pages[i], b = cache.pages[i]
            #expect(a.source == b.source && a.stamp == b.stamp && a.usesFacts == b.usesFacts && a.dependencies == b.dependencies)
            #expect(a.title == b.title && a.isHome == b.isHome && a.render == b.render && a.size == b.size && a.assets == b.assets)
            #expect(a.summary(path: path) == Self.summary(path, i))
        }
        // Kept records go into the next cache as they are: the same bytes again.
        #expect(try read.encoded() == cache.encoded())
    }

    @Test func aPageIsFoundByPathWhenTheOrderChanged() {
        let cache = Self.sample()
        #expect(cache.indices(of: cache.order) == [0, 1, 2])
        #expect(cache.indices(of: ["labs/02-b.md", "nouveau.md", "index.md"]) == [2, nil, 0])
    }

    @Test func aDamagedCacheIsRefusedWithoutCrashing() throws {
        let bytes = [UInt8](try Self.sample().encoded())
        for length in 0..<bytes.count {
            #expect(throws: (any Error).self, "cut at \(length)") { try BuildCache(decoding: Array(bytes[..<length])) }
        }
        #expect(throws: (any Error).self) { try BuildCache(decoding: bytes + [0]) }
        // A length blown up anywhere: refused, or read as something else, never a crash.
        for offset in stride(from: 0, to: bytes.count, by: 1) {
            var damaged = bytes
            damaged[offset] ^= 0xFF
            if let read = try? BuildCache(decoding: damaged) {
                for (i, path) in read.order.enumerated() { _ = read.pages[i].summary(path: path) }
            }
        }
    }

    @Test func aBuildOverADamagedCacheIsAFullOne() async throws {
        let content = try Fixture.copy("course")
        let out = content.deletingLastPathComponent().appendingPathComponent("site")
        try await Fixture.build(content, out: out).run()
        let before = try Fixture.tree(out)
        let cacheFile = out.appendingPathComponent(BuildCache.fileName)
        var bytes = try Data(contentsOf: cacheFile)
        bytes.removeLast(bytes.count / 2)
        try bytes.write(to: cacheFile)
        #expect(BuildCache.load(from: out) == nil)
        let summary = try await Fixture.build(content, out: out).run()
        #expect(summary.rendered.count == summary.pages)
        let after = try Fixture.tree(out)
        #expect(after.keys.sorted() == before.keys.sorted())
        for (path, data) in before where path != BuildCache.fileName { #expect(after[path] == data, "\(path)") }
        #expect(BuildCache.load(from: out) != nil)
    }
}
