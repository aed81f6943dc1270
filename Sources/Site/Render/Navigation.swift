import Foundation
import Mustache

/// The course-wide part of pages: links to home, to each lab (the sidebar), to the previous
/// and next page. Listing every lab in every page made the site grow as pages² and made a
/// title change rewrite every page. As mdBook does with its `toc.js`,
/// the lab list is written once, into `assets/labs.js`, which fills each lab page's sidebar
/// as the page loads (a `<script src>`: it works from `file://`, where `fetch` does not).
/// The home page (the sommaire) keeps the list in its HTML, so a reader without scripts
/// finds it there; lab pages link to it from a `<noscript>`.
///
/// The list follows the content tree (`PageKind`): labs, and parts as groups of their labs
/// (`sidebar-part`); previous/next walk the home page, parts and labs in course order; a
/// part's lab links to its part (the breadcrumb), a part's page lists its labs. Extra pages
/// are a list of their own (in the script too), outside previous/next.
public struct Navigation: Sendable {
    /// One page's place in the course: its output path and title.
    public struct Link: Sendable, Hashable, Codable {
        public var path: String
        public var title: String
        public var isHome: Bool

        /// Of what a page shows of it.
        public var digest: Digest { Digest.combining([path, title, isHome ? "home" : ""]) }

        /// Home, lab, part or extra page, from its path.
        public var kind: PageKind { isHome ? .home : PageKind(path: path) }
    }

    public let links: [Link]
    /// Every lab's sidebar entry, back to back, with links relative to the site root; a part
    /// is one entry holding its labs'.
    public let labsHTML: String
    /// Every extra page's entry (empty without any).
    public let pagesHTML: String
    /// Per link, the links previous/next lead to (indices in `links`), the part it belongs to,
    /// and for a part, its labs.
    public let outline: Outline

    /// Where each page is in the course, from the links' paths alone.
    public struct Outline: Sendable, Equatable {
        /// Per page, the page its `rel="prev"` / `rel="next"` link leads to (nil: none; extra
        /// pages have neither and are skipped by the others).
        public var previous: [Int?]
        public var next: [Int?]
        /// Per page, its part's page for a lab inside a part (the breadcrumb).
        public var part: [Int?]
        /// A part's page → its labs, in order.
        public var labs: [Int: [Int]]
        /// Whether the course has extra pages (every page then shows their list).
        public var hasPages: Bool

        /// - Parameters:
        ///   - links: every page, in course order.
        public init(_ links: [Link]) {
            let count = links.count
            previous = Array(repeating: nil, count: count)
            next = Array(repeating: nil, count: count)
            part = Array(repeating: nil, count: count)
            labs = [:]
            let kinds = links.map(\.kind)
            hasPages = kinds.contains(.page)
            var last: Int?
            for i in 0..<count where kinds[i].isInSequence {
                if let last { previous[i] = last; next[last] = i }
                last = i
            }
            // Only a course with parts pays for looking them up.
            guard kinds.contains(.part) else { return }
            var parts: [String: Int] = [:]
            for i in 0..<count where kinds[i] == .part { parts[links[i].path] = i }
            for i in 0..<count where kinds[i] == .lab {
                if let owner = PageKind.part(of: links[i].path).flatMap({ parts[$0] }) {
                    part[i] = owner
                    labs[owner, default: []].append(i)
                }
            }
        }
    }

    /// The template rendered once per lab, with `href`, `title` and the course-wide values
    /// (`lang`, `courseTitle`, `ui`, `root`); the script marks the current page.
    public static let entryTemplate = "sidebar-lab"
    /// A part in the list: `href`, `title` and `labsHTML`, its labs' entries.
    public static let partTemplate = "sidebar-part"
    /// Not fingerprinted: its name is in every page, and a name that changed with any title
    /// would make a title change rewrite every page again.
    public static let scriptPath = "assets/labs.js"

