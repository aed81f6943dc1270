import Foundation
import Markdown

/// What the previous build made from what: stored in the output (`.labgen-cache`),
/// swapped or replaced together with the files it describes, so it always describes the site
/// it sits in. Keys are digests of inputs; a page is rebuilt when any of its keys changes.
struct BuildCache: Sendable {
    static let fileName = ".labgen-cache"
    /// Bumped when the format or the meaning of a key changes.
    static let format = 5

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
    /// By source path.
    var pages: [String: Page]
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
        var summary: PageSummary
        /// Everything its HTML depends on, combined.
        var render: Digest
        var output: String
        var size: Int
        /// Content files its links point at (published with the site), as the check found them.
        var assets: [String] = []
    }

    init(tool: String, templates: Digest, course: Digest, facts: Digest, navigation: Digest,
         order: [String], pages: [String: Page], files: [String: File]) {
        self.order = order
        self.tool = tool
        self.templates = templates
        self.course = course
        self.facts = facts
        self.navigation = navigation
        self.pages = pages
        self.files = files
    }

    static func load(from output: URL) -> BuildCache? {
        guard let data = try? Data(contentsOf: output.appendingPathComponent(fileName)),
              let cache = try? data.withUnsafeBytes({ bytes -> BuildCache in
                  var reader = CacheReader(bytes)
                  return try BuildCache(reading: &reader)
              }),
              cache.format == format, cache.tool == toolIdentity else { return nil }
        return cache
    }

    /// A compact binary form: with 2,000 pages (their links and search text), JSON coding
    /// through Foundation took longer than an incremental build should in all.
    func encoded() throws -> Data {
        var writer = CacheWriter(capacity: 1024 + pages.count * 1024)
        write(to: &writer)
        return Data(writer.bytes)
    }

    func write(to w: inout CacheWriter) {
        w.int(format); w.string(tool)
        w.digest(templates); w.digest(course); w.digest(facts); w.digest(navigation)
        w.int(order.count); for path in order { w.string(path) }
        // The pages in two blobs, each prefixed by its length, written and read on two cores.
        let keys = pages.keys.sorted()
        w.int(keys.count)
        let blobs = onBothCores(keys.count) { range in
            var part = CacheWriter(capacity: range.count * 1024)
            for key in keys[range] { Self.write(key, pages[key]!, to: &part) }
            return part.bytes
        }
        for blob in blobs { w.int(blob.count); w.bytes += blob }
        w.int(files.count)
        for key in files.keys.sorted() { w.string(key); w.digest(files[key]!.digest); w.int(files[key]!.size) }
    }

    static func write(_ key: String, _ page: Page, to w: inout CacheWriter) {
        w.string(key)
        w.digest(page.source); w.bool(page.usesFacts)
        w.int(page.stamp.size); w.int(page.stamp.modified); w.int(Int(bitPattern: UInt(page.stamp.inode))); w.bool(page.stamp.trusted)
        w.int(page.dependencies.count)
        for d in page.dependencies {
            w.string(d.path); w.bool(d.exists); w.bool(d.digest != nil); w.digest(d.digest ?? Digest(""))
        }
        let s = page.summary
        w.string(s.path); w.string(s.title); w.bool(s.isHome)
        w.int(s.anchors.count); for a in s.anchors { w.string(a) }
        w.int(s.references.count)
        for r in s.references { w.string(r.destination); w.bool(r.isImage); w.position(r.position) }
        w.int(s.tagProblems.count)
        for p in s.tagProblems { w.string(p.message); w.position(p.position) }
        w.digest(page.render); w.string(page.output); w.int(page.size)
        w.int(page.assets.count); for a in page.assets { w.string(a) }
    }

    static func readPage(_ r: inout CacheReader) throws -> (String, Page) {
        let key = try r.string()
        let source = try r.digest(), usesFacts = try r.bool()
        let stamp = FileStamp(size: try r.int(), modified: try r.int(), inode: UInt64(UInt(bitPattern: try r.int())), trusted: try r.bool())
        var dependencies: [FileDependency] = []
        for _ in 0..<(try r.count()) {
            let path = try r.string(), exists = try r.bool(), hasDigest = try r.bool(), digest = try r.digest()
            dependencies.append(FileDependency(path: path, exists: exists, digest: hasDigest ? digest : nil))
        }
        let path = try r.string(), title = try r.string(), isHome = try r.bool()
        var anchors: [String] = []
        for _ in 0..<(try r.count()) { anchors.append(try r.string()) }
        var references: [PageSummary.Reference] = []
        for _ in 0..<(try r.count()) {
            references.append(PageSummary.Reference(destination: try r.string(), isImage: try r.bool(), position: try r.position()))
        }
        var problems: [HTMLTagCheck.Problem] = []
        for _ in 0..<(try r.count()) { problems.append(HTMLTagCheck.Problem(message: try r.string(), position: try r.position())) }
        // The search text is not kept here: it is in the search shards on disk.
        let summary = PageSummary(path: path, title: title, isHome: isHome, anchors: anchors, references: references,
                                  tagProblems: problems, search: [])
        var page = Page(source: source, stamp: stamp, usesFacts: usesFacts, dependencies: dependencies, summary: summary,
                        render: try r.digest(), output: try r.string(), size: try r.int())
        for _ in 0..<(try r.count()) { page.assets.append(try r.string()) }
        return (key, page)
    }

    init(reading r: inout CacheReader) throws {
        format = try r.int()
        guard format == Self.format else { throw CacheReader.Invalid() }
        tool = try r.string()
        templates = try r.digest(); course = try r.digest(); facts = try r.digest(); navigation = try r.digest()
        order = []
        for _ in 0..<(try r.count()) { order.append(try r.string()) }
        let count = try r.count()
        var ranges: [Range<Int>] = []
        for _ in 0..<2 {
            let length = try r.count()
            ranges.append(r.offset..<(r.offset + length))
            r.offset += length
        }
        let blobs = ranges
        nonisolated(unsafe) let bytes = r.bytes
        let parts = onBothCores(blobs.count) { halves in
            halves.map { k -> [(String, Page)]? in
                var part = CacheReader(UnsafeRawBufferPointer(rebasing: bytes[blobs[k]]))
                var entries: [(String, Page)] = []
                while !part.atEnd {
                    guard let entry = try? Self.readPage(&part) else { return nil }
                    entries.append(entry)
                }
                return entries
            }
        }
        pages = [:]
        pages.reserveCapacity(count)
        for part in parts.joined() {
            guard let part else { throw CacheReader.Invalid() }
            for (key, page) in part { pages[key] = page }
        }
        guard pages.count == count else { throw CacheReader.Invalid() }
        files = [:]
        for _ in 0..<(try r.count()) { files[try r.string()] = File(digest: try r.digest(), size: try r.int()) }
        guard r.atEnd else { throw CacheReader.Invalid() }
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

struct CacheWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    // Words written byte by byte: appending a raw buffer went through the generic sequence
    // path, a tenth of a one-page rebuild for a 2,000-page cache.
    mutating func int(_ v: Int) { word(UInt64(bitPattern: Int64(v))) }
    mutating func word(_ v: UInt64) {
        var x = v
        for _ in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: x)); x >>= 8 }
    }
    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    mutating func string(_ s: String) { int(s.utf8.count); bytes += s.utf8 }
    mutating func bytes(_ b: [UInt8]) { int(b.count); bytes += b }
    mutating func digest(_ d: Digest) { word(d.high); word(d.low) }
    mutating func position(_ p: SourcePosition?) { int(p?.line ?? -1); int(p?.column ?? -1) }
}

/// Reads what `CacheWriter` wrote; anything short or odd throws, and the cache is ignored.
struct CacheReader {
    struct Invalid: Error {}
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { offset == bytes.count }

    mutating func word() throws -> UInt64 {
        guard offset + 8 <= bytes.count else { throw Invalid() }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    mutating func int() throws -> Int { Int(Int64(bitPattern: try word())) }
    mutating func count() throws -> Int {
        let n = try int()
        guard n >= 0, n <= bytes.count - offset else { throw Invalid() }
        return n
    }
    mutating func bool() throws -> Bool {
        guard offset < bytes.count else { throw Invalid() }
        defer { offset += 1 }
        return bytes[offset] != 0
    }
    mutating func string() throws -> String {
        let n = try count()
        defer { offset += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]), as: UTF8.self)
    }
    mutating func byteArray() throws -> [UInt8] {
        let n = try count()
        defer { offset += n }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]))
    }
    mutating func digest() throws -> Digest { Digest(high: try word(), low: try word()) }
    mutating func position() throws -> SourcePosition? {
        let line = try int(), column = try int()
        return line < 0 ? nil : SourcePosition(line: line, column: column)
    }
}
