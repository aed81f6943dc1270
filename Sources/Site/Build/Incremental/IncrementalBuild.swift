import LabgenCore
import Foundation
import Facts
import Markdown
#if canImport(Glibc)
import Glibc
#endif

/// `labgen build`, redoing only what changed since the build recorded in the output's cache.
///
/// A page file whose size, modification time and inode are those recorded is not even read.
/// A page is parsed and filled again when its text, the facts it reads, a file it read (a
/// capture) or course.yaml changed; it is rendered again when that, the templates, labgen
/// itself or the links it shows (home, previous, next; the sommaire: every lab) changed.
/// The lab list of the other pages is one script, and the search index is in shards of
/// `SearchIndex.pagesPerShard` pages: a one-page edit rewrites one page, one shard and
/// the cache. The check always runs on the whole course, from the pages' summaries.
/// The new site is staged beside the output, unchanged files linked from the previous one,
/// and swapped in whole (`OutputTransaction`).
struct IncrementalBuild {
    var site: SiteBuild
    /// Ignore the cache (and write a new one).
    var clean: Bool

    /// - Parameters:
    ///   - progress: told each step.
    ///   - waiting: told once when another build holds the output's lock.
    func run(progress: @Sendable (String) -> Void, waiting: @Sendable (String) -> Void) async throws -> SiteBuild.Report {
        try site.checkOutputIsSafe()
        let output = site.output.standardizedFileURL
        let outputPath = output.path
        // Held until the new site is in place: the previous one is read, then replaced.
        let outputLock = try await OutputLock.acquire(for: output, waiting: waiting)
        defer { outputLock.release() }
        try WriteStep(output: output).checkReplaceable()
        progress("load")
        let started = FileStamp.now()
        let content = site.content
        let loader = LoadStep(content: content)
        // The previous build's record and the templates load on the other core meanwhile.
        let useCache = !clean && FileManager.default.fileExists(atPath: output.appendingPathComponent(WriteStep.marker).path)
        async let previousRecord = useCache ? BuildCache.load(from: output) : nil
        async let templatesLoaded = Templates.load(from: site.templatesDirectory)
        // What is in the output now, and at what size (a file changed by hand is rewritten).
        async let outputListing = useCache ? Self.regularFiles(under: outputPath) : [:]
        let outline = loader.outline()
        let (config, paths) = (outline.0, outline.1)
        var problems = outline.2
        let templatesDigest = try Self.digestOfTree(site.templatesDirectory)
        let courseDigest = config.digest
        var previous = await previousRecord
        let (facts, factsDigest) = try site.loadFactsAndDigest(config: config, validated: previous?.facts)
        let contentPath = content.url.path
        let stamps = FileStamp.stamps(of: paths, under: contentPath, before: started)
        let templates = try await templatesLoaded
        let transforms = site.allTransforms
        let count = paths.count
        let outputPaths = paths.map(SourcePage.outputPath(for:))
        // Where each page's record is in the previous cache.
        let oldIndex = previous?.indices(of: paths) ?? Array(repeating: nil, count: count)
        let oldPages = previous?.pages ?? []
        let recorded = oldIndex.map { j in
            j.map { RebuildPlan.Recorded(stamp: oldPages[$0].stamp, source: oldPages[$0].source, usesFacts: oldPages[$0].usesFacts,
                                         render: oldPages[$0].render, size: oldPages[$0].size) }
        }

        // 1. Pages: one whose file stamp is the recorded one keeps its digest unread.
        var loaded: [SourcePage?] = Array(repeating: nil, count: count)
        var sources = [Digest](repeating: Digest(""), count: count)
        var readsFacts = [Bool](repeating: true, count: count)
        var toLoad: [Int] = []
        let unread = RebuildPlan.unread(recorded, stamps: stamps)
        for i in 0..<count {
            if unread[i], let j = oldIndex[i] {
                sources[i] = oldPages[j].source
                readsFacts[i] = oldPages[j].usesFacts
            } else {
                toLoad.append(i)
            }
        }
        // Reading, hashing and scanning a page are one task: no serial pass over all the text.
        let results = await parallelMap(toLoad) { i -> Result<(SourcePage, Digest, Bool), Diagnostic> in
            do {
                let page = try loader.page(paths[i])
                let reads = transforms.contains { $0.readsFacts(page) }
                return .success((page, Self.sourceDigest(page), reads))
            } catch let d as Diagnostic { return .failure(d) } catch {
                return .failure(Diagnostic(file: content.display(paths[i]), message: "\(error)"))
            }
        }
        for (i, result) in zip(toLoad, results) {
            switch result {
            case .success(let (page, digest, reads)):
                loaded[i] = page
                sources[i] = digest
                readsFacts[i] = reads
            case .failure(let diagnostic): problems.append(diagnostic)
            }
        }
        if !problems.isEmpty { throw BuildFailure(problems) }
        func source(_ i: Int) throws -> SourcePage {
            if let page = loaded[i] { return page }
            let page = try loader.page(paths[i])
            // Read after all: the file changed since it was stamped, so its digest is not the
            // recorded one and the page is built from what is there now.
            guard Self.sourceDigest(page) == sources[i] else { throw Changed() }
            loaded[i] = page
            return page
        }

        // Pages whose fill is unchanged keep their record (and summary); a dependency file
        // read by many pages (a capture) is hashed once.
        var kept: [BuildCache.Page?] = Array(repeating: nil, count: count)
        // The summaries of the pages filled by this build.
        var fresh: [PageIndexEntry?] = Array(repeating: nil, count: count)
        var dependencies: [[FileDependency]] = Array(repeating: [], count: count)
        var holds: [FileDependency: Bool] = [:]
        let keptFills = RebuildPlan.keptFills(recorded, sources: sources, readsFacts: readsFacts,
                                              courseUnchanged: previous?.course == courseDigest,
                                              factsUnchanged: previous?.facts == factsDigest) { i in
            oldPages[oldIndex[i]!].dependencies.allSatisfy { d in
                if let known = holds[d] { return known }
                let result = d.holds(in: content)
                holds[d] = result
                return result
            }
        }
        for i in 0..<count where keptFills[i] {
            kept[i] = oldPages[oldIndex[i]!]
            dependencies[i] = oldPages[oldIndex[i]!].dependencies
        }
        var filled: [Int: FilledPage] = [:]
        let filler = FillStep(transforms: transforms)
        let parameters = FactsContext(facts)
        // Parse, fill and summarise a page in one task: a barrier between steps left a core
        // idle while the slowest page of each step finished.
        func fill(_ indices: [Int]) async throws {
            guard !indices.isEmpty else { return }
            progress("parse and fill \(indices.count) of \(count) pages")
            let pages = try indices.map(source)
            let done = await parallelMap(pages) { page -> Result<(FilledPage, PageIndexEntry), BuildFailure> in
                return filler.fill(ParseStep.parse(page), course: config, content: content, facts: facts, parameters: parameters)
                    .map { ($0, PageIndexEntry($0)) }
            }
            var diagnostics: [Diagnostic] = []
            for (i, result) in zip(indices, done) {
                switch result {
                case .success(let (page, summary)):
                    filled[i] = page
                    fresh[i] = summary
                    dependencies[i] = page.dependencies
                case .failure(let failure): diagnostics += failure.diagnostics
                }
            }
            if !diagnostics.isEmpty { throw BuildFailure(diagnostics) }
        }
        try await fill((0..<count).filter { fresh[$0] == nil && kept[$0] == nil })

        // 2. The navigation, then which pages need rendering: a page shows its own links
        // (home, previous, next; the sommaire all of them), the lab list is in a script.
        let links = (0..<count).map { i in
            fresh[i]?.link ?? Navigation.Link(path: outputPaths[i], title: kept[i]!.title, isHome: kept[i]!.isHome)
        }
        let step = RenderStep(templates: templates, codeBlockRenderer: site.codeBlockRenderer)
        let linksOnly = step.navigation(for: links, course: config, listingLabs: false)
        let toolDigest = Digest(BuildCache.toolIdentity)
        // What the lab list (in the sommaire and the script) is made from.
        let (labsDigest, navigationKeys) = linksOnly.dependencyKeys()
        let navigation = Digest.combining([labsDigest, templatesDigest, courseDigest, toolDigest])
        let (sourceKeys, factsReaders, readFiles) = (sources, readsFacts, dependencies)
        let renderKeys = concurrentMap(Array(0..<count)) { i in
            Digest.combining([sourceKeys[i], factsReaders[i] ? factsDigest : Digest(""), courseDigest, templatesDigest,
                              navigationKeys[i], toolDigest]
                             + readFiles[i].map { Digest.combining([$0.path, $0.exists ? "1" : "0", $0.digest?.description ?? ""]) })
        }
        let reusing = previous != nil
        // An output is kept when its keys match and it is still there at its recorded size.
        let listing = await outputListing
        let stale = RebuildPlan.stale(recorded, renderKeys: renderKeys, outputSizes: outputPaths.map { listing[$0] })
        try await fill(stale.filter { filled[$0] == nil })
        // The list is made only for a sommaire to render or a script whose labs changed.
        let scriptKept = RebuildPlan.keeps(previous?.navigation == navigation, recordedSize: previous?.files[Navigation.scriptPath]?.size,
                                           sizeOnDisk: listing[Navigation.scriptPath])
        let nav = !scriptKept || stale.contains(where: { links[$0].isHome }) ? step.navigation(for: links, course: config) : linksOnly

        // 3. Search shards: one is rewritten when a page in it was filled again or its pages
        // changed; the lines of the other pages come from the shard on disk.
        let shardCount = (count + SearchIndex.pagesPerShard - 1) / SearchIndex.pagesPerShard
        func members(_ k: Int) -> Range<Int> { (k * SearchIndex.pagesPerShard)..<min(count, (k + 1) * SearchIndex.pagesPerShard) }
        var oldShards: [Int: [ArraySlice<UInt8>]?] = [:]
        /// Page `i`'s line in the shard the previous build wrote it to.
        func oldLine(_ i: Int) -> ArraySlice<UInt8>? {
            guard let previous, let j = oldIndex[i] else { return nil }
            let k = j / SearchIndex.pagesPerShard
            if oldShards[k] == nil {
                let range = (k * SearchIndex.pagesPerShard)..<min(previous.order.count, (k + 1) * SearchIndex.pagesPerShard)
                let data = try? Data(contentsOf: output.appendingPathComponent(SearchIndex.shardPath(k)))
                oldShards[k] = .some(data.flatMap { SearchIndex.lines(inShard: k, [UInt8]($0), count: range.count) })
            }
            return oldShards[k]!.map { $0[j % SearchIndex.pagesPerShard] }
        }
        let staleShards = RebuildPlan.staleShards(
            paths: paths, previousOrder: previous?.order ?? [], perShard: SearchIndex.pagesPerShard, refilled: Set(filled.keys),
            recordedSizes: (0..<shardCount).map { previous?.files[SearchIndex.shardPath($0)]?.size },
            sizesOnDisk: (0..<shardCount).map { listing[SearchIndex.shardPath($0)] })
        var lines: [Int: ArraySlice<UInt8>] = [:]
        var unknown: [Int] = []
        for k in staleShards {
            for i in members(k) {
                if filled[i] != nil { lines[i] = SearchIndex.line(fresh[i]!.search)[...] } else if let old = oldLine(i) { lines[i] = old } else { unknown.append(i) }
            }
        }
        try await fill(unknown)
        for i in unknown { lines[i] = SearchIndex.line(fresh[i]!.search)[...] }

        // 4. The whole course is checked, whatever was rebuilt.
        progress("check")
        let checked = Self.check(CourseSummaries(fresh: fresh, kept: kept, paths: paths), refilled: Set(filled.keys),
                                 previous: previous, content: content)
        if checked.diagnostics.contains(where: { $0.severity == .error }) { throw BuildFailure(checked.diagnostics) }

        // 5. Render and write the stale pages, in parallel; then the other files.
        progress("render \(stale.count) of \(count) pages")
        let transaction = try OutputTransaction(output: output, lock: outputLock, faults: site.faults)
        do {
            let stalePages = stale.map { ($0, filled[$0]!) }
            let sizes = await parallelMap(stalePages) { (index, page) -> Int in
                let data = step.renderPage(page, at: index, navigation: nav, course: config, searchIndex: SearchIndex.path)
                transaction.enqueue(page.source.outputPath, data)
                return data.count
            }
            try transaction.drain()
            var entries: [BuildCache.Page] = []
            entries.reserveCapacity(count)
            var sizeOf: [Int: Int] = [:]
            for ((index, _), size) in zip(stalePages, sizes) { sizeOf[index] = size }
            for i in 0..<count where sizeOf[i] == nil { transaction.keep(outputPaths[i]) }
            for i in 0..<count {
                let stamp = stamps[i].flatMap { $0.trusted ? $0 : nil } ?? FileStamp.none
                let size = sizeOf[i] ?? oldPages[oldIndex[i]!].size, assets = checked.assetsByPage[i] ?? []
                if let summary = fresh[i] {
                    entries.append(BuildCache.Page(source: sources[i], stamp: stamp, usesFacts: readsFacts[i], dependencies: dependencies[i],
                                                   summary: summary, render: renderKeys[i], size: size, assets: assets))
                } else {
                    // Same text, facts use and dependencies (that is why it was kept): its
                    // anchors and references go over as they were encoded.
                    var page = kept[i]!
                    page.stamp = stamp
                    page.render = renderKeys[i]
                    page.size = size
                    page.assets = assets
                    entries.append(page)
                }
            }
            var files: [String: BuildCache.File] = [:]
            var copies = templates.assets + [SearchIndex.manifest(shards: shardCount)]
            if scriptKept {
                files[Navigation.scriptPath] = previous!.files[Navigation.scriptPath]!
                transaction.keep(Navigation.scriptPath)
            } else {
                copies.append(nav.script)
            }
            // A download filled from facts changes with them: its digest below says so.
            let parameters = FactsContext(facts)
            for asset in checked.assets {
                copies.append(OutputFile(path: asset, contents: try DownloadSubstitution.contents(
                    of: asset, content: content, facts: parameters)))
            }
            for k in 0..<shardCount {
                let path = SearchIndex.shardPath(k)
                if staleShards.contains(k) {
                    copies.append(SearchIndex.shard(k, lines: members(k).map { lines[$0]! }))
                } else {
                    files[path] = previous!.files[path]!
                    transaction.keep(path)
                }
            }
            for file in copies {
                let record = BuildCache.File(digest: Digest(file.contents), size: file.contents.count)
                files[file.path] = record
                if reusing, previous?.files[file.path] == record, listing[file.path] == record.size {
                    transaction.keep(file.path)
                } else {
                    try transaction.write(file.path, file.contents)
                }
            }
            let cache = BuildCache(tool: BuildCache.toolIdentity, templates: templatesDigest, course: courseDigest, facts: factsDigest,
                                   navigation: navigation, order: paths, pages: entries, files: files)
            progress("write \(stale.count) pages")
            // Only what this build makes goes over: a file added by hand or a page removed
            // since the last build is not in the new site.
            try transaction.write(WriteStep.marker, Data())
            try transaction.write(BuildCache.fileName, try cache.encoded())
            try transaction.commit()
            let summary = SiteBuild.Report(pages: count, files: count + files.count, warnings: checked.diagnostics,
                                            rendered: stale.map { outputPaths[$0] })
            // Freeing 2,000 page trees node by node took a tenth of a build, after the site was
            // done: a background task drops them, `build` exits without waiting and `serve`
            // goes back to watching.
            let trees = DeferredRelease(filled: filled, loaded: loaded, fresh: fresh, kept: kept, caches: [previous, cache].compactMap { $0 })
            filled = [:]; loaded = []; fresh = []; kept = []; previous = nil
            Task.detached(priority: .background) { trees.drop() }
            return summary
        } catch {
            transaction.abort()
            throw error
        }
    }