    /// `listingLabs: false` leaves `labsHTML` and `pagesHTML` empty: a rebuild that renders
    /// neither the home page nor the script does not need the lists.
    public init(links: [Link], templates: Templates, course: CourseConfig, strings: UIStrings, listingLabs: Bool = true) {
        self.links = links
        let outline = Outline(links)
        self.outline = outline
        guard listingLabs else { labsHTML = ""; pagesHTML = ""; return }
        let context: [String: Any] = [
            "lang": course.language ?? "fr",
            "courseTitle": course.title,
            "ui": strings.templateValues,
            "root": "",
        ]
        var entry = context
        entry["current"] = false
        /// The entries of `labs`, back to back.
        func entries(_ labs: [Link]) -> String {
            if let shapes = templates.shapes,
               let bytes = shapes.renderRows(entry, keys: ["href", "title"], rows: labs.map { [$0.path, $0.title] },
                                             template: Self.entryTemplate, library: templates.library) {
                return String(decoding: bytes, as: UTF8.self)
            }
            var html = ""
            for lab in labs {
                entry["href"] = lab.path
                entry["title"] = lab.title
                html += templates.library.render(entry, withTemplate: Self.entryTemplate) ?? ""
            }
            return html
        }
        // Runs of labs outside parts are rendered together (a flat course is one run).
        var html = ""
        var run: [Link] = []
        for (i, link) in links.enumerated() {
            switch link.kind {
            case .home, .page:
                continue
            case .lab where outline.part[i] != nil:
                continue
            case .part:
                html += entries(run)
                run = []
                var group = context
                group["href"] = link.path
                group["title"] = link.title
                group["labsHTML"] = entries((outline.labs[i] ?? []).map { links[$0] })
                html += String(decoding: templates.render(group, template: Self.partTemplate), as: UTF8.self)
            case .lab:
                run.append(link)
            }
        }
        html += entries(run)
        labsHTML = templates.fingerprintReferences(html)
        pagesHTML = outline.hasPages ? templates.fingerprintReferences(entries(links.filter { $0.kind == .page })) : ""
    }

    /// The indices in `links` of the pages previous/next lead to from page `index`.
    public func neighbours(of index: Int) -> (previous: Int?, next: Int?) {
        (outline.previous[index], outline.next[index])
    }

    /// `assets/labs.js`: puts the entries into `#sidebar-labs` (and the extra pages' into
    /// `#sidebar-pages`), makes their links relative to the page (`data-root` on `<body>`)
    /// and marks the page's own entry (`aria-current="page"`, compared with the list's
    /// `data-page`).
    public var script: OutputFile {
        var js = "/* labgen: every lab of the course, for the sidebar of each page (written once, not in every page). */\n"
        js += Self.filler(list: "sidebar-labs", html: labsHTML)
        if outline.hasPages { js += Self.filler(list: "sidebar-pages", html: pagesHTML) }
        return OutputFile(path: Self.scriptPath, contents: Data(js.utf8))
    }

    /// The script that fills the list whose id is `list` with `html`.
    static func filler(list: String, html: String) -> String {
        var js = "(function () {\n  \"use strict\";\n  var html = "
        js += javaScriptString(html)
        js += """
        ;
          var list = document.getElementById("\(list)");
          if (!list) return;
          var root = document.body.getAttribute("data-root") || "";
          var here = list.getAttribute("data-page");
          list.innerHTML = html;
          var links = list.querySelectorAll("a[href]");
          for (var i = 0; i < links.length; i++) {
            var href = links[i].getAttribute("href");
            if (href === here) links[i].setAttribute("aria-current", "page");
            if (!/^([a-z][a-z0-9+.-]*:|\\/|#)/i.test(href)) links[i].setAttribute("href", root + href);
          }
        })();

        """
        return js
    }

    /// A double-quoted JavaScript literal: quotes, backslashes, controls and U+2028/9
    /// escaped, and `</` written `<\/`.
    static func javaScriptString(_ s: String) -> String {
        // Over UTF-8 bytes (every lab's entry goes through here on each build that writes the
        // script): only ASCII bytes and U+2028/9 (E2 80 A8/A9) are ever escaped.
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(s.utf8.count + 16)
        let bytes = Array(s.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""): out += [0x5C, 0x22]
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case UInt8(ascii: "/") where i > 0 && bytes[i - 1] == UInt8(ascii: "<"): out += [0x5C, 0x2F]
            case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                out += Array((bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                i += 2
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            default: out.append(b)
            }
            i += 1
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    /// What each page's HTML shows of the navigation, one digest per page: the home link, its
    /// neighbours, its part (a part's lab) or its labs (a part's page), whether extra pages
    /// are listed, and for the home page the whole list (`labs`, the digest of every link,
    /// which the lab script is made from too). An incremental build re-renders a page when
    /// its digest changes. All at once, each link hashed once.
    public func dependencyKeys() -> (labs: Digest, pages: [Digest]) {
        let each = links.map(\.digest)
        let none = Digest("-")
        let home = links.firstIndex(where: { $0.isHome }).map { each[$0] } ?? none
        // The sommaire lists every lab: its list is made from all the links (and the templates
        // and course, in every page's key), so they stand for it.
        let labs = Digest.combining(each)
        let pages = links.indices.map { i in
            var parts = [home, outline.previous[i].map { each[$0] } ?? none, outline.next[i].map { each[$0] } ?? none]
            // Only what a flat course does not have adds to the key (a flat page's key is as before).
            if let part = outline.part[i] { parts += [Digest("part"), each[part]] }
            if let own = outline.labs[i] { parts += [Digest("part labs")] + own.map { each[$0] } }
            if outline.hasPages { parts.append(Digest("extra pages")) }
            return Digest.combining(parts + (links[i].isHome ? [labs] : []))
        }
        return (labs, pages)
    }
}
