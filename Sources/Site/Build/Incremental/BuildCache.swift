import LabgenCore
import Foundation
import Markdown

/// What the previous build made from what: stored in the output (`.labgen-cache`),
/// swapped or replaced together with the files it describes, so it always describes the site
/// it sits in. Keys are digests of inputs; a page is rebuilt when any of its keys changes.
///
/// Pages are records in course order. What every rebuild reads of every page (keys, stamp,
/// title) is decoded when the cache loads; its anchors and references, which only the check
/// of a page linking to it reads, stay encoded and are copied as they are into the next cache,
/// so a rebuild does not decode and re-encode every page's.
struct BuildCache: Sendable {
    static let fileName = ".labgen-cache"
    /// Bumped when the format or the meaning of a key changes.
    static let format = 6

    var format = Self.format
    /// The labgen binary that built the site (a new labgen may render differently).
    var tool: String
    /// Templates and their assets, course.yaml, the facts file.
    var templates: Digest
    var course: Digest
    var facts: Digest
    /// What the lab list is made from: every page's output path and title, in order, with the
    /// templates, course and labgen (the script `assets/labs.js` is rewritten when it changes).
    var navigation: Digest
    /// Source paths in course order (the search shards hold the pages in this order).
    var order: [String]
    /// `order[i]`'s record.
    var pages: [Page]
    /// Output path → digest and size, for files other than pages (assets, copied content
    /// files, the lab script, the search manifest and shards).
    var files: [String: File]

    struct File: Sendable, Equatable {
        var digest: Digest
        var size: Int
    }

    struct Page: Sendable {
        /// The page text as loaded (front matter title included).
        var source: Digest
        /// The file as `stat` saw it when `source` was taken.
        var stamp: FileStamp
        /// Whether its fill reads the facts (it has placeholders or blocks a handler takes).
        var usesFacts: Bool
        var dependencies: [FileDependency]
        /// Its entry in the navigation.
        var title: String
        var isHome: Bool
        /// Everything its HTML depends on, combined.
        var render: Digest
        /// Of its HTML file.
        var size: Int
        /// Content files its links point at (published with the site), as the check found them.
        var assets: [String]
        /// Its summary's anchors, references and tag problems, encoded (`links(of:)`).
        var links: ArraySlice<UInt8>

        init(source: Digest, stamp: FileStamp, usesFacts: Bool, dependencies: [FileDependency], summary: PageIndexEntry,
             render: Digest, size: Int, assets: [String]) {
            self.source = source
            self.stamp = stamp
            self.usesFacts = usesFacts
            self.dependencies = dependencies
            title = summary.title
            isHome = summary.isHome
            self.render = render
            self.size = size
            self.assets = assets
            var w = CacheWriter()
            BuildCache.write(links: summary, to: &w)
            links = w.bytes[...]
        }

        init(source: Digest, stamp: FileStamp, usesFacts: Bool, dependencies: [FileDependency], title: String, isHome: Bool,
             render: Digest, size: Int, assets: [String], links: ArraySlice<UInt8>) {
            self.source = source
            self.stamp = stamp
            self.usesFacts = usesFacts
            self.dependencies = dependencies
            self.title = title
            self.isHome = isHome
            self.render = render
            self.size = size
            self.assets = assets
            self.links = links
        }

        /// The page's summary as the check sees it (the search text is in the search shards).
        func summary(path: String) -> PageIndexEntry {
            var summary = PageIndexEntry(path: path, title: title, isHome: isHome, anchors: [], references: [], pageProblems: [], search: [])
            // Written by this labgen (the cache's tool and format are checked on load) and
            // read whole once already: it cannot be short.
            links.withUnsafeBytes { bytes in
                var r = CacheReader(bytes)
                try? BuildCache.read(links: &r, into: &summary)
            }
            return summary
        }
    }

    init(tool: String, templates: Digest, course: Digest, facts: Digest, navigation: Digest,
         order: [String], pages: [Page], files: [String: File]) {
        self.order = order
        self.tool = tool
        self.templates = templates
        self.course = course
        self.facts = facts
        self.navigation = navigation
        self.pages = pages
        self.files = files
    }

