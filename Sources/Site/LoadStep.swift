import Foundation
import Yams
import Facts

/// Step 1, load: `course.yaml`, the home page and the labs (`labs/*.md`, by file name),
/// each with its front matter read and blanked.
public struct LoadStep: Sendable {
    public var content: ContentRoot

    public init(content: ContentRoot) {
        self.content = content
    }

    public func run() throws -> Course {
        var diagnostics: [Diagnostic] = []
        var config = CourseConfig(title: "")
        if content.isFile("course.yaml") {
            do {
                config = try YAMLDecoder().decode(CourseConfig.self, from: try content.readText("course.yaml"))
            } catch let diagnostic as Diagnostic {
                diagnostics.append(diagnostic)
            } catch {
                diagnostics.append(Diagnostic(file: content.display("course.yaml"), message: "invalid course.yaml: \(error)"))
            }
        } else {
            diagnostics.append(Diagnostic(file: content.display("course.yaml"), message: "missing course.yaml (title, language)"))
        }
        var paths: [String] = []
        if content.isFile("index.md") {
            paths.append("index.md")
        } else {
            diagnostics.append(Diagnostic(file: content.display("index.md"), message: "missing the course home page"))
        }
        paths += content.files(in: "labs", withExtension: "md")
        var pages: [SourcePage] = []
        for path in paths {
            guard content.staysInside(path) else {
                diagnostics.append(Diagnostic(file: content.display(path), message: "symlink leads outside the content directory"))
                continue
            }
            do {
                pages.append(try Self.page(path: path, text: try content.readText(path), content: content))
            } catch let diagnostic as Diagnostic {
                diagnostics.append(diagnostic)
            }
        }
        if !diagnostics.isEmpty { throw BuildFailure(diagnostics) }
        return Course(config: config, content: content, pages: pages)
    }

    private struct FrontMatter: Decodable {
        var title: String?
    }

    /// Splits `---` front matter off; its lines become blank so markdown lines keep their numbers.
    static func page(path: String, text: String, content: ContentRoot) throws -> SourcePage {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first.map({ $0.trimmingCharacters(in: .whitespaces) == "---" }) == true,
              let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
            return SourcePage(path: path, markdown: text)
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        let front: FrontMatter?
        do {
            front = try YAMLDecoder().decode(FrontMatter?.self, from: yaml)
        } catch {
            var line = 2
            if case YamlError.scanner(_, _, let mark, _) = error { line = mark.line + 1 }
            if case YamlError.parser(_, _, let mark, _) = error { line = mark.line + 1 }
            throw Diagnostic(file: content.display(path), line: line, message: "invalid front matter: \(error)")
        }
        let body = Array(repeating: "", count: end + 1) + lines[(end + 1)...].map(String.init)
        return SourcePage(path: path, markdown: body.joined(separator: "\n"), title: front?.title)
    }
}

/// Reads a facts document (default facts in the content, or `--facts FILE`), validated by
/// the Facts target; its diagnostics carry the line and column of the offending value.
public enum FactsLoader {
    public static func load(data: Data, displayPath: String) throws -> Facts {
        do {
            return try Facts.load(bytes: Array(data), file: displayPath)
        } catch {
            let diagnostics = error.diagnostics.map(Diagnostic.init(facts:))
            if diagnostics.count == 1 { throw diagnostics[0] }
            throw BuildFailure(diagnostics)
        }
    }

    public static func load(file url: URL, displayPath: String) throws -> Facts {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw Diagnostic(file: displayPath, message: "cannot read facts: \(error.localizedDescription)")
        }
        return try load(data: data, displayPath: displayPath)
    }
}
