import Foundation
import Mustache

/// The course-wide part of every page: links to home, to each lab (the sidebar), to the
/// previous and next page. Every page lists every lab, so rendering that list through
/// mustache per page costs pages² template steps (2,000 labs: 4 million, ~100 s). Instead
/// each lab's sidebar entry is rendered once per output folder, in both states (current or
/// not), and a page's list is the concatenation with its own entry swapped in: a copy of
/// bytes, whatever the template says.
public struct Navigation: Sendable {
    /// One page's place in the course: its output path and title.
    public struct Link: Sendable, Hashable, Codable {
        public var path: String
        public var title: String
        public var isHome: Bool
    }

    public let links: [Link]
    /// Per output folder (`""`, `"labs/"`): the entries of every lab and their offsets.
    private let folders: [String: Entries]
    /// Output path → position among the labs.
    private let labIndex: [String: Int]

    struct Entries: Sendable {
        /// All lab entries, none current, back to back.
        var all: [UInt8]
        /// `offsets[i]..<offsets[i+1]` is lab i's entry in `all`.
        var offsets: [Int]
        /// Lab i's entry marked current.
        var current: [[UInt8]]
    }

    /// The template rendered once per lab and folder, with `href`, `title`, `current` and
    /// the course-wide values (`lang`, `courseTitle`, `ui`, `root`).
    public static let entryTemplate = "sidebar-lab"

    /// `pages`: the output paths that will be rendered with it (nil: all), so that a rebuild
    /// of one page renders one folder's entries, not every folder's in both states.
    public init(links: [Link], templates: Templates, course: CourseConfig, strings: UIStrings, pages: [String]? = nil) {
        let library = templates.library
        let wanted = pages.map(Set.init)
        self.links = links
        var folders: [String: Entries] = [:]
        let labs = links.filter { !$0.isHome }
        for folder in Set((pages ?? links.map(\.path)).map { Self.folder(of: $0) }).sorted() {
            let here = folder + "index.html"
            let base: [String: Any] = [
                "lang": course.language ?? "fr",
                "courseTitle": course.title,
                "ui": strings.templateValues,
                "root": relativeURL(from: here, to: "index.html").dropLast("index.html".count).description,
            ]
            var entries = Entries(all: [], offsets: [0], current: [])
            for lab in labs {
                var context = base
                context["href"] = relativeURL(from: here, to: lab.path)
                context["title"] = lab.title
                context["current"] = false
                entries.all += templates.fingerprintReferences(library.render(context, withTemplate: Self.entryTemplate) ?? "").utf8
                entries.offsets.append(entries.all.count)
                guard wanted?.contains(lab.path) ?? true, Self.folder(of: lab.path) == folder else {
                    entries.current.append([])
                    continue
                }
                context["current"] = true
                entries.current.append(Array(templates.fingerprintReferences(library.render(context, withTemplate: Self.entryTemplate) ?? "").utf8))
            }
            folders[folder] = entries
        }
        self.folders = folders
        var labIndex: [String: Int] = [:]
        for (i, lab) in labs.enumerated() { labIndex[lab.path] = i }
        self.labIndex = labIndex
    }

    /// `labs/` for `labs/01.html`, `""` for `index.html`.
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    /// The sidebar entries of every lab as seen from the page at `path`, its own marked current.
    public func labsHTML(for path: String) -> String {
        guard let entries = folders[Self.folder(of: path)] else { return "" }
        guard let i = labIndex[path] else { return String(decoding: entries.all, as: UTF8.self) }
        return Self.splice(entries, i)
    }

    /// What templates get as `labsHTML`: the entries replace it after rendering, so a
    /// 2,000-entry list never goes through mustache or String validation per page. Nothing
    /// in it is escaped by mustache, and no page text contains U+0001.
    static let labsMarker = "\u{1}labgen:labs\u{1}"

    /// The page's bytes with each `labsMarker` replaced by the labs as seen from `path`.
    public func insertingLabs(into html: String, for path: String) -> Data {
        var html = html
        return html.withUTF8 { bytes -> Data in
            let marker = Array(Self.labsMarker.utf8)
            var out = Data()
            var cursor = 0
            var i = 0
            while i + marker.count <= bytes.count {
                if bytes[i] == marker[0], bytes[i..<(i + marker.count)].elementsEqual(marker) {
                    if out.isEmpty { out.reserveCapacity(bytes.count + (folders[Self.folder(of: path)]?.all.count ?? 0) + 256) }
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[cursor..<i]))
                    appendLabs(for: path, to: &out)
                    i += marker.count
                    cursor = i
                } else {
                    i += 1
                }
            }
            if cursor == 0 { return Data(bytes) }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[cursor...]))
            return out
        }
    }

    func appendLabs(for path: String, to out: inout Data) {
        guard let entries = folders[Self.folder(of: path)] else { return }
        guard let i = labIndex[path] else { out.append(contentsOf: entries.all); return }
        out.append(contentsOf: entries.all[..<entries.offsets[i]])
        out.append(contentsOf: entries.current[i])
        out.append(contentsOf: entries.all[entries.offsets[i + 1]...])
    }

    private static func splice(_ entries: Entries, _ i: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(entries.all.count + entries.current[i].count)
        out += entries.all[..<entries.offsets[i]]
        out += entries.current[i]
        out += entries.all[entries.offsets[i + 1]...]
        return String(decoding: out, as: UTF8.self)
    }
}
