import LabgenCore
import Facts
import Foundation
import Markdown
import TraceView

/// Renders attendees' editions by splicing values into pages rendered once per structure.
///
/// A filled page differs between two attendees only by the values it shows (param spans,
/// code blocks holding values, trace figures) as long as loops ran as many times and the same
/// branches were taken. So each filled page is reduced to a *skeleton*: every value-bearing
/// piece becomes a private-use marker, and its HTML is kept aside. Pages with the same
/// skeleton (compared whole, not by hash alone) share one render of the templates; an
/// attendee's page is those bytes with their own escaped pieces spliced in. The pieces are
/// made by the same functions the full render uses (the code block renderer, `HTMLEscaping`),
/// so the output is byte-identical to a full render (tested). Where that cannot be promised —
/// a value in a heading (slugs, table of contents, title) or an image's alt text, a marker
/// character in the source, a marker the templates dropped or doubled — the page is rendered
/// in full for that attendee.
final class EditionRenderer: @unchecked Sendable {
    let templates: Templates
    let codeBlockRenderer: any CodeBlockRenderer
    let course: CourseConfig

    private let lock = NSLock()
    /// Per source path, the skeletons seen so far and their renders.
    private var entries: [String: [Int: [Entry]]] = [:]

    init(templates: Templates, codeBlockRenderer: any CodeBlockRenderer, course: CourseConfig) {
        self.templates = templates
        // Wrapped here already so the values spliced into pages are the blocks as pages write them.
        self.codeBlockRenderer = AccessibleCodeBlocks.wrapping(codeBlockRenderer, strings: UIStrings.forLanguage(course.language))
        self.course = course
    }

    /// One page's render with holes: `bytes` minus each marker, in order.
    struct Spliced: Sendable {
        var bytes: [UInt8]
        /// (offset in `bytes`, value index), in order.
        var holes: [(Int, Int)]

        func filled(with values: [[UInt8]]) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + values.reduce(0) { $0 + $1.count })
            var cursor = 0
            for (offset, index) in holes {
                out += bytes[cursor..<offset]
                out += values[index]
                cursor = offset
            }
            out += bytes[cursor...]
            return out
        }
    }

    final class Entry: @unchecked Sendable {
        let skeleton: Node
        /// nil: the templates did not keep every marker once; render in full.
        let page: Spliced?
        private let lock = NSLock()
        private var handoutBody: Spliced??

        init(skeleton: Node, page: Spliced?) {
            self.skeleton = skeleton
            self.page = page
        }

        func handout(_ make: () -> Spliced?) -> Spliced? {
            lock.lock()
            if let cached = handoutBody { lock.unlock(); return cached }
            lock.unlock()
            let made = make()
            lock.lock()
            handoutBody = .some(made)
            lock.unlock()
            return made
        }
    }

    /// The attendee's rendered pages (same order as `pages`) and each page's handout body.
    func render(_ pages: [FilledPage], navigation: Navigation, searchIndex: String) async -> [(Data, String)] {
        let step = RenderStep(templates: templates, codeBlockRenderer: codeBlockRenderer)
        let course = self.course
        return await parallelMap(Array(pages.indices)) { [self] index in
            let page = pages[index]
            let full = {
                (step.renderPage(page, at: index, navigation: navigation, course: course, searchIndex: searchIndex),
                 Handout.body(page, codeBlockRenderer: self.codeBlockRenderer, course: course))
            }
            guard let skeleton = Skeleton(page.document.root, codeBlockRenderer: codeBlockRenderer),
                  !page.source.markdown.utf8.contains(Skeleton.markerLead) else { return full() }
            let entry = self.entry(for: page, skeleton, index: index, navigation: navigation, searchIndex: searchIndex, step: step)
            guard let spliced = entry.page else { return full() }
            var skeletonPage = page
            skeletonPage.document = Document(root: entry.skeleton)
            let body = entry.handout {
                Self.split(Handout.body(skeletonPage, codeBlockRenderer: self.codeBlockRenderer, course: course), count: skeleton.values.count)
            }
            guard let body else { return full() }
            return (Data(spliced.filled(with: skeleton.pageValues(templates))),
                    String(decoding: body.filled(with: skeleton.values), as: UTF8.self))
        }
    }

    private func entry(for page: FilledPage, _ skeleton: Skeleton, index: Int, navigation: Navigation,
                       searchIndex: String, step: RenderStep) -> Entry {
        let path = page.source.path
        lock.lock()
        if let found = entries[path]?[skeleton.hash]?.first(where: { $0.skeleton == skeleton.root }) {
            lock.unlock()
            return found
        }
        lock.unlock()
        var skeletonPage = page
        skeletonPage.document = Document(root: skeleton.root)
        let html = step.renderPage(skeletonPage, at: index, navigation: navigation, course: course, searchIndex: searchIndex)
        let entry = Entry(skeleton: skeleton.root, page: Self.split(Array(html), count: skeleton.values.count))
        lock.lock()
        entries[path, default: [:]][skeleton.hash, default: []].append(entry)
        lock.unlock()
        return entry
    }

    /// The bytes without their markers, and where each was; nil unless every marker
    /// `0..<count` is there exactly once.
    static func split(_ html: String, count: Int) -> Spliced? {
        split(Array(html.utf8), count: count)
    }

    static func split(_ bytes: [UInt8], count: Int) -> Spliced? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var holes: [(Int, Int)] = []
        var seen = [Bool](repeating: false, count: count)
        var i = 0
        var copied = 0
        let n = bytes.count
        while i + 2 < n {
            guard bytes[i] == 0xEE, bytes[i + 1] == 0x80, bytes[i + 2] == 0x80 else { i += 1; continue }
            var j = i + 3
            var index = 0
            var digits = 0
            while j < n, bytes[j] >= 0x30, bytes[j] <= 0x39, digits < 9 {
                index = index * 10 + Int(bytes[j] - 0x30)
                j += 1
                digits += 1
            }
            guard digits > 0, j + 2 < n, bytes[j] == 0xEE, bytes[j + 1] == 0x80, bytes[j + 2] == 0x81,
                  index < count, !seen[index] else { return nil }
            seen[index] = true
            out += bytes[copied..<i]
            holes.append((out.count, index))
            i = j + 3
            copied = i
        }
        out += bytes[copied...]
        guard !seen.contains(false) else { return nil }
        return Spliced(bytes: out, holes: holes)
    }
}