    /// `i`'s record in this cache for each of `paths` (nil: a page it does not know).
    func indices(of paths: [String]) -> [Int?] {
        if order == paths { return Array(order.indices) }
        var position: [String: Int] = [:]
        for (j, path) in order.enumerated() { position[path] = j }
        return paths.map { position[$0] }
    }

    static func load(from output: URL) -> BuildCache? {
        guard let data = try? Data(contentsOf: output.appendingPathComponent(fileName)) else { return nil }
        let bytes = [UInt8](data)
        guard let cache = try? BuildCache(decoding: bytes),
              cache.format == format, cache.tool == toolIdentity else { return nil }
        return cache
    }

    /// A compact binary form: every rebuild reads and writes the whole record, and JSON
    /// coding through Foundation of every page's links and search text cost more than the
    /// rest of a one-page rebuild.
    func encoded() throws -> Data {
        var writer = CacheWriter(capacity: 1024 + pages.count * 1024)
        write(to: &writer)
        return Data(writer.bytes)
    }

    func write(to w: inout CacheWriter) {
        w.int(format); w.string(tool)
        w.digest(templates); w.digest(course); w.digest(facts); w.digest(navigation)
        w.int(order.count)
        // The pages in two blobs, each prefixed by its length, written and read on two cores.
        let blobs = onBothCores(order.count) { range in
            var part = CacheWriter(capacity: range.count * 1024)
            for i in range { Self.write(order[i], pages[i], to: &part) }
            return part.bytes
        }
        for blob in blobs { w.int(blob.count); w.bytes += blob }
        w.int(files.count)
        for key in files.keys.sorted() { w.string(key); w.digest(files[key]!.digest); w.int(files[key]!.size) }
    }

    static func write(_ path: String, _ page: Page, to w: inout CacheWriter) {
        w.string(path)
        w.digest(page.source); w.bool(page.usesFacts)
        w.int(page.stamp.size); w.int(page.stamp.modified); w.int(Int(bitPattern: UInt(page.stamp.inode))); w.bool(page.stamp.trusted)
        w.int(page.dependencies.count)
        for d in page.dependencies {
            w.string(d.path); w.bool(d.exists); w.bool(d.digest != nil); w.digest(d.digest ?? Digest(""))
        }
        w.string(page.title); w.bool(page.isHome)
        w.digest(page.render); w.int(page.size)
        w.int(page.assets.count); for a in page.assets { w.string(a) }
        w.int(page.links.count); w.bytes += page.links
    }

    static func write(links s: PageIndexEntry, to w: inout CacheWriter) {
        w.int(s.anchors.count); for a in s.anchors { w.string(a) }
        w.int(s.references.count)
        for r in s.references { w.string(r.destination); w.bool(r.isImage); w.position(r.position) }
        w.int(s.pageProblems.count)
        for p in s.pageProblems { w.string(p.message); w.position(p.position) }
    }

    static func read(links r: inout CacheReader, into s: inout PageIndexEntry) throws {
        for _ in 0..<(try r.count()) { s.anchors.append(try r.string()) }
        for _ in 0..<(try r.count()) {
            s.references.append(PageIndexEntry.Reference(destination: try r.string(), isImage: try r.bool(), position: try r.position()))
        }
        for _ in 0..<(try r.count()) { s.pageProblems.append(HTMLTagCheck.Problem(message: try r.string(), position: try r.position())) }
        guard r.atEnd else { throw CacheReader.Invalid() }
    }

