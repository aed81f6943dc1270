import Foundation
import Markdown
#if canImport(Glibc)
import Glibc
#endif

/// A transform or fenced-block handler that can tell from a page's text alone whether its
/// output for that page depends on the facts. Others are assumed to read them on every page.
public protocol FactsDependency {
    func readsFacts(_ page: SourcePage) -> Bool
}

extension FactsFill: FactsDependency {
    /// Parameters, loops and conditionals all open with `${{`.
    public func readsFacts(_ page: SourcePage) -> Bool { page.markdown.containsBytes("${{") }
}

extension FencedBlockExpansion: FactsDependency {
    /// Handlers see the facts: a page that may hold one of their blocks depends on them.
    public func readsFacts(_ page: SourcePage) -> Bool {
        handlers.keys.contains { page.markdown.containsBytes($0) }
    }
}

extension String {
    /// Whether `needle`'s UTF-8 occurs in this string's UTF-8 (Foundation's `contains` goes
    /// through NSString and was a fifth of an incremental build).
    func containsBytes(_ needle: String) -> Bool {
        var needle = needle
        var copy = self
        return needle.withUTF8 { n in
            copy.withUTF8 { h in
                guard n.count > 0 else { return true }
                guard h.count >= n.count else { return false }
                // memchr for the first byte (vectorised), then compare; memmem is not exported.
                var start = h.baseAddress!
                let end = h.baseAddress! + h.count
                while end - start >= n.count,
                      let hit = memchr(start, Int32(n[0]), end - start - n.count + 1) {
                    let p = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(p, n.baseAddress!, n.count) == 0 { return true }
                    start = p + 1
                }
                return false
            }
        }
    }
}

/// `labgen build`, redoing only what changed since the build recorded in the output's cache.
///
/// A page is parsed and filled again when its text, the facts it reads, a file it read (a
/// capture) or course.yaml changed; it is rendered again when that, the templates, labgen
/// itself or the navigation (any page's title or path: every page lists them all) changed.
/// The check always runs on the whole course, from the pages' summaries. Changed files are
/// written under temporary names and renamed into place only once everything succeeded; a
/// first or `--clean` build writes a fresh directory and swaps it in.
struct IncrementalBuild {
    var site: SiteBuild
    /// Ignore the cache (and write a new one).
    var clean: Bool

