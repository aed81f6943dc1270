import LabgenCore
import Markdown

/// Step 4, check: every internal link, anchor, image and download must exist inside the
/// content, and inline HTML tags must be closed. Also lists the files to publish.
public struct CheckStep: Sendable {
    public init() {}

    public struct Result: Sendable {
        public var diagnostics: [Diagnostic]
        /// Non-markdown content files referenced by pages, relative to the root, sorted.
        public var assets: [String]
    }

    public func run(_ pages: [FilledPage], content: ContentRoot) -> Result {
        run(summaries: pages.map { PageIndexEntry($0, includeSearch: false) }, content: content)
    }

    /// The same check from what each page exposes to the others (an incremental build keeps
    /// these for unchanged pages, so it checks the whole course without re-reading it).
    public func run(summaries pages: [PageIndexEntry], content: ContentRoot) -> Result {
        let (diagnostics, assets) = run(summaries: pages, paths: pages.map(\.path), checking: Array(pages.indices), content: content)
        return Result(diagnostics: diagnostics, assets: Array(Set(assets.values.joined())).sorted())
    }

    /// Checks the pages at `indices` against the whole course: their diagnostics (sorted) and,
    /// by page, the content files each links to (what an incremental build keeps, to check
    /// only the pages it rebuilt while the others stay as they were). `pages` is any
    /// collection of summaries in course order whose paths are `paths`: an incremental build
    /// decodes a kept page's summary only when asked for it.
    func run<Pages: RandomAccessCollection & Sendable>(summaries pages: Pages, paths: [String], checking indices: [Int],
                                                       content: ContentRoot) -> ([Diagnostic], [Int: [String]])
    where Pages.Element == PageIndexEntry, Pages.Index == Int {
        var index: [String: Int] = [:]
        for (i, path) in paths.enumerated() { index[path] = i }
        let pageIndex = index
        // Two halves on the two cores: this runs on every rebuild, over every page's links.
        let parts = onBothCores(indices.count, minimum: 64) { range in
            check(indices[range], of: pages, pageIndex: pageIndex, content: content)
        }
        let diagnostics = parts.flatMap(\.0)
        var assets: [Int: [String]] = [:]
        for part in parts { assets.merge(part.1) { $1 } }
        return (diagnostics.sorted(), assets)
    }

    private func check<Pages: RandomAccessCollection>(_ range: ArraySlice<Int>, of pages: Pages, pageIndex: [String: Int],
                                                      content: ContentRoot) -> ([Diagnostic], [Int: [String]])
    where Pages.Element == PageIndexEntry, Pages.Index == Int {
        // A page's anchors become a set only when a link asks for one of them.
        var anchorSets: [Int: Set<String>] = [:]
        func anchorsOf(_ path: String) -> Set<String>? {
            guard let i = pageIndex[path] else { return nil }
            if let known = anchorSets[i] { return known }
            let set = Set(pages[i].anchors)
            anchorSets[i] = set
            return set
        }
        var diagnostics: [Diagnostic] = []
        var assetsByPage: [Int: [String]] = [:]
        // Pages of one folder link to the same files over and over: classify each destination
        // once per folder and look each file up once.
        var targets: [Substring: [String: LinkTarget]] = [:]
        var fileStates: [String: FileState] = [:]
        for index in range {
            let page = pages[index]
            var assets: [String] = []
            let folder = page.path.lastIndex(of: "/").map { page.path[..<$0] } ?? ""
            func report(_ message: String, _ position: SourcePosition?) {
                diagnostics.append(Diagnostic(file: content.display(page.path), line: position?.line ?? 1,
                                              column: position?.column ?? 1, message: message))
            }
            for reference in page.references {
                let destination = reference.destination
                let what = reference.isImage ? "image" : "link"
                let position = reference.position
                let target = targets[folder]?[destination] ?? LinkTarget.classify(destination, from: page.path)
                targets[folder, default: [:]][destination] = target
                switch target {
                case .external:
                    break
                case .empty:
                    report("\(what) with an empty destination", position)
                case .absolute:
                    report("\(what) '\(destination)' is an absolute path: it breaks from file:// and on sub-path hosts; write it relative to this page", position)
                case .escapes:
                    report("\(what) '\(destination)' leads outside the content directory", position)
                case .anchor(let id):
                    let own = anchorsOf(page.path)
                    if !(own?.contains(id) ?? false) {
                        report("no heading with anchor '#\(id)' on this page\(suggestion(id, own))", position)
                    }
                case .file(let path, let fragment):
                    if path.hasSuffix(".md") {
                        guard pageIndex[path] != nil else {
                            report(content.isFile(path)
                                   ? "'\(destination)' is not a course page (pages: index.md, labs/*.md, labs/NN-part/*.md and pages/*.md)"
                                   : "\(what) to missing page '\(destination)'\(Self.moved(path, from: page.path, pages: pageIndex))", position)
                            continue
                        }
                        if let fragment, !fragment.isEmpty, let ids = anchorsOf(path), !ids.contains(fragment) {
                            report("no heading with anchor '#\(fragment)' in \(path)\(suggestion(fragment, ids))", position)
                        }
                        continue
                    }
                    let state = fileStates[path] ?? FileState(path, in: content)
                    fileStates[path] = state
                    switch state {
                    case .outside:
                        report("\(what) '\(destination)' is a symlink leading outside the content directory", position)
                    case .missing:
                        report(what == "image" ? "missing image '\(destination)'" : "missing file '\(destination)'", position)
                    case .file:
                        if !assets.contains(path) { assets.append(path) }
                    }
                }
            }
            diagnostics += page.pageProblems.map {
                Diagnostic(file: content.display(page.path), line: $0.position?.line ?? 1, column: $0.position?.column ?? 1, message: $0.message)
            }
            assetsByPage[index] = assets.sorted()
        }
        return (diagnostics, assetsByPage)
    }

    /// For a link to a page that is not there: where a page of that file name is now (moved
    /// into a part, or out of one), as the link to write.
    /// - Parameters:
    ///   - missing: the linked path, relative to the root.
    ///   - page: the linking page's path.
    ///   - pages: every page's path.
    static func moved(_ missing: String, from page: String, pages: [String: Int]) -> String {
        let name = missing.split(separator: "/").last.map(String.init) ?? missing
        guard name != "index.md" else { return "" }
        let found = pages.keys.filter { $0.hasSuffix("/" + name) }.sorted()
        guard found.count == 1 else { return "" }
        return ": the page is now \(found[0]), write '\(relativeURL(from: page, to: found[0]))'"
    }

    enum FileState {
        case file, missing, outside

        init(_ path: String, in content: ContentRoot) {
            self = !content.staysInside(path) ? .outside : content.isFile(path) ? .file : .missing
        }
    }

    private func suggestion(_ id: String, _ known: Set<String>?) -> String {
        guard let known, !known.isEmpty else { return "" }
        // A heading that grew longer keeps its start: prefer those, then the closest spelling.
        let prefixed = known.sorted().filter { $0.hasPrefix(id) || id.hasPrefix($0) }
        let best = prefixed.first ?? known.sorted().min { Suggestion.distance($0, id) < Suggestion.distance($1, id) }!
        return " (did you mean '#\(best)'?)"
    }
}
