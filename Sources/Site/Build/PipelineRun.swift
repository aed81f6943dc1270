import LabgenCore
import Foundation
import Facts
import Markdown

/// One run of `Pipeline` for the shared course: each stage's work on the pages the
/// `RebuildPlan` says to redo, and what the stages hand each other. With the previous
/// build's record, a page file whose stamp is the recorded one is not read, a page whose
/// text, facts use and files read are unchanged keeps its fill, an output whose render key
/// and size on disk are the recorded ones is kept. With no record (a clean build, a check,
/// a roster) every answer is "redo": the same code builds everything.
///
/// Parse and fill run in one task per page (a barrier between them left a core idle while
/// the slowest page finished); the check always covers the whole course, from the pages'
/// index entries; the render is of the stale pages, the search shards holding a refilled
/// page and the lab-list script when its labs changed.
struct PipelineRun {
    let site: SiteBuild
    let progress: @Sendable (String) -> Void
    /// Keep each page's parsed document (the attendees' editions are filled from it).
    let keepsParsed: Bool

    // Stage 1, load.
    var previous: BuildCache?
    var config = CourseConfig(title: "")
    /// Of what pages show or read of course.yaml.
    var courseDigest = Digest("")
    var paths: [String] = []
    /// Each page's HTML file in the site.
    var outputPaths: [String] = []
    var stamps: [FileStamp?] = []
    var templates: Templates?
    var templatesDigest = Digest("")
    var facts: Facts = .withoutCluster()
    var factsDigest = Digest("")
    /// Where each page's record is in the previous build's record.
    var oldIndex: [Int?] = []
    var recorded: [RebuildPlan.Recorded?] = []
    /// The output's files and their sizes (a file changed by hand is rewritten).
    var listing: [String: Int] = [:]
    var loaded: [SourcePage?] = []
    var sources: [Digest] = []
    var readsFacts: [Bool] = []

    // Stages 2–3, parse and fill.
    var parsed: [ParsedPage?] = []
    /// Pages whose fill (and index entry) is kept from the record.
    var kept: [BuildCache.Page?] = []
    var filled: [Int: FilledPage] = [:]
    /// The index entries of the pages filled by this run.
    var fresh: [PageIndexEntry?] = []
    var dependencies: [[FileDependency]] = []

    // Stage 5's plan: what to render.
    var links: [Navigation.Link] = []
    var renderKeys: [Digest] = []
    var navigationDigest = Digest("")
    var stale: [Int] = []
    var scriptKept = false
    var navigation: Navigation?
    var staleShards: [Int] = []
    var shardLines: [Int: ArraySlice<UInt8>] = [:]

    var count: Int { paths.count }
    var oldPages: [BuildCache.Page] { previous?.pages ?? [] }

    /// - Parameters:
    ///   - site: the build's inputs.
    ///   - keepsParsed: keep the parsed documents for later editions.
    ///   - progress: where the stages' names are reported.
    init(site: SiteBuild, keepsParsed: Bool, progress: @escaping @Sendable (String) -> Void) {
        self.site = site
        self.keepsParsed = keepsParsed
        self.progress = progress
    }