    func run(progress: @Sendable (String) -> Void) async throws -> SiteBuild.Summary {
        try site.checkOutputIsSafe()
        let output = site.output.standardizedFileURL
        try WriteStep(output: output).checkReplaceable()
        progress("load")
        let course = try LoadStep(content: site.content).run()
        let (facts, factsDigest) = try site.loadFactsAndDigest()
        let templates = try await Templates.load(from: site.templatesDirectory)
        let templatesDigest = try Self.digestOfTree(site.templatesDirectory)
        let courseDigest = Digest.combining([course.config.title, course.config.language ?? "\u{0}"])
        let previous = clean || !FileManager.default.fileExists(atPath: output.appendingPathComponent(WriteStep.marker).path)
            ? nil : BuildCache.load(from: output)
        let transforms = site.allTransforms
        let content = course.content

        // 1. Pages whose fill is unchanged keep their summary.
        let pages = course.pages
        let sources = pages.map { Digest.combining([$0.path, $0.title ?? "\u{0}", $0.markdown]) }
        let readsFacts = pages.map { page in
            transforms.contains { ($0 as? any FactsDependency)?.readsFacts(page) ?? true }
        }
        var summaries: [PageSummary?] = Array(repeating: nil, count: pages.count)
        var dependencies: [[FileDependency]] = Array(repeating: [], count: pages.count)
        if let previous, previous.course == courseDigest {
            for (i, page) in pages.enumerated() {
                guard let old = previous.pages[page.path], old.source == sources[i], old.usesFacts == readsFacts[i],
                      !readsFacts[i] || previous.facts == factsDigest,
                      old.dependencies.allSatisfy({ $0.holds(in: content) }) else { continue }
                summaries[i] = old.summary
                dependencies[i] = old.dependencies
            }
        }
        var filled: [Int: FilledPage] = [:]
        func fill(_ indices: [Int]) async throws {
            guard !indices.isEmpty else { return }
            progress("parse and fill \(indices.count) of \(pages.count) pages")
            let parsed = await ParseStep().run(Course(config: course.config, content: content, pages: indices.map { pages[$0] }))
            let done = try await FillStep(transforms: transforms).run(parsed, facts: facts)
            for (i, page) in zip(indices, done) {
                filled[i] = page
                summaries[i] = PageSummary(page)
                dependencies[i] = page.dependencies
            }
        }
        try await fill(pages.indices.filter { summaries[$0] == nil })

        // 2. The navigation, then which pages need rendering.
        var links = summaries.map { $0!.link }
        let navigation = Digest.combining(links.map { Digest.combining([$0.path, $0.title, $0.isHome ? "home" : ""]) })
        let renderKeys = pages.indices.map { i in
            Digest.combining([sources[i], readsFacts[i] ? factsDigest : Digest(""), courseDigest, templatesDigest,
                              navigation, Digest(BuildCache.toolIdentity)] + dependencies[i].map { Digest.combining([$0.path, $0.exists ? "1" : "0", $0.digest?.description ?? ""]) })
        }
        let inPlace = previous != nil
        var stale: [Int] = []
        for i in pages.indices {
            let path = pages[i].outputPath
            guard inPlace, let old = previous?.pages[pages[i].path], old.render == renderKeys[i], old.output == path,
                  Self.size(of: output.appendingPathComponent(path)) == old.size else {
                stale.append(i)
                continue
            }
        }
        try await fill(stale.filter { filled[$0] == nil })
        links = summaries.map { $0!.link }

        // 3. The whole course is checked, whatever was rebuilt.
        progress("check")
        let checked = CheckStep().run(summaries: summaries.map { $0! }, content: content)
        if checked.diagnostics.contains(where: { $0.severity == .error }) { throw BuildFailure(checked.diagnostics) }

        // 4. Render and write the stale pages, in parallel; then the copied files.
        progress("render \(stale.count) of \(pages.count) pages")
        let transaction = try OutputTransaction(output: output, mode: inPlace ? .inPlace : .fresh)
        do {
            let step = RenderStep(templates: templates, codeBlockRenderer: site.codeBlockRenderer)
            let nav = step.navigation(for: links, course: course.config, rendering: stale.map { pages[$0].outputPath })
            let stalePages = stale.map { ($0, filled[$0]!) }
            let searchPath = SearchIndex(entries: []).outputFile().path
            let sizes = await parallelMap(stalePages) { (index, page) -> Result<Int, any Error> in
                let data = step.renderPage(page, at: index, navigation: nav, course: course.config, searchIndex: searchPath)
                do { try transaction.write(page.source.outputPath, data) } catch { return .failure(error) }
                return .success(data.count)
            }
            var entries: [String: BuildCache.Page] = [:]
            var sizeOf: [Int: Int] = [:]
            for ((index, _), result) in zip(stalePages, sizes) { sizeOf[index] = try result.get() }
            for (i, page) in pages.enumerated() {
                entries[page.path] = BuildCache.Page(source: sources[i], usesFacts: readsFacts[i], dependencies: dependencies[i],
                                                      summary: summaries[i]!, render: renderKeys[i], output: page.outputPath,
                                                      size: sizeOf[i] ?? previous!.pages[page.path]!.size)
            }
            var files: [String: Digest] = [:]
            let search = OutputFile(path: SearchIndex(entries: []).outputFile().path,
                                    contents: SearchIndex.script(fragments: summaries.map { $0!.search }))
            var copies = templates.assets + [search]
            for asset in checked.assets { copies.append(OutputFile(path: asset, contents: try content.read(asset))) }
            for file in copies {
                let digest = Digest(file.contents)
                files[file.path] = digest
                if inPlace, previous?.files[file.path] == digest, Self.size(of: output.appendingPathComponent(file.path)) == file.contents.count {
                    continue
                }
                try transaction.write(file.path, file.contents)
            }
            let cache = BuildCache(tool: BuildCache.toolIdentity, templates: templatesDigest, course: courseDigest, facts: factsDigest,
                                   navigation: navigation, pages: entries, files: files)
            progress("write \(stale.count) pages")
            if inPlace {
                let produced = Set(pages.map(\.outputPath)).union(files.keys)
                // Whatever else is there goes (a file added by hand, a page removed since): the
                // site must be what a clean build makes, byte for byte, file for file.
                let before = Set(FileManager.default.subpaths(atPath: output.path) ?? [])
                    .filter { Self.size(of: output.appendingPathComponent($0)) != nil }
                    .subtracting([WriteStep.marker, BuildCache.fileName])
                // No cache while files move: an interrupted commit makes the next build a full one.
                unlink(output.appendingPathComponent(BuildCache.fileName).path)
                try transaction.commit(deleting: before.subtracting(produced).sorted())
                let temporary = output.appendingPathComponent(BuildCache.fileName + ".tmp").path
                try OutputTransaction.writeFile(temporary, try cache.encoded())
                rename(temporary, output.appendingPathComponent(BuildCache.fileName).path)
            } else {
                try transaction.write(WriteStep.marker, Data())
                try transaction.write(BuildCache.fileName, try cache.encoded())
                try transaction.commit()
            }
            return SiteBuild.Summary(pages: pages.count, files: pages.count + files.count, warnings: checked.diagnostics,
                                     rendered: stale.map { pages[$0].outputPath })
        } catch {
            transaction.abort()
            throw error
        }
    }

    static func size(of url: URL) -> Int? {
        var info = stat()
        guard stat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// Every file under `directory` (names and bytes, sorted by path).
    static func digestOfTree(_ directory: URL) throws -> Digest {
        let fm = FileManager.default
        let root = directory.standardizedFileURL.resolvingSymlinksInPath()
        var parts: [Digest] = []
        let paths = (fm.subpaths(atPath: root.path) ?? []).sorted()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            parts.append(Digest(path))
            parts.append(Digest(try Data(contentsOf: root.appendingPathComponent(path))))
        }
        return Digest.combining(parts)
    }
}
