import LabgenCore
import Facts
import Foundation

/// Text downloads (`content/files/…/webserver.yml`) carry the attendee's values too: a
/// `${{ … }}` in a file with one of `extensions` is filled from the edition's facts, with the
/// parameter language of the pages, as plain text (a YAML or a script is not HTML). A fact
/// can never run a command on an attendee's machine from a script: the facts loader accepts
/// only plain shell words (`ShellWord`), the same rule as for the pages' copy buttons.
public enum DownloadSubstitution {
    public static let extensions: Set<String> = ["yml", "yaml", "sh", "txt", "json", "conf"]

    public static func isFilled(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), !path[path.index(after: dot)...].contains("/") else { return false }
        return extensions.contains(path[path.index(after: dot)...].lowercased())
    }

    /// The published bytes of the content file `path` for these facts. Other files, and
    /// files with no placeholder, are copied.
    ///
    /// - Parameters:
    ///   - path: the file, relative to the content root.
    ///   - content: the content root it is read from.
    ///   - facts: the edition's facts.
    public static func contents(of path: String, content: ContentRoot, facts: FactsContext) throws -> Data {
        let data = try content.read(path)
        guard isFilled(path), let text = String(data: data, encoding: .utf8), Template.mayContainPlaceholders(text) else { return data }
        let file = content.display(path)
        let template: Template
        do { template = try Template(parsing: TemplateText(text), file: file) } catch {
            throw BuildFailure(error.diagnostics)
        }
        let filled = template.fill(ParameterScope(facts))
        let problems = (template.check(varsOf: facts) + filled.diagnostics)
        if !problems.isEmpty {
            var seen: Set<String> = []
            throw BuildFailure(problems.filter { seen.insert($0.description).inserted })
        }
        return Data(filled.plainText.utf8)
    }

    /// `labgen check`: unknown names in the downloads the pages link to, whatever the facts.
    /// - Parameters:
    ///   - facts: the edition's facts, for the course's own `vars`.
    public static func check(_ paths: [String], content: ContentRoot, facts: FactsContext? = nil) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for path in paths where isFilled(path) {
            guard let data = try? content.read(path), let text = String(data: data, encoding: .utf8),
                  Template.mayContainPlaceholders(text) else { continue }
            do {
                out += try Template(parsing: TemplateText(text), file: content.display(path)).check(varsOf: facts)
            } catch {
                out += error.diagnostics
            }
        }
        return out
    }
}