    /// Stage 1, load: the previous record (when `recording`), course.yaml, the facts, the
    /// templates, the pages' stamps and the pages the plan says to read.
    /// - Parameters:
    ///   - previousRecord: read the previous build's record and list the output.
    ///   - loadsTemplates: the run renders (not a check).
    mutating func load(previousRecord: Bool, loadsTemplates: Bool) async throws {
        progress(Pipeline.Stage.load.rawValue)
        let started = FileStamp.now()
        let content = site.content
        let loader = LoadStep(content: content)
        let output = site.output.standardizedFileURL
        // The previous build's record and the templates load on the other core meanwhile.
        async let previousLoaded = previousRecord ? BuildCache.load(from: output) : nil
        async let templatesLoaded = loadsTemplates ? Templates.load(from: site.templatesDirectory) : nil
        async let outputListing = previousRecord ? OutputListing.regularFiles(under: output.path) : [:]
        let outline = loader.outline()
        (config, paths) = (outline.0, outline.1)
        outputPaths = paths.map(SourcePage.outputPath(for:))
        courseDigest = config.digest
        var problems = outline.2
        if loadsTemplates { templatesDigest = try OutputListing.digestOfTree(site.templatesDirectory) }
        previous = await previousLoaded
        (facts, factsDigest) = try site.loadFactsAndDigest(config: config, validated: previous?.facts)
        stamps = FileStamp.stamps(of: paths, under: content.url.path, before: started)
        templates = try await templatesLoaded
        listing = await outputListing
        oldIndex = previous?.indices(of: paths) ?? Array(repeating: nil, count: count)
        let oldPages = oldPages
        recorded = oldIndex.map { j in
            j.map { RebuildPlan.Recorded(stamp: oldPages[$0].stamp, source: oldPages[$0].source, usesFacts: oldPages[$0].usesFacts,
                                         render: oldPages[$0].render, size: oldPages[$0].size) }
        }

        // A page whose file stamp is the recorded one keeps its digest, unread.
        loaded = Array(repeating: nil, count: count)
        sources = Array(repeating: Digest(""), count: count)
        readsFacts = Array(repeating: true, count: count)
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
        let (paths, transforms) = (paths, site.allTransforms)
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
        parsed = Array(repeating: nil, count: count)
        kept = Array(repeating: nil, count: count)
        fresh = Array(repeating: nil, count: count)
        dependencies = Array(repeating: [], count: count)
    }

    /// Page `i` as read: by stage 1, or now (a page stage 1 did not need to read).
    mutating func source(_ i: Int) throws -> SourcePage {
        if let page = loaded[i] { return page }
        let page = try LoadStep(content: site.content).page(paths[i])
        // Read after all: the file changed since it was stamped, so its digest is not the
        // recorded one and the page is built from what is there now.
        guard Self.sourceDigest(page) == sources[i] else { throw Changed() }
        loaded[i] = page
        return page
    }

    /// Stages 2–3 on the pages the plan does not keep: a page whose text, facts use, facts
    /// (if used), course.yaml and the files it read are unchanged keeps its recorded fill.
    /// A dependency file read by many pages (a capture) is hashed once.
    mutating func fillPlanned() async throws {
        var holds: [FileDependency: Bool] = [:]
        let content = site.content
        let (oldPages, oldIndex) = (oldPages, oldIndex)
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
        try await fill((0..<count).filter { fresh[$0] == nil && kept[$0] == nil })
    }

    /// Stages 2–3 for `indices`: parse, fill and index each page in one task.
    /// - Parameters:
    ///   - indices: the pages to fill, in course order.
    mutating func fill(_ indices: [Int]) async throws {
        guard !indices.isEmpty else { return }
        progress("\(Pipeline.Stage.parse.rawValue) and \(Pipeline.Stage.fill.rawValue) \(indices.count) of \(count) pages")
        let pages = try indices.map { try source($0) }
        let filler = FillStep(transforms: site.allTransforms)
        let (config, content, facts, keepsParsed) = (config, site.content, facts, keepsParsed)
        let parameters = FactsContext(facts)
        let done = await parallelMap(pages) { page -> Result<(FilledPage, PageIndexEntry, ParsedPage?), BuildFailure> in
            let parsed = ParseStep.parse(page)
            return filler.fill(parsed, course: config, content: content, facts: facts, parameters: parameters)
                .map { ($0, PageIndexEntry($0), keepsParsed ? parsed : nil) }
        }
        var diagnostics: [Diagnostic] = []
        for (i, result) in zip(indices, done) {
            switch result {
            case .success(let (page, entry, parsedPage)):
                filled[i] = page
                fresh[i] = entry
                dependencies[i] = page.dependencies
                parsed[i] = parsedPage
            case .failure(let failure): diagnostics += failure.diagnostics
            }
        }
        if !diagnostics.isEmpty { throw BuildFailure(diagnostics) }
    }

