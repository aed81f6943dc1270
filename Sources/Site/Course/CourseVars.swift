import LabgenCore
import Facts

extension CourseConfig {
    /// `facts` with every declared parameter given its value: the facts file's `vars` over
    /// course.yaml's defaults, each checked against its declared type. A value the course does
    /// not declare, a value of the wrong type, or a declared parameter left without any value
    /// is an error naming the file to fix.
    /// - Parameters:
    ///   - facts: as loaded (its `vars` are the attendee's values).
    ///   - factsFile: the facts file as diagnostics name it (nil: there is none).
    ///   - courseFile: course.yaml as diagnostics name it.
    func resolvingVars(in facts: Facts, factsFile: String?, courseFile: String) throws -> Facts {
        guard !vars.isEmpty || !facts.vars.isEmpty else { return facts }
        var problems: [Diagnostic] = []
        let factsName = factsFile ?? "the facts file"
        for (name, value) in facts.vars.sorted(by: { $0.key < $1.key }) {
            guard let declared = vars[name] else {
                problems.append(Diagnostic(file: factsFile ?? courseFile, message:
                    "vars.\(name) is not a parameter of this course; "
                    + (vars.isEmpty ? "declare it under `vars:` in \(courseFile)" : Suggestion.hint(for: name, among: Array(vars.keys)))))
                continue
            }
            if let message = declared.declaration.type.problem(with: value) {
                problems.append(Diagnostic(file: factsName, message: "vars.\(name): expected \(message) (declared at \(courseFile):\(declared.line))"))
            }
        }
        var resolved = facts
        for (name, declared) in vars.sorted(by: { $0.key < $1.key }) where facts.vars[name] == nil {
            guard let value = declared.declaration.defaultValue else {
                problems.append(Diagnostic(file: courseFile, line: declared.line, column: declared.column, message:
                    "vars.\(name) has no value: give it a `default:` here, or set \"vars\": {\"\(name)\": …} in \(factsName)"))
                continue
            }
            resolved.vars[name] = value
            resolved.provenance["vars." + name] = Facts.Provenance(source: courseFile + " (default)", at: "")
        }
        for name in facts.vars.keys where vars[name] != nil {
            resolved.provenance["vars." + name] = Facts.Provenance(source: factsName, at: "")
        }
        if !problems.isEmpty { throw BuildFailure(problems) }
        return resolved
    }
}