    /// What a build leaves behind, handed over whole so it is freed away from the caller.
    private struct DeferredRelease: Sendable {
        var filled: [Int: FilledPage]
        var loaded: [SourcePage?]
        var fresh: [PageIndexEntry?]
        var kept: [BuildCache.Page?]
        var caches: [BuildCache]

        func drop() {}
    }

    /// The check's outcome, with each page's linked files (kept in the cache).
    struct Checked {
        var diagnostics: [Diagnostic]
        var assetsByPage: [Int: [String]]
        /// Every linked file once, sorted.
        var assets: [String] { Array(Set(assetsByPage.values.joined())).sorted() }
    }

    /// The whole course's check, equal to checking every page, done on the pages filled again
    /// only when the others cannot have changed outcome: the same pages in the same order,
    /// the refilled pages' anchors as before (what links from other pages see of them), and
    /// every file the others link to still a file of the content. The previous build passed
    /// the check, so the others had no finding and keep their files. Anything else: all pages.
    static func check(_ summaries: CourseSummaries, refilled: Set<Int>, previous: BuildCache?,
                      content: ContentRoot) -> Checked {
        let step = CheckStep()
        let paths = summaries.paths
        func full() -> Checked {
            let (diagnostics, byPage) = step.run(summaries: summaries, paths: paths, checking: Array(paths.indices), content: content)
            return Checked(diagnostics: diagnostics, assetsByPage: byPage)
        }
        guard let previous, previous.order == paths else { return full() }
        var byPage: [Int: [String]] = [:]
        var kept: Set<String> = []
        for i in paths.indices {
            let old = previous.pages[i]
            if refilled.contains(i) {
                guard old.summary(path: paths[i]).anchors == summaries[i].anchors else { return full() }
            } else {
                byPage[i] = old.assets
                kept.formUnion(old.assets)
            }
        }
        for path in kept where CheckStep.FileState(path, in: content) != .file { return full() }
        let (diagnostics, rechecked) = step.run(summaries: summaries, paths: paths, checking: refilled.sorted(), content: content)
        byPage.merge(rechecked) { $1 }
        return Checked(diagnostics: diagnostics, assetsByPage: byPage)
    }