    /// One record; `base` is where `r`'s bytes start in `storage` (its links are a slice of it).
    static func readPage(_ r: inout CacheReader, base: Int, storage: [UInt8]) throws -> (String, Page) {
        let path = try r.string()
        let source = try r.digest(), usesFacts = try r.bool()
        let stamp = FileStamp(size: try r.int(), modified: try r.int(), inode: UInt64(UInt(bitPattern: try r.int())), trusted: try r.bool())
        var dependencies: [FileDependency] = []
        for _ in 0..<(try r.count()) {
            let path = try r.string(), exists = try r.bool(), hasDigest = try r.bool(), digest = try r.digest()
            dependencies.append(FileDependency(path: path, exists: exists, digest: hasDigest ? digest : nil))
        }
        let title = try r.string(), isHome = try r.bool()
        let render = try r.digest(), size = try r.int()
        var assets: [String] = []
        for _ in 0..<(try r.count()) { assets.append(try r.string()) }
        let length = try r.count()
        let links = storage[(base + r.offset)..<(base + r.offset + length)]
        // Checked whole now, so that `Page.summary` never meets a short record.
        var inner = CacheReader(UnsafeRawBufferPointer(rebasing: r.bytes[r.offset..<(r.offset + length)]))
        try Self.skip(links: &inner)
        r.offset += length
        return (path, Page(source: source, stamp: stamp, usesFacts: usesFacts, dependencies: dependencies, title: title,
                           isHome: isHome, render: render, size: size, assets: assets, links: links))
    }

    /// Walks an encoded summary without building it: lengths checked, nothing allocated.
    static func skip(links r: inout CacheReader) throws {
        for _ in 0..<(try r.count()) { try r.skipString() }
        for _ in 0..<(try r.count()) { try r.skipString(); _ = try r.bool(); _ = try r.position() }
        for _ in 0..<(try r.count()) { try r.skipString(); _ = try r.position() }
        guard r.atEnd else { throw CacheReader.Invalid() }
    }

    init(decoding storage: [UInt8]) throws {
        var parts: [[(String, Page)]?] = []
        var tail = 0
        var count = 0
        var header: (Int, String, Digest, Digest, Digest, Digest) = (0, "", Digest(""), Digest(""), Digest(""), Digest(""))
        try storage.withUnsafeBytes { bytes in
            var r = CacheReader(bytes)
            let format = try r.int()
            guard format == Self.format else { throw CacheReader.Invalid() }
            header = (format, try r.string(), try r.digest(), try r.digest(), try r.digest(), try r.digest())
            count = try r.count()
            var blobs: [Range<Int>] = []
            for _ in 0..<2 {
                let length = try r.count()
                blobs.append(r.offset..<(r.offset + length))
                r.offset += length
            }
            tail = r.offset
            let ranges = blobs
            parts = onBothCores(blobs.count) { halves in
                halves.map { k -> [(String, Page)]? in
                    storage.withUnsafeBytes { all in
                        var part = CacheReader(UnsafeRawBufferPointer(rebasing: all[ranges[k]]))
                        var entries: [(String, Page)] = []
                        while !part.atEnd {
                            guard let entry = try? Self.readPage(&part, base: ranges[k].lowerBound, storage: storage) else { return nil }
                            entries.append(entry)
                        }
                        return entries
                    }
                }
            }.joined().map { $0 }
            guard parts.reduce(0, { $0 + ($1?.count ?? 0) }) == count else { throw CacheReader.Invalid() }
        }
        (format, tool, templates, course, facts, navigation) = header
        order = []
        pages = []
        order.reserveCapacity(count)
        pages.reserveCapacity(count)
        for part in parts {
            guard let part else { throw CacheReader.Invalid() }
            for (path, page) in part { order.append(path); pages.append(page) }
        }
        files = [:]
        try storage.withUnsafeBytes { bytes in
            var r = CacheReader(bytes)
            r.offset = tail
            for _ in 0..<(try r.count()) { files[try r.string()] = File(digest: try r.digest(), size: try r.int()) }
            guard r.atEnd else { throw CacheReader.Invalid() }
        }
    }

    /// The running labgen: path, size and modification time of its executable, so a rebuilt
    /// labgen never trusts pages an older one rendered.
    static let toolIdentity: String = {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments.first ?? "labgen"
        let attributes = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "labgen \(path) \(size) \(modified) format \(format)"
    }()
}
