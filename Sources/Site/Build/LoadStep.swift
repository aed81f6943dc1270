import LabgenCore
import Foundation
import Yams
import Facts

/// Step 1, load: `course.yaml`, the home page, the labs and parts (`labs/*.md`,
/// `labs/NN-part/*.md`, by file name) and the extra pages (`pages/*.md`), each with its
/// front matter read and blanked. What each file is follows from its place (`PageKind`).
public struct LoadStep: Sendable {
    public var content: ContentRoot

    public init(content: ContentRoot) {
        self.content = content
    }

    public func run() throws -> Course {
        var (config, paths, diagnostics) = outline()
        var pages: [SourcePage] = []
        for path in paths {
            do {
                pages.append(try page(path))
            } catch let diagnostic as Diagnostic {
                diagnostics.append(diagnostic)
            }
        }
        if !diagnostics.isEmpty { throw BuildFailure(diagnostics) }
        return Course(config: config, content: content, pages: pages)
    }

    /// `course.yaml` and the pages' paths in course order, without reading the pages (an
    /// incremental build reads only those whose file changed), and what was wrong.
    public func outline() -> (CourseConfig, [String], [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var config = CourseConfig(title: "")
        if content.isFile("course.yaml") {
            do {
                let text = try content.readText("course.yaml")
                // The usual course.yaml (a few `key: value` lines) without a YAML parser.
                if let mapping = Self.plainMapping(text), let title = mapping["title"],
                   Set(mapping.keys).isSubset(of: ["title", "language", "description"]),
                   mapping["language"].map(CourseConfig.languages.contains) ?? true {
                    config = CourseConfig(title: title, language: mapping["language"], description: mapping["description"])
                } else {
                    config = try CourseConfigLoader(file: content.display("course.yaml")).load(text)
                }
            } catch let diagnostic as Diagnostic {
                diagnostics.append(diagnostic)
            } catch let failure as BuildFailure {
                diagnostics += failure.diagnostics
            } catch {
                diagnostics.append(Diagnostic(file: content.display("course.yaml"), message: "invalid course.yaml: \(error)"))
            }
        } else {
            diagnostics.append(Diagnostic(file: content.display("course.yaml"),
                                          message: "missing course.yaml: write one with `title: …` and `language: fr` (or run `labgen init`)"))
        }
        var paths: [String] = []
        if content.isFile("index.md") {
            paths.append("index.md")
        } else {
            diagnostics.append(Diagnostic(file: content.display("index.md"), message: "missing the course home page: write index.md (or run `labgen init`)"))
        }
        let (found, problems) = self.tree()
        paths += found
        diagnostics += problems
        return (config, paths, diagnostics)
    }

    /// The pages under `labs/` and `pages/`, in course order, and what is wrong with the tree.
    /// `labs/` holds labs (`NN-slug.md`) and parts (`NN-slug/`: its own `index.md`, then its
    /// labs), ordered together by name; `pages/` holds the extra pages, by name. A folder
    /// without any page (a part's images) is not a part; pages one folder deeper are refused.
    func tree() -> ([String], [Diagnostic]) {
        var paths: [String] = []
        var diagnostics: [Diagnostic] = []
        /// Whether `path` can be a page's: a name with `#`, `?` or `%` cannot be linked to.
        func linkable(_ path: String) -> Bool {
            guard let bad = path.first(where: { "#?%".contains($0) }) else { return true }
            diagnostics.append(Diagnostic(file: content.display(path), message:
                "the file name contains `\(bad)`, which ends or escapes a link's path (the navigation would link to a page that does not exist): rename it with letters, digits, `-` and `_`"))
            return false
        }
        /// Reports the sub-folders of `folder` that hold pages: one level is all there is.
        func refuseDeeper(_ folders: [String], in folder: String, _ what: String) {
            for name in folders where !content.listing(of: folder + "/" + name, withExtension: "md").files.isEmpty {
                diagnostics.append(Diagnostic(file: content.display(folder + "/" + name + "/"), message: what))
            }
        }
        let labs = PageKind.labsFolder
        let top = content.listing(of: labs, withExtension: "md")
        // A folder named like a page (`02-x.md/`) stays a page: reading it says what is wrong.
        let entries = (top.files.map { ($0, false) } + top.folders.map { ($0, !$0.hasSuffix(".md")) }).sorted { $0.0 < $1.0 }
        for (name, isFolder) in entries {
            let path = labs + "/" + name
            guard isFolder else {
                if linkable(path) { paths.append(path) }
                continue
            }
            let inside = content.listing(of: path, withExtension: "md")
            refuseDeeper(inside.folders, in: path, "a part holds its labs directly (one level of parts): move these pages into \(content.display(path))/, or make them a part of their own, \(content.display(labs))/NN-name/")
            guard !inside.files.isEmpty, linkable(path) else { continue }
            guard inside.files.contains("index.md") else {
                diagnostics.append(Diagnostic(file: content.display(path + "/index.md"), message:
                    "the part `\(name)` has no page of its own: write \(content.display(path))/index.md with its title (`# …` or `title: …`) and a few lines introducing its labs"))
                continue
            }
            paths.append(path + "/index.md")
            paths += inside.files.filter { $0 != "index.md" }.map { path + "/" + $0 }
        }
        let pages = PageKind.pagesFolder
        let extra = content.listing(of: pages, withExtension: "md")
        refuseDeeper(extra.folders, in: pages, "extra pages are the .md files directly in \(content.display(pages))/: move these pages there (labs in a folder go into \(content.display(labs))/NN-name/, a part)")
        paths += (extra.files + extra.folders.filter { $0.hasSuffix(".md") }).sorted().map { pages + "/" + $0 }.filter(linkable)
        return (paths, diagnostics)
    }

    /// One page of the outline, read and its front matter split off.
    public func page(_ path: String) throws -> SourcePage {
        // `readText` refuses a page whose real path leaves the root (a symlink out).
        try Self.page(path: path, text: try content.readText(path), content: content)
    }

    private struct FrontMatter: Decodable {
        var title: String?
        /// `handout: false` leaves the page out of the attendees' handouts.
        var handout: Bool?
    }

    /// The title of a front matter that is exactly `title: "…"` or `title: …` in the simplest
    /// YAML (no escapes, no comment, nothing YAML reads specially), without a YAML parser:
    /// Yams is slow for what nearly every page holds. Anything else is nil and goes to Yams,
    /// which also says what is wrong.
    static func plainTitle(_ yaml: String) -> String? {
        guard let mapping = plainMapping(yaml), mapping.count == 1 else { return nil }
        return mapping["title"]
    }

    /// A YAML document made only of `key: value` lines (lower-case keys, each once, values as
    /// `plainScalar` takes them), as a dictionary; nil for anything else (Yams then reads it).
    static func plainMapping(_ yaml: String) -> [String: String]? {
        var text = Substring(yaml)
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        guard !text.isEmpty, !text.contains("\r"), !text.contains("\t") else { return nil }
        var mapping: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let key = line[..<colon]
            guard !key.isEmpty, key.allSatisfy({ ("a"..."z").contains($0) || $0 == "_" }),
                  line[colon...].hasPrefix(": "), mapping[String(key)] == nil,
                  let value = plainScalar(line[line.index(colon, offsetBy: 2)...]) else { return nil }
            mapping[String(key)] = value
        }
        return mapping
    }

