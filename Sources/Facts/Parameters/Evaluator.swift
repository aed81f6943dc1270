import LabgenCore

extension Template {
    /// The result of filling a template for one attendee.
    public struct Filled: Sendable {
        public var segments: [Segment]
        public var diagnostics: [Diagnostic]

        /// Text and values joined, opaque pieces left out: what a copy button copies.
        public var plainText: String {
            segments.map { switch $0 { case .text(let s): s; case .value(let v): v.text; case .opaque: "" } }.joined()
        }
    }

    /// Fills the template from facts. Errors (a lookup that matches nothing, an index past
    /// the end) are collected, not thrown, so a page reports all of them.
    public func fill(_ scope: ParameterScope) -> Filled {
        var budget = FillBudget()
        return fill(scope, budget: &budget)
    }

    /// Fills the template, counting its loops and output against `budget` (one per page,
    /// shared by its templates): over it, filling stops with an error at the loop.
    public func fill(_ scope: ParameterScope, budget: inout FillBudget) -> Filled {
        var evaluator = Evaluator(file: file, budget: budget)
        var out: [Segment] = []
        evaluator.run(nodes, scope, into: &out)
        budget = evaluator.budget
        return Filled(segments: out, diagnostics: evaluator.diagnostics)
    }

    public func fill(_ context: FactsContext) -> Filled { fill(ParameterScope(context)) }

    /// Name errors that hold whatever the facts: unknown names, fields, functions, labels
    /// of lookups. Every branch and loop body is visited (`labgen check`).
    /// - Parameters:
    ///   - context: the facts whose `vars` the course declares (default: none).
    public func check(varsOf context: FactsContext? = nil) -> [Diagnostic] {
        fill(context.map { .checking(varsOf: $0) } ?? .checking).diagnostics
    }
}

/// Evaluates expressions against a scope. Lookup collections and their singular forms:
/// `node`/`nodes`, `pod`/`pods`, `service`/`services`.
struct Evaluator {
    let file: String
    var diagnostics: [Diagnostic] = []
    var budget: FillBudget
    /// Set when `budget` ran out: nothing more is filled.
    private var stopped = false
    /// The `for` being repeated, if any: output is counted against the budget only inside
    /// loops (outside, it grows only with the page), and an overrun is reported there.
    private var innermostLoop: SourcePosition?

    init(file: String, budget: FillBudget = FillBudget()) {
        self.file = file
        self.budget = budget
    }

    static let lookups: [String: (collection: String, single: Bool)] = [
        "node": ("nodes", true), "nodes": ("nodes", false),
        "pod": ("pods", true), "pods": ("pods", false),
        "service": ("services", true), "services": ("services", false),
    ]
    static let helpers: Set<String> = ["join", "len", "pad", "other_node"]
    static var functionNames: [String] { Array(lookups.keys) + Array(helpers) }
    /// Fields that name an object in another collection.
    static let references: [String: [String: String]] = ["pods": ["node": "nodes"]]

    /// Runs `nodes` into `out`. Recurses once per nested `for`/`if`, which the template
    /// parser bounds (`Template.maxNesting`).
    mutating func run(_ nodes: [TemplateNode], _ scope: ParameterScope, into out: inout [Segment]) {
        for node in nodes {
            if stopped { return }
            switch node {
            case .text(let s):
                guard spend(bytes: s.utf8.count) else { return }
                // Appended in place (`previous + s` copied the whole run of text each time).
                if case .text(var previous)? = out.last {
                    out.removeLast()
                    previous += s
                    out.append(.text(previous))
                } else {
                    out.append(.text(s))
                }
            case .opaque(let i):
                out.append(.opaque(i, scope))
            case .value(let e, _):
                do throws(Diagnostic) {
                    let (text, paths) = try render(try eval(e, scope), at: e.location)
                    guard spend(bytes: text.utf8.count) else { return }
                    out.append(.value(FilledValue(text: text, paths: paths, provenance: provenance(paths, scope), location: e.location)))
                } catch { diagnostics.append(error) }
            case .loop(let variable, _, let over, let body, let at):
                do throws(Diagnostic) {
                    let value = try eval(over, scope)
                    guard case .list(let items, _) = value else {
                        throw Diagnostic(file: file, over.location, "`for` needs a list; this is \(value.describe)")
                    }
                    let outer = innermostLoop
                    innermostLoop = at
                    defer { innermostLoop = outer }
                    for item in scope.exploring ? Array(items.prefix(1)) : items {
                        guard budget.spendIteration() else {
                            stop(at: at)
                            return
                        }
                        run(body, scope.binding(variable, to: item), into: &out)
                        if stopped { return }
                    }
                } catch { diagnostics.append(error) }
            case .conditional(let branches, let otherwise, _):
                var taken = false
                for (condition, body) in branches {
                    do throws(Diagnostic) {
                        let holds = try truth(try eval(condition, scope))
                        if scope.exploring || (holds && !taken) {
                            run(body, scope, into: &out)
                        }
                        taken = taken || holds
                    } catch {
                        diagnostics.append(error)
                        taken = true       // do not fall through to `else` on an error
                    }
                    if taken && !scope.exploring { break }
                }
                if let otherwise, scope.exploring || !taken { run(otherwise, scope, into: &out) }
            }
        }
    }

