import LabgenCore
import Foundation
import Markdown

/// The handout puts every lab on one page at the edition's root (`handout.html`), while each
/// lab was written from its own folder (`labs/`) and chose its ids alone. As mdBook's print
/// page does, each lab's rendered body is rewritten: every id gets the lab's prefix (two labs
/// may both have `#installation`, or a trace at the same line), a link to a lab becomes an
/// anchor of the handout, and every other relative path is re-rooted at the edition's root.
///
/// Works on the rendered HTML, so raw HTML, footnotes and handler figures (trace ids, their
/// stylesheet) are covered alike; text and values are escaped there, so `="` only occurs in
/// attributes.
struct HandoutLinks: Sendable {
    /// The output path of each lab in the handout (`labs/01-ebpf-dsr.html`) → its section id.
    var sections: [String: String]

    init(labs outputPaths: [String]) {
        var sections: [String: String] = [:]
        var used: Set<String> = []
        for path in outputPaths {
            var id = Self.sectionID(path)
            if used.contains(id) {
                var n = 2
                while used.contains("\(id)-\(n)") { n += 1 }
                id = "\(id)-\(n)"
            }
            used.insert(id)
            sections[path] = id
        }
        self.sections = sections
    }

    /// `labs/01-ebpf-dsr.html` → `lab-01-ebpf-dsr`, `labs/02-bases/01-pods.html` →
    /// `lab-02-bases-01-pods`, `pages/annexe.html` → `page-annexe`.
    static func sectionID(_ outputPath: String) -> String {
        var stem = Substring(outputPath)
        var kind = "lab-"
        if stem.hasPrefix("labs/") { stem = stem.dropFirst(5) }
        if stem.hasPrefix(PageKind.pagesFolder + "/") { stem = stem.dropFirst(PageKind.pagesFolder.count + 1); kind = "page-" }
        if stem.hasSuffix(".html") { stem = stem.dropLast(5) }
        return kind + String(stem.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "-" })
    }

    /// An id of the lab at `outputPath` as it is in the handout.
    func id(_ id: String, in outputPath: String) -> String {
        (sections[outputPath] ?? Self.sectionID(outputPath)) + "--" + id
    }

    /// One lab's body, as written for its page at `outputPath`, made right for the handout.
    func rewrite(_ body: String, page outputPath: String) -> String {
        let own = sections[outputPath] ?? Self.sectionID(outputPath)
        // Bytes, not `String.range(of:)`: this runs on every lab of every attendee.
        let bytes = Array(body.utf8)
        let n = bytes.count
        let equals = UInt8(ascii: "="), quote = UInt8(ascii: "\"")
        func isNameByte(_ c: UInt8) -> Bool {
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x3A
        }
        var out: [UInt8] = []
        out.reserveCapacity(n + 1024)
        var copied = 0
        var i = 0
        while i + 1 < n {
            guard bytes[i] == equals, bytes[i + 1] == quote else { i += 1; continue }
            var nameStart = i
            while nameStart > 0, isNameByte(bytes[nameStart - 1]) { nameStart -= 1 }
            let valueStart = i + 2
            var close = valueStart
            while close < n, bytes[close] != quote { close += 1 }
            guard close < n else { break }
            let name = String(decoding: bytes[nameStart..<i], as: UTF8.self).lowercased()
            let value = String(decoding: bytes[valueStart..<close], as: UTF8.self)
            let rewritten = attribute(name, value, page: outputPath, own: own)
            if rewritten != value {
                out += bytes[copied..<valueStart]
                out += rewritten.utf8
                copied = close
            }
            i = close + 1
        }
        if copied == 0 { return body }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }

    func attribute(_ name: String, _ value: String, page: String, own: String) -> String {
        switch name {
        case "id" where !value.isEmpty:
            return own + "--" + value
        case "href", "src", "xlink:href":
            let url = value.replacingOccurrences(of: "&amp;", with: "&")
            return HTMLEscaping.escapeHref(destination(url, from: page, own: own))
        case "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "for", "headers", "list", "form":
            return value.split(separator: " ").map { own + "--" + $0 }.joined(separator: " ")
        default:
            return value.contains("url(#") ? value.replacingOccurrences(of: "url(#", with: "url(#\(own)--") : value
        }
    }

    /// Marks `class="handout-away"` each paragraph that is nothing but a link to a page the
    /// handout leaves out (`[Revenir au sommaire](../index.md)`): navigation that means
    /// nothing on paper, which the handout's print style hides. Runs on a rewritten body.
    static func markAway(_ body: String) -> String {
        let open = "<p><a href=\""
        guard body.contains(open) else { return body }
        var out = ""
        var rest = Substring(body)
        while let start = rest.range(of: open) {
            out += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            guard let quote = after.firstIndex(of: "\""), let end = after.range(of: "</a></p>") else {
                out += rest[start]
                rest = after
                continue
            }
            let href = after[..<quote]
            let inner = after[after.index(after: quote)..<end.lowerBound]
            let away = !href.hasPrefix("#") && !href.contains(":") && href.hasSuffix(".html")
                && inner.hasPrefix(">") && !inner.dropFirst().contains("<")
            out += away ? "<p class=\"handout-away\"><a href=\"" : open
            rest = after
        }
        out += rest
        return out
    }

    /// Where a link or image of the page at `page` points from the handout.
    func destination(_ url: String, from page: String, own: String) -> String {
        switch LinkTarget.classify(url, from: page) {
        case .anchor(let id) where !id.isEmpty:
            return "#" + own + "--" + id
        case .file(let path, let fragment):
            if let section = sections[path] {
                guard let fragment, !fragment.isEmpty else { return "#" + section }
                return "#" + section + "--" + fragment
            }
            // Any other file (an image, a download, the home page, an asset) is published at
            // the same place in the edition, whose root is the handout's folder: re-root the
            // path as written (still percent-encoded), keep its query and fragment.
            let end = url.firstIndex { $0 == "#" || $0 == "?" } ?? url.endIndex
            guard case .inside(let rooted) = ContentRoot.resolve(String(url[..<end]), from: page) else { return url }
            return (rooted.isEmpty ? "./" : rooted) + url[end...]
        default:
            return url
        }
    }
}