    /// Stage 5's plan: the navigation, then which pages to render (a page shows its own
    /// links — home, previous, next; the sommaire all of them; the lab list is in a script),
    /// the pages it needs filled for that, and the search shards to write again.
    mutating func planRender() async throws {
        guard let templates else { return }
        let outputPaths = outputPaths
        links = (0..<count).map { i in
            fresh[i]?.link ?? Navigation.Link(path: outputPaths[i], title: kept[i]!.title, isHome: kept[i]!.isHome)
        }
        let step = RenderStep(templates: templates, codeBlockRenderer: site.codeBlockRenderer)
        let linksOnly = step.navigation(for: links, course: config, listingLabs: false)
        let toolDigest = Digest(BuildCache.toolIdentity)
        // What the lab list (in the sommaire and the script) is made from.
        let (labsDigest, navigationKeys) = linksOnly.dependencyKeys()
        navigationDigest = Digest.combining([labsDigest, templatesDigest, courseDigest, toolDigest])
        let (sourceKeys, factsReaders, readFiles) = (sources, readsFacts, dependencies)
        let (factsDigest, courseDigest, templatesDigest) = (factsDigest, courseDigest, templatesDigest)
        renderKeys = concurrentMap(Array(0..<count)) { i in
            Digest.combining([sourceKeys[i], factsReaders[i] ? factsDigest : Digest(""), courseDigest, templatesDigest,
                              navigationKeys[i], toolDigest]
                             + readFiles[i].map { Digest.combining([$0.path, $0.exists ? "1" : "0", $0.digest?.description ?? ""]) })
        }
        // An output is kept when its keys match and it is still there at its recorded size.
        stale = RebuildPlan.stale(recorded, renderKeys: renderKeys, outputSizes: outputPaths.map { listing[$0] })
        try await fill(stale.filter { filled[$0] == nil })
        // The list is made only for a sommaire to render or a script whose labs changed.
        scriptKept = RebuildPlan.keeps(previous?.navigation == navigationDigest,
                                       recordedSize: previous?.files[Navigation.scriptPath]?.size,
                                       sizeOnDisk: listing[Navigation.scriptPath])
        navigation = !scriptKept || stale.contains(where: { links[$0].isHome }) ? step.navigation(for: links, course: config) : linksOnly
        try await planShards()
    }

    /// Search shards: one is rewritten when a page in it was filled again or its pages
    /// changed; the lines of the other pages come from the shard on disk.
    private mutating func planShards() async throws {
        let shardCount = (count + SearchIndex.pagesPerShard - 1) / SearchIndex.pagesPerShard
        var oldShards: [Int: [ArraySlice<UInt8>]?] = [:]
        let output = site.output.standardizedFileURL
        let (previous, oldIndex) = (previous, oldIndex)
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
        staleShards = RebuildPlan.staleShards(
            paths: paths, previousOrder: previous?.order ?? [], perShard: SearchIndex.pagesPerShard, refilled: Set(filled.keys),
            recordedSizes: (0..<shardCount).map { previous?.files[SearchIndex.shardPath($0)]?.size },
            sizesOnDisk: (0..<shardCount).map { listing[SearchIndex.shardPath($0)] })
        var unknown: [Int] = []
        for k in staleShards {
            for i in shardMembers(k) {
                if filled[i] != nil { shardLines[i] = SearchIndex.line(fresh[i]!.search)[...] } else if let old = oldLine(i) { shardLines[i] = old } else { unknown.append(i) }
            }
        }
        try await fill(unknown)
        for i in unknown { shardLines[i] = SearchIndex.line(fresh[i]!.search)[...] }
    }

    /// The pages of search shard `k`.
    func shardMembers(_ k: Int) -> Range<Int> {
        (k * SearchIndex.pagesPerShard)..<min(count, (k + 1) * SearchIndex.pagesPerShard)
    }

    /// Stage 4: the whole course, checked from the pages' index entries (`PlannedCheck`).
    func check() -> PlannedCheck.Checked {
        progress(Pipeline.Stage.check.rawValue)
        return PlannedCheck.check(PlannedCheck.CourseEntries(fresh: fresh, kept: kept, paths: paths), refilled: Set(filled.keys),
                                  previous: previous, content: site.content)
    }