    /// Counts output made inside a loop against the budget; on running out, stops with the
    /// error at the innermost loop.
    private mutating func spend(bytes count: Int) -> Bool {
        guard let loop = innermostLoop, !budget.spend(bytes: count) else { return true }
        stop(at: loop)
        return false
    }

    private mutating func stop(at location: SourcePosition) {
        if !stopped { diagnostics.append(FillBudget.exceeded(file: file, at: location)) }
        stopped = true
    }

    private func provenance(_ paths: [String], _ scope: ParameterScope) -> [Facts.Provenance] {
        var found: [Facts.Provenance] = []
        for p in paths {
            if let v = scope.context.facts.provenance(for: p), !found.contains(v) { found.append(v) }
        }
        return found
    }

    private func error(_ at: SourcePosition, _ message: String) -> Diagnostic {
        Diagnostic(file: file, at, message)
    }

    // MARK: values to text

    /// The text a value shows on the page; lists and plain objects cannot be shown.
    func render(_ value: FactValue, at: SourcePosition) throws(Diagnostic) -> (String, [String]) {
        switch value {
        case .string(let s, let p): return (s, p)
        case .int(let i, let p): return (String(i), p)
        case .bool(let b, let p): return (b ? "true" : "false", p)
        case .list(let items, _):
            throw error(at, "this is a list of \(items.count) values; write join(…, \" \") or loop with `${{ for x in … }}`")
        case .object(let node, let path):
            if let name = node["name"]?.stringValue { return (name, [path + ".name"]) }
            let fields = Self.fieldNames(node).map { "`\($0)`" }.joined(separator: ", ")
            throw error(at, "`\(path)` is an object; pick one of its fields: \(fields)")
        }
    }

    func truth(_ value: FactValue) throws(Diagnostic) -> Bool {
        switch value {
        case .bool(let b, _): b
        case .string(let s, _): !s.isEmpty
        case .int(let i, _): i != 0
        case .list(let items, _): !items.isEmpty
        case .object: true
        }
    }

    static func fieldNames(_ node: JSONNode) -> [String] {
        guard case .object(let members) = node.kind else { return [] }
        return members.map(\.key)
    }

    // MARK: expressions

    func eval(_ e: Expr, _ scope: ParameterScope) throws(Diagnostic) -> FactValue {
        switch e {
        case .string(let s, _): return .string(s, paths: [])
        case .int(let i, _): return .int(i, paths: [])
        case .bool(let b, _): return .bool(b, paths: [])
        case .name(let n, let at): return try name(n, at: at, scope)
        case .member(let base, let field, let at): return try member(try eval(base, scope), field, at: at, scope)
        case .index(let base, let i, let at):
            let value = try eval(base, scope)
            guard case .list(let items, _) = value else {
                throw error(at, "cannot index \(value.describe) with [\(i)]")
            }
            let position = i < 0 ? items.count + i : i
            if items.indices.contains(position) { return items[position] }
            if scope.exploring, let first = items.first { return first }
            throw error(at, "index [\(i)] is out of range: there are \(items.count) items")
        case .call(let function, let args, let at): return try call(function, args, at: at, scope)
        case .compare(let a, let equal, let b, let at):
            let (left, _) = try render(try eval(a, scope), at: a.location)
            let (right, _) = try render(try eval(b, scope), at: b.location)
            _ = at
            return .bool((left == right) == equal, paths: [])
        case .and(let a, let b):
            let left = try truth(try eval(a, scope))
            let right = try truth(try eval(b, scope))      // evaluated anyway: names get checked
            return .bool(left && right, paths: [])
        case .or(let a, let b):
            let left = try truth(try eval(a, scope))
            let right = try truth(try eval(b, scope))
            return .bool(left || right, paths: [])
        case .not(let a, _): return .bool(!(try truth(try eval(a, scope))), paths: [])
        }
    }