    /// A one-line YAML value as Yams reads it, when that is plain to see: `"…"` without escapes,
    /// or a plain scalar that YAML reads as the string it is; nil otherwise.
    static func plainScalar(_ value: Substring) -> String? {
        if value.count >= 2, value.first == "\"", value.last == "\"" {
            let inner = value.dropFirst().dropLast()
            guard !inner.isEmpty, !inner.contains("\""), !inner.contains("\\"), !inner.unicodeScalars.contains(where: Self.isSpecialToYAML) else { return nil }
            return String(inner)
        }
        // A plain scalar: starts with a letter or digit, ends with neither space nor ':',
        // no `: ` or ` #` inside, no character YAML gives a meaning to (an apostrophe inside,
        // as in « d'essai », is just a character).
        guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last,
              first.properties.isAlphabetic || ("0"..."9").contains(first),
              last != " ", last != ":",
              !value.contains(": "), !value.contains(" #"),
              !value.unicodeScalars.contains(where: { "\"{}[],&*!|>%@`\\".unicodeScalars.contains($0) || Self.isSpecialToYAML($0) }) else { return nil }
        // Words YAML reads as null or booleans: Yams decides what they mean.
        guard !["null", "~", "true", "false", "yes", "no", "on", "off", "y", "n"].contains(value.lowercased()) else { return nil }
        return String(value)
    }

