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

    public init(links: [Link], templates: Templates, course: CourseConfig, strings: UIStrings) {
        self.links = links
        let context: [String: Any] = [
            "lang": course.language ?? "fr",
            "courseTitle": course.title,
            "ui": strings.templateValues,
            "root": "",
        ]
        var html = ""
        for lab in links where !lab.isHome {
            var entry = context
            entry["href"] = lab.path
            entry["title"] = lab.title
            entry["current"] = false
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
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        var previous: Unicode.Scalar = " "
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "/" where previous == "<": out += "\\/"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if c.value < 0x20 {
                    let hex = String(c.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(c)
                }
            }
            previous = c
        }
        return out + "\""
    }

    /// What a page's HTML shows of the navigation: the home link, its neighbours, and for
    /// the home page the whole list. An incremental build re-renders a page when this changes.
    public func dependencyKey(at index: Int) -> [String] {
        var parts: [String] = []
        func add(_ link: Link?) {
            parts += link.map { [$0.path, $0.title, $0.isHome ? "home" : ""] } ?? ["-"]
        }
        add(links.first(where: \.isHome))
        add(index > 0 ? links[index - 1] : nil)
        add(index + 1 < links.count ? links[index + 1] : nil)
        if links[index].isHome { parts.append(labsHTML) }
        return parts
    }
}
