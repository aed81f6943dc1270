import Foundation
import Mustache

/// The course-wide part of pages: links to home, to each lab (the sidebar), to the previous
/// and next page. Listing every lab in every page made the site grow as pages² (2,000 labs:
/// 408 MB) and made a title change rewrite every page. As mdBook does with its `toc.js`,
/// the lab list is written once, into `assets/labs.js`, which fills each lab page's sidebar
/// as the page loads (a `<script src>`: it works from `file://`, where `fetch` does not).
/// The home page (the sommaire) keeps the list in its HTML, so a reader without scripts
/// finds it there; lab pages link to it from a `<noscript>`.
public struct Navigation: Sendable {
    /// One page's place in the course: its output path and title.
    public struct Link: Sendable, Hashable, Codable {
        public var path: String
        public var title: String
        public var isHome: Bool

        /// Of what a page shows of it.
        public var digest: Digest { Digest.combining([path, title, isHome ? "home" : ""]) }
    }

    public let links: [Link]
    /// Every lab's sidebar entry, back to back, with links relative to the site root.
    public let labsHTML: String

    /// The template rendered once per lab, with `href`, `title` and the course-wide values
    /// (`lang`, `courseTitle`, `ui`, `root`); the script marks the current page.
    public static let entryTemplate = "sidebar-lab"
    /// Not fingerprinted: its name is in every page, and a name that changed with any title
    /// would make a title change rewrite every page again.
    public static let scriptPath = "assets/labs.js"

    /// `listingLabs: false` leaves `labsHTML` empty: a rebuild that renders neither the home
    /// page nor the script does not need the list.
    public init(links: [Link], templates: Templates, course: CourseConfig, strings: UIStrings, listingLabs: Bool = true) {
        self.links = links
        guard listingLabs else { labsHTML = ""; return }
        let context: [String: Any] = [
            "lang": course.language ?? "fr",
            "courseTitle": course.title,
            "ui": strings.templateValues,
            "root": "",
        ]
        var entry = context
        entry["current"] = false
        let labs = links.filter { !$0.isHome }
        if let shapes = templates.shapes,
           let bytes = shapes.renderRows(entry, keys: ["href", "title"], rows: labs.map { [$0.path, $0.title] },
                                         template: Self.entryTemplate, library: templates.library) {
            labsHTML = String(decoding: templates.fingerprintReferences(bytes), as: UTF8.self)
            return
        }
        var html = ""
        for lab in labs {
            entry["href"] = lab.path
            entry["title"] = lab.title
            html += templates.library.render(entry, withTemplate: Self.entryTemplate) ?? ""
        }
        labsHTML = templates.fingerprintReferences(html)
    }

    /// `assets/labs.js`: puts the entries into `#sidebar-labs`, makes their links relative
    /// to the page (`data-root` on `<body>`) and marks the page's own entry
    /// (`aria-current="page"`, compared with the list's `data-page`).
    public var script: OutputFile {
        var js = "/* labgen: every lab of the course, for the sidebar of each page (written once, not in every page). */\n"
        js += "(function () {\n  \"use strict\";\n  var html = "
        js += Self.javaScriptString(labsHTML)
        js += """
        ;
          var list = document.getElementById("sidebar-labs");
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
        return OutputFile(path: Self.scriptPath, contents: Data(js.utf8))
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
    /// neighbours, and for the home page the whole list (`labs`, the digest of every link,
    /// which the lab script is made from too). An incremental build re-renders a page when its
    /// digest changes. All at once, each link hashed once.
    public func dependencyKeys() -> (labs: Digest, pages: [Digest]) {
        let each = links.map(\.digest)
        let none = Digest("-")
        let home = links.firstIndex(where: { $0.isHome }).map { each[$0] } ?? none
        // The sommaire lists every lab: its list is made from all the links (and the templates
        // and course, in every page's key), so they stand for it.
        let labs = Digest.combining(each)
        let pages = links.indices.map { i in
            Digest.combining([home, i > 0 ? each[i - 1] : none, i + 1 < each.count ? each[i + 1] : none]
                             + (links[i].isHome ? [labs] : []))
        }
        return (labs, pages)
    }
}