    /// Controls, line breaks YAML knows beyond LF/CR (NEL, U+2028/9), BOM, noncharacters.
    private static func isSpecialToYAML(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x20 || (0x7F...0x9F).contains(c.value) || c.value == 0x2028 || c.value == 0x2029 || c.value == 0xFEFF || c.value >= 0xFFFE
    }

    /// Splits `---` front matter off; its lines become blank so markdown lines keep their numbers.
    static func page(path: String, text: String, content: ContentRoot) throws -> SourcePage {
        // Scanned as bytes: splitting every page into Character lines is slow.
        let bytes = Array(text.utf8)
        var lineStarts = [0]
        func isDelimiter(_ start: Int, _ end: Int) -> Bool {
            guard end - start >= 3, end - start < 64, bytes[start..<end].contains(UInt8(ascii: "-")) else { return false }
            return String(decoding: bytes[start..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces) == "---"
        }
        let firstEnd = bytes.firstIndex(of: 0x0A) ?? bytes.count
        guard isDelimiter(0, firstEnd) else { return SourcePage(path: path, markdown: text) }
        var end: Int?
        var cursor = firstEnd
        while cursor < bytes.count {
            let start = cursor + 1
            lineStarts.append(start)
            let stop = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            if isDelimiter(start, stop) { end = lineStarts.count - 1; cursor = stop; break }
            cursor = stop
        }
        guard let end else { return SourcePage(path: path, markdown: text) }
        let yamlStart = min(firstEnd + 1, bytes.count)
        let yaml = String(decoding: bytes[yamlStart..<max(yamlStart, lineStarts[end] - 1)], as: UTF8.self)
        // The text after the front matter, sliced from the (valid) text: not decoded again.
        let rest = cursor < bytes.count ? text[text.utf8.index(text.startIndex, offsetBy: cursor + 1)...] : nil
        let front: FrontMatter?
        do { try YAMLNesting.check(yaml, file: content.display(path), firstLine: 2) } catch { throw error }
        do {
            front = try Self.plainTitle(yaml).map { FrontMatter(title: $0) } ?? YAMLDecoder().decode(FrontMatter?.self, from: yaml)
        } catch {
            if case DecodingError.dataCorrupted(let context) = error, context.underlyingError is YamlError {
                throw YAMLErrorText.diagnostic(error, file: content.display(path), firstLine: 2, what: "the front matter")
            }
            if error is DecodingError {
                throw Diagnostic(file: content.display(path), line: 2, message: "the front matter holds `title: …` (one line of text) and `handout: false` (or true); fix or remove it")
            }
            throw YAMLErrorText.diagnostic(error, file: content.display(path), firstLine: 2, what: "the front matter")
        }
        // As if each front matter line were emptied: the same line numbers below it.
        var body = String(repeating: "\n", count: rest == nil ? end : end + 1)
        if let rest { body += rest }
        return SourcePage(path: path, markdown: body, title: front?.title, handout: front?.handout ?? true)
    }
}