    private func name(_ n: String, at: SourcePosition, _ scope: ParameterScope) throws(Diagnostic) -> FactValue {
        if let v = scope.variables[n] { return v }
        if n == "vars", let node = scope.varsContext?.tree["vars"] { return .from(node, path: n) }
        if !FactsContext.hiddenRoots.contains(n), let node = scope.context.tree[n] { return .from(node, path: n) }
        if !scope.context.facts.describesCluster, Facts.clusterNames.contains(n) || Self.lookups[n] != nil {
            throw error(at, "`\(n)` is a KinD/Cilium fact, and the facts used describe no cluster: write "
                        + "facts/default.json in the content with `labgen probe -o content/facts/default.json`, or pass --facts FILE")
        }
        if Self.lookups[n] != nil || Self.helpers.contains(n) {
            throw error(at, "`\(n)` is a function: call it, e.g. `\(n)(…)`")
        }
        let known = Array(scope.variables.keys) + scope.context.rootNames + Self.functionNames
        if n == "vars", (scope.varsContext ?? scope.context).tree["vars"] == nil {
            throw error(at, "unknown name `vars`: this course declares no parameters; add them under `vars:` in course.yaml")
        }
        throw error(at, "unknown name `\(n)`; " + Suggestion.hint(for: n, among: known))
    }

    private func member(_ base: FactValue, _ field: String, at: SourcePosition, _ scope: ParameterScope) throws(Diagnostic) -> FactValue {
        switch base {
        case .object(let node, let path):
            guard let child = node[field] else {
                let fields = Self.fieldNames(node)
                let hint = Suggestion.closest(to: field, among: fields).first.map { "did you mean `\($0)`? " } ?? ""
                throw error(at, "`\(path)` has no field `\(field)`; \(hint)fields: " + fields.map { "`\($0)`" }.joined(separator: ", "))
            }
            if let collection = base.collection, let target = Self.references[collection]?[field],
               let name = child.stringValue {
                return try object(in: target, named: name, at: at, scope)
            }
            return .from(child, path: path + "." + field)
        case .list(let items, let path):
            // A field of a list is the list of that field: `nodes.ip`.
            var projected: [FactValue] = []
            for item in items { projected.append(try member(item, field, at: at, scope)) }
            if items.isEmpty, let path {
                _ = path        // nothing to check against; `check` validates with the skeleton
            }
            return .list(projected, path: nil)
        default:
            throw error(at, "\(base.describe) has no fields (asked for `\(field)`)")
        }
    }

    private func object(in collection: String, named name: String, at: SourcePosition, _ scope: ParameterScope) throws(Diagnostic) -> FactValue {
        guard case .list(let items, _)? = scope.context.tree[collection].map({ FactValue.from($0, path: collection) }) else {
            throw error(at, "the facts have no `\(collection)`")
        }
        if let found = items.first(where: { if case .object(let n, _) = $0 { n["name"]?.stringValue == name } else { false } }) {
            return found
        }
        if scope.exploring, let first = items.first { return first }
        throw error(at, "no entry of `\(collection)` is named \"\(name)\"")
    }

    // MARK: functions

    private func call(_ function: String, _ args: [Argument], at: SourcePosition, _ scope: ParameterScope) throws(Diagnostic) -> FactValue {
        if Self.lookups[function] != nil, !scope.context.facts.describesCluster {
            throw error(at, "`\(function)(…)` reads the KinD/Cilium facts, and the facts used describe no cluster: write "
                        + "facts/default.json in the content with `labgen probe -o content/facts/default.json`, or pass --facts FILE")
        }
        if let (collection, single) = Self.lookups[function] {
            return try lookup(collection, single: single, function: function, args, at: at, scope)
        }
        switch function {
        case "join":
            guard (1...2).contains(args.count), args.allSatisfy({ $0.label == nil }) else {
                throw error(at, "join takes a list and an optional separator: join(nodes.ip, \" \")")
            }
            let list = try eval(args[0].value, scope)
            guard case .list(let items, _) = list else {
                throw error(args[0].location, "join needs a list; this is \(list.describe)")
            }
            var separator = " "
            if args.count == 2 { separator = try render(try eval(args[1].value, scope), at: args[1].location).0 }
            var texts: [String] = [], paths: [String] = []
            for item in items {
                let (t, p) = try render(item, at: args[0].location)
                texts.append(t)
                paths += p
            }
            return .string(texts.joined(separator: separator), paths: paths)
        case "len":
            guard args.count == 1, args[0].label == nil else { throw error(at, "len takes one list: len(nodes)") }
            let value = try eval(args[0].value, scope)
            guard case .list(let items, _) = value else { throw error(args[0].location, "len needs a list; this is \(value.describe)") }
            return .int(items.count, paths: value.paths)
        case "pad":
            guard args.count == 2, args.allSatisfy({ $0.label == nil }) else {
                throw error(at, "pad takes a value and a width: pad(svc.clusterIP, 15)")
            }
            let (text, paths) = try render(try eval(args[0].value, scope), at: args[0].location)
            guard case .int(let width, _) = try eval(args[1].value, scope), width >= 0 else {
                throw error(args[1].location, "pad's width must be a whole number")
            }
            let missing = width - text.count
            return .string(missing > 0 ? text + String(repeating: " ", count: missing) : text, paths: paths)
        case "other_node":
            return try otherNode(args, at: at, scope)
        default:
            throw error(at, "unknown function `\(function)`; " + Suggestion.hint(for: function, among: Self.functionNames))
        }
    }