/// A filled document with every value-bearing piece replaced by a marker (see
/// `EditionRenderer`), and the HTML of each piece as the full render would write it.
struct Skeleton {
    var root: Node
    /// The HTML of each marker, as the body renders it (the handout's values).
    var values: [[UInt8]] = []
    /// The markers standing for a handler's figure.
    var figures: [Int] = []
    var hash: Int

    /// The values as they end up in a page, whose asset paths are fingerprinted.
    func pageValues(_ templates: Templates) -> [[UInt8]] {
        var out = values
        for i in figures where Self.contains(values[i], Array("assets/".utf8)) {
            out[i] = Array(templates.fingerprintReferences(values[i]))
        }
        return out
    }

    /// U+E000, the first byte of every marker; U+E001 closes it.
    static let markerLead: UInt8 = 0xEE

    static func marker(_ i: Int) -> String { "\u{E000}\(i)\u{E001}" }

    static let paramOpen = "<span class=\"\(ParameterWalker.paramClass)\""

    /// nil when a value sits where its HTML is not a span of the body (a heading, an image).
    init?(_ document: Node, codeBlockRenderer: any CodeBlockRenderer) {
        var values: [[UInt8]] = []
        var figures: [Int] = []
        var pure = true
        func walk(_ node: Node, sheltered: Bool) -> Node {
            switch node.kind {
            case .customInline(let open, let close) where open.hasPrefix(Self.paramOpen):
                guard !sheltered, node.children.count == 1, case .text(let s) = node.children[0].kind else {
                    pure = false
                    return node
                }
                values.append(Array(open.utf8) + Array(HTMLEscaping.escape(s).utf8) + Array(close.utf8))
                return Node(.htmlInline(Self.marker(values.count - 1)))
            case .codeBlock(let block) where !block.marks.isEmpty:
                // The marker stands in a custom block, whose newline the renderer writes: the
                // code block's own HTML ends with one (else: no splice).
                let html = Array(codeBlockRenderer.render(block).utf8)
                guard !sheltered, html.last == 0x0A else { pure = false; return node }
                values.append(Array(html.dropLast()))
                return Node(.customBlock(html: Self.marker(values.count - 1) + "\n"))
            case .customBlock(let html) where !html.isEmpty:
                // A handler's figure (a trace): the renderer adds a newline unless it ends one.
                values.append(html.hasSuffix("\n") ? Array(html.utf8.dropLast()) : Array(html.utf8))
                figures.append(values.count - 1)
                return Node(.customBlock(html: Self.marker(values.count - 1) + "\n"))
            default:
                guard !node.children.isEmpty else { return node }
                var copy = node
                let shelter: Bool
                switch node.kind {
                case .heading, .image: shelter = true
                default: shelter = sheltered
                }
                copy.children = node.children.map { walk($0, sheltered: shelter) }
                return copy
            }
        }
        let root = walk(document, sheltered: false)
        guard pure else { return nil }
        // The full render rewrites the page after the templates: the sidebar marker (U+0001)
        // and asset paths. A value holding either would be rewritten there, not here.
        // A figure starts with a tag and ends a block, so its asset paths are fingerprinted
        // alone as they would be in the page (`pageValues`).
        let assets = Array("assets/".utf8)
        for (i, value) in values.enumerated() where value.contains(1) || (Self.contains(value, assets) && !figures.contains(i)) {
            return nil
        }
        self.figures = figures
        self.root = root
        self.values = values
        var hasher = Hasher()
        Self.hash(root, into: &hasher)
        self.hash = hasher.finalize()
    }

    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        var i = 0
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// A hash of the parts that differ between skeletons (texts, code, kinds); equality is
    /// checked on a hit, so this only has to be cheap and spread well.
    static func hash(_ node: Node, into h: inout Hasher) {
        switch node.kind {
        case .text(let s), .code(let s), .htmlInline(let s), .htmlBlock(let s): h.combine(s)
        case .customBlock(let s): h.combine(1); h.combine(s)
        case .customInline(let open, let close): h.combine(open); h.combine(close)
        case .codeBlock(let block): h.combine(block.info); h.combine(block.literal)
        case .heading(let level, let id): h.combine(level); h.combine(id)
        case .link(let d, let t), .image(let d, let t): h.combine(d); h.combine(t)
        case .list(let ordered, let start, let tight): h.combine(ordered); h.combine(start); h.combine(tight)
        case .softBreak: h.combine(2)
        case .lineBreak: h.combine(3)
        default: h.combine(4)
        }
        h.combine(node.children.count)
        for child in node.children { hash(child, into: &h) }
    }
}