    /// Every page's summary in course order: those filled by this build, the others decoded
    /// from their cache record only when the check asks (it reads the few pages linked to).
    struct CourseSummaries: RandomAccessCollection, Sendable {
        var fresh: [PageIndexEntry?]
        var kept: [BuildCache.Page?]
        var paths: [String]

        var startIndex: Int { 0 }
        var endIndex: Int { paths.count }
        subscript(i: Int) -> PageIndexEntry { fresh[i] ?? kept[i]!.summary(path: paths[i]) }
    }

    /// A page file changed while the build ran.
    struct Changed: Error, CustomStringConvertible {
        var description: String { "a page changed during the build: build again" }
    }

    static func sourceDigest(_ page: SourcePage) -> Digest {
        // `handout: false` only where written, so the digests of other pages stay as they were.
        Digest.combining([page.path, page.title ?? "\u{0}", page.markdown] + (page.handout ? [] : ["handout: false"]))
    }

    /// The regular files below `root` (relative paths) and their sizes, symlinks followed as
    /// `stat` does. One walk answers "is this output still there, whole?" for every file of
    /// the site and lists the strays: `stat` by full path per output, then a second walk for
    /// the strays, was a tenth of a one-page rebuild. Each entry is looked up from its own
    /// folder (`fstatat`), not resolved again from the root.
    static func regularFiles(under root: String) -> [String: Int] {
        var found: [String: Int] = [:]
        func walk(_ relative: String, _ fd: Int32) {
            guard let dir = fdopendir(fd) else { close(fd); return }
            defer { closedir(dir) }
            let folder = dirfd(dir)
            while let entry = readdir(dir) {
                let name = ContentRoot.name(of: entry)
                if name == "." || name == ".." { continue }
                let child = relative.isEmpty ? name : relative + "/" + name
                let type = entry.pointee.d_type
                var info = stat()
                if type == UInt8(DT_DIR) {
                    let sub = openat(folder, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
                    if sub >= 0 { walk(child, sub) }
                    continue
                }
                // A link counts as the file it names; a linked folder is never entered (what
                // is under it is not the site's to delete).
                let flags = type == UInt8(DT_UNKNOWN) ? AT_SYMLINK_NOFOLLOW : 0
                guard fstatat(folder, name, &info, flags) == 0 else { continue }
                let mode = info.st_mode & S_IFMT
                if mode == S_IFREG {
                    found[child] = Int(info.st_size)
                } else if mode == S_IFDIR && type == UInt8(DT_UNKNOWN) {
                    let sub = openat(folder, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
                    if sub >= 0 { walk(child, sub) }
                }
            }
        }
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { walk("", fd) }
        return found
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