    /// `other_node(pod(app="echoserver"))`: a node other than the pod's (or other than a node
    /// given itself), a worker first (see `Facts.contactNode`); a cluster with no such node is
    /// an error at the call, since DSR cannot be shown there.
    private func otherNode(_ args: [Argument], at: SourcePosition, _ scope: ParameterScope) throws(Diagnostic) -> FactValue {
        guard args.count == 1, args[0].label == nil else {
            throw error(at, "other_node takes a pod or a node: other_node(pod(app=\"echoserver\"))")
        }
        let value = try eval(args[0].value, scope)
        let avoided: String
        switch (value, value.collection) {
        case (.object(let node, _), "pods"?): avoided = node["node"]?.stringValue ?? ""
        case (.object(let node, _), "nodes"?): avoided = node["name"]?.stringValue ?? ""
        default: throw error(args[0].location, "other_node needs a pod or a node; this is \(value.describe)")
        }
        guard case .list(let items, _)? = scope.context.tree["nodes"].map({ FactValue.from($0, path: "nodes") }) else {
            throw error(at, "the facts have no `nodes`")
        }
        if scope.exploring, let first = items.first { return first }
        let facts = scope.context.facts
        guard let chosen = facts.contactNode(avoiding: avoided),
              let index = facts.nodes.firstIndex(of: chosen), items.indices.contains(index) else {
            throw error(at, facts.noContactNodeReason(avoiding: avoided))
        }
        return items[index]
    }

    /// `node("kind-worker3")`, `nodes(role="worker")`, `pod(app="echoserver")`: a positional
    /// argument matches the name; a keyword matches a field, or (for pods) a label.
    private func lookup(_ collection: String, single: Bool, function: String, _ args: [Argument],
                        at: SourcePosition, _ scope: ParameterScope) throws(Diagnostic) -> FactValue {
        var criteria: [(key: String, value: String, label: Bool)] = []
        let sample = FactsContext.skeleton.tree[collection].flatMap { node -> JSONNode? in
            if case .array(let items) = node.kind { return items.first }
            return nil
        }
        let fields = sample.map(Self.fieldNames) ?? []
        let hasLabels = fields.contains("labels")
        for (i, arg) in args.enumerated() {
            let (value, _) = try render(try eval(arg.value, scope), at: arg.value.location)
            if let key = arg.label {
                if fields.contains(key), key != "labels" {
                    criteria.append((key, value, false))
                } else if hasLabels {
                    criteria.append((key, value, true))
                } else {
                    let usable = fields.filter { $0 != "labels" }
                    throw error(arg.location, "\(collection) have no field `\(key)`; " + Suggestion.hint(for: key, among: usable))
                }
            } else {
                guard i == 0 else {
                    throw error(arg.location, "only the first argument may be unnamed (the name); write field=\"value\"")
                }
                criteria.append(("name", value, false))
            }
        }
        guard case .list(let items, let path)? = scope.context.tree[collection].map({ FactValue.from($0, path: collection) }) else {
            throw error(at, "the facts have no `\(collection)`")
        }
        let matches = scope.exploring ? items : items.filter { item in
            guard case .object(let node, _) = item else { return false }
            return criteria.allSatisfy { c in
                let actual = c.label ? node["labels"]?[c.key] : node[c.key]
                return actual.map { Self.scalarText($0) } == c.value
            }
        }
        let described = criteria.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ")
        guard single else { return .list(matches, path: criteria.isEmpty ? path : nil) }
        if matches.count == 1 || (scope.exploring && !matches.isEmpty) { return matches[0] }
        let names = items.compactMap { if case .object(let n, _) = $0 { n["name"]?.stringValue } else { nil } }
        if matches.isEmpty {
            var message = "no entry of `\(collection)` matches \(function)(\(described))"
            if criteria.count == 1, criteria[0].key == "name", !criteria[0].label {
                message += "; " + Suggestion.hint(for: criteria[0].value, among: names)
            } else {
                message += " (there are: " + names.joined(separator: ", ") + ")"
            }
            throw error(at, message)
        }
        throw error(at, "\(matches.count) entries of `\(collection)` match \(function)(\(described)); narrow the lookup or use \(collection)(…) for the list")
    }

    static func scalarText(_ node: JSONNode) -> String? {
        switch node.kind {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }
}
