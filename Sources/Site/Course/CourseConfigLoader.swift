import LabgenCore
import Facts
import Foundation
import Yams

/// Reads `course.yaml` strictly: every key known (a typo gets a suggestion), a supported
/// language, `vars:` declarations well typed; each problem at its line and column, never a
/// raw parser dump.
struct CourseConfigLoader {
    static let knownKeys = ["title", "language", "description", "vars"]
    static let varKeys = ["type", "default", "description"]

    var file: String

    /// - Parameters:
    ///   - text: the file's text.
    func load(_ text: String) throws -> CourseConfig {
        let root: Yams.Node?
        do { try YAMLNesting.check(text, file: file) } catch { throw error }
        do { root = try Yams.compose(yaml: text) } catch {
            throw YAMLErrorText.diagnostic(error, file: file, firstLine: 1, what: "course.yaml")
        }
        guard let root, let mapping = root.mapping else {
            throw Diagnostic(file: file, message: "course.yaml is a mapping of keys (title: …, language: fr); found no mapping")
        }
        var problems: [Diagnostic] = []
        func problem(_ node: Yams.Node, _ message: String) {
            problems.append(Diagnostic(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, message: message))
        }
        var config = CourseConfig(title: "", language: nil)
        var sawTitle = false
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "title":
                guard let s = value.scalar?.string, !s.isEmpty else { problem(value, "title: a non-empty text, e.g. title: Mon atelier"); continue }
                config.title = s
                sawTitle = true
            case "language":
                let s = value.scalar?.string ?? ""
                let base = String(s.lowercased().prefix { $0.isLetter })
                guard CourseConfig.languages.contains(base), s.count == 2 || s.dropFirst(2).hasPrefix("-") else {
                    problem(value, "unsupported language \"\(s)\"; labgen's pages and trace views exist in "
                            + CourseConfig.languages.map { "`\($0)`" }.joined(separator: " and ")
                            + (Suggestion.closest(to: s, among: CourseConfig.languages).first.map { " (did you mean `\($0)`?)" } ?? ""))
                    continue
                }
                config.language = s
            case "description":
                guard let s = value.scalar?.string else { problem(value, "description: one text"); continue }
                config.description = s
            case "vars":
                config.vars = vars(value, problem: problem)
            default:
                problem(keyNode, "unknown key \"\(key)\" in course.yaml; " + Suggestion.hint(for: key, among: Self.knownKeys))
            }
        }
        if !sawTitle && problems.isEmpty { problem(root, "missing title: add a line `title: …` (the course's name)") }
        if !problems.isEmpty { throw BuildFailure(problems) }
        return config
    }

    /// `name: default` (type inferred) or `name: {type: …, default: …, description: …}`.
    private func vars(_ node: Yams.Node, problem: (Yams.Node, String) -> Void) -> [String: CourseConfig.Var] {
        guard let mapping = node.mapping else {
            problem(node, "vars: a mapping of names to values or to {type, default}, e.g. vars: {repo: https://…}")
            return [:]
        }
        var out: [String: CourseConfig.Var] = [:]
        for (keyNode, value) in mapping {
            let name = keyNode.string ?? ""
            guard name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                problem(keyNode, "vars: \"\(name)\" is not a name (letters, digits and _, not starting with a digit)")
                continue
            }
            let line = keyNode.mark?.line ?? 1, column = keyNode.mark?.column ?? 1
            if let scalar = value.scalar {
                let v = Self.value(of: scalar)
                out[name] = .init(declaration: VarDeclaration(type: .inferred(from: v), defaultValue: v), line: line, column: column)
                continue
            }
            guard let fields = value.mapping else { problem(value, "vars.\(name): a value, or {type, default, description}"); continue }
            var type: VarType?
            var defaultNode: Yams.Node.Scalar?
            var description: String?
            for (fieldNode, fieldValue) in fields {
                let field = fieldNode.string ?? ""
                switch field {
                case "type":
                    let s = fieldValue.scalar?.string ?? ""
                    type = VarType(rawValue: s)
                    if type == nil { problem(fieldValue, "vars.\(name).type: unknown type \"\(s)\"; " + Suggestion.hint(for: s, among: VarType.allCases.map(\.rawValue))) }
                case "default":
                    defaultNode = fieldValue.scalar
                    if defaultNode == nil { problem(fieldValue, "vars.\(name).default: one value (text, number or true/false)") }
                case "description":
                    description = fieldValue.scalar?.string
                default:
                    problem(fieldNode, "vars.\(name): unknown key \"\(field)\"; " + Suggestion.hint(for: field, among: Self.varKeys))
                }
            }
            let defaultValue = defaultNode.map(Self.value(of:))
            guard let type = type ?? defaultValue.map(VarType.inferred(from:)) else {
                if fields.keys.contains(where: { $0.string == "type" }) { continue }
                problem(value, "vars.\(name): give a `type:` (\(VarType.allCases.map(\.rawValue).joined(separator: ", "))) or a `default:`")
                continue
            }
            if let defaultValue, let message = type.problem(with: defaultValue) {
                problem(value, "vars.\(name).default: expected \(message)")
                continue
            }
            out[name] = .init(declaration: VarDeclaration(type: type, defaultValue: defaultValue, description: description), line: line, column: column)
        }
        return out
    }

    /// A YAML scalar as a parameter value: plain `true`/`false` and integers are typed; quoted
    /// values stay strings.
    static func value(of scalar: Yams.Node.Scalar) -> VarValue {
        if scalar.style == .plain {
            if let b = Bool.construct(from: scalar), ["true", "false"].contains(scalar.string.lowercased()) { return .boolean(b) }
            if let i = Int(scalar.string) { return .integer(i) }
        }
        return .string(scalar.string)
    }
}