    /// Stage 5 for the shared course: the stale pages, rendered in parallel and handed to
    /// the transaction's writer as each is done.
    /// - Parameters:
    ///   - transaction: the new site being staged.
    /// - Returns: the size of each rendered page's HTML, by page.
    func render(into transaction: OutputTransaction) async throws -> [Int: Int] {
        progress("\(Pipeline.Stage.render.rawValue) \(stale.count) of \(count) pages")
        guard let templates, let navigation else { return [:] }
        let step = RenderStep(templates: templates, codeBlockRenderer: site.codeBlockRenderer)
        let config = config
        let stalePages = stale.map { ($0, filled[$0]!) }
        let sizes = await parallelMap(stalePages) { (index, page) -> Int in
            let data = step.renderPage(page, at: index, navigation: navigation, course: config, searchIndex: SearchIndex.path)
            transaction.enqueue(page.source.outputPath, data)
            return data.count
        }
        try transaction.drain()
        var sizeOf: [Int: Int] = [:]
        for ((index, _), size) in zip(stalePages, sizes) { sizeOf[index] = size }
        return sizeOf
    }

    /// Stage 6 for the shared course: every other file written or, when the plan keeps it,
    /// carried over; then the new record of the build.
    /// - Parameters:
    ///   - transaction: the new site being staged.
    ///   - checked: the check's outcome (the files to publish, by page).
    ///   - sizes: the rendered pages' sizes (`render(into:)`).
    /// - Returns: the record of this build, and the number of files besides the pages.
    func write(into transaction: OutputTransaction, checked: PlannedCheck.Checked, sizes: [Int: Int]) throws -> (BuildCache, Int) {
        guard let templates, let navigation else { throw Diagnostic(file: "labgen", message: "internal error: nothing rendered") }
        let (outputPaths, oldPages) = (outputPaths, oldPages)
        var entries: [BuildCache.Page] = []
        entries.reserveCapacity(count)
        for i in 0..<count where sizes[i] == nil { transaction.keep(outputPaths[i]) }
        for i in 0..<count {
            let stamp = stamps[i].flatMap { $0.trusted ? $0 : nil } ?? FileStamp.none
            let size = sizes[i] ?? oldPages[oldIndex[i]!].size, assets = checked.assetsByPage[i] ?? []
            if let entry = fresh[i] {
                entries.append(BuildCache.Page(source: sources[i], stamp: stamp, usesFacts: readsFacts[i], dependencies: dependencies[i],
                                               summary: entry, render: renderKeys[i], size: size, assets: assets))
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
        let shardCount = (count + SearchIndex.pagesPerShard - 1) / SearchIndex.pagesPerShard
        var files: [String: BuildCache.File] = [:]
        var copies = templates.assets + [SearchIndex.manifest(shards: shardCount)]
        if scriptKept {
            files[Navigation.scriptPath] = previous!.files[Navigation.scriptPath]!
            transaction.keep(Navigation.scriptPath)
        } else {
            copies.append(navigation.script)
        }
        // A download filled from facts changes with them: its digest below says so.
        let parameters = FactsContext(facts)
        for asset in checked.assets {
            copies.append(OutputFile(path: asset, contents: try DownloadSubstitution.contents(
                of: asset, content: site.content, facts: parameters)))
        }
        for k in 0..<shardCount {
            let path = SearchIndex.shardPath(k)
            if staleShards.contains(k) {
                copies.append(SearchIndex.shard(k, lines: shardMembers(k).map { shardLines[$0]! }))
            } else {
                files[path] = previous!.files[path]!
                transaction.keep(path)
            }
        }
        for file in copies {
            let record = BuildCache.File(digest: Digest(file.contents), size: file.contents.count)
            files[file.path] = record
            if previous != nil, previous?.files[file.path] == record, listing[file.path] == record.size {
                transaction.keep(file.path)
            } else {
                try transaction.write(file.path, file.contents)
            }
        }
        let cache = BuildCache(tool: BuildCache.toolIdentity, templates: templatesDigest, course: courseDigest, facts: factsDigest,
                               navigation: navigationDigest, order: paths, pages: entries, files: files)
        return (cache, files.count)
    }

    /// The course as parsed, for later editions (every page was filled: no record).
    var parsedCourse: ParsedCourse {
        ParsedCourse(config: config, content: site.content, pages: parsed.map { $0! })
    }

    /// A page file changed while the build ran.
    struct Changed: Error, CustomStringConvertible {
        var description: String { "a page changed during the build: build again" }
    }

    static func sourceDigest(_ page: SourcePage) -> Digest {
        // `handout: false` only where written, so the digests of other pages stay as they were.
        Digest.combining([page.path, page.title ?? "\u{0}", page.markdown] + (page.handout ? [] : ["handout: false"]))
    }
}
