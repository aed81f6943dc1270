import LabgenCore
import Foundation

/// Facts prepared for filling: the typed document plus its generic tree, built once per
/// attendee. Paths in the language are paths in this tree, so a field the probe adds to
/// the model is reachable from pages with no change here.
public struct FactsContext: Sendable {
    public let facts: Facts
    let tree: JSONNode

    /// Top-level keys that are bookkeeping, not cluster values.
    static let hiddenRoots: Set<String> = ["schema", "provenance", "comment", "captures"]

    public init(_ facts: Facts) {
        self.facts = facts
        // The encoder's output always parses; a failure here is a bug, not bad input.
        let bytes = (try? facts.encoded()).map(Array.init) ?? Array("{}".utf8)
        tree = (try? JSONParser.parse(bytes, file: "<facts>")) ?? JSONNode(kind: .object([]), location: .start)
    }

    var rootNames: [String] {
        guard case .object(let members) = tree.kind else { return [] }
        return members.map(\.key).filter { !Self.hiddenRoots.contains($0) }
    }

    /// A document with one of everything, every optional field set: what `check` resolves
    /// names against, so a name is validated even in a branch the real facts do not take.
    public static let skeleton = FactsContext(Facts(
        cluster: .init(name: "kind", kubernetesVersion: "v1"),
        host: .init(bridge: "br0", ip: "192.0.2.1", mac: "02:00:00:00:00:01"),
        nodes: [.init(name: "node", role: .worker, ip: "192.0.2.2", mac: "02:00:00:00:00:02", veth: "veth0", podCIDR: "10.0.0.0/24")],
        services: [.init(namespace: "default", name: "svc", type: "NodePort", clusterIP: "10.96.0.1",
                         ports: [.init(name: "http", port: 80, targetPort: 8080, nodePort: 30000)])],
        pods: [.init(namespace: "default", name: "pod", ip: "10.0.0.2", node: "node", labels: ["app": "app"])],
        cilium: .init(version: "1", kubeProxyReplacement: "strict", loadBalancerMode: "dsr", routingMode: "native", tunnel: "disabled"),
        lab: .init(directory: "/lab"),
        provenance: ["*": .init(source: "skeleton", at: "")]))
}

/// A value during evaluation. Scalars keep the facts paths they came from (for provenance);
/// objects are subtrees of the facts (`nodes[2]`).
public enum FactValue: Sendable, Equatable {
    case string(String, paths: [String])
    case int(Int, paths: [String])
    case bool(Bool, paths: [String])
    case list([FactValue], path: String?)
    case object(JSONNode, path: String)

    var paths: [String] {
        switch self {
        case .string(_, let p), .int(_, let p), .bool(_, let p): p
        case .list(let items, let path): path.map { [$0] } ?? Array(Set(items.flatMap(\.paths))).sorted()
        case .object(_, let path): [path]
        }
    }

    /// The collection an object belongs to (`nodes` for `nodes[2]`), which decides how it is
    /// looked up and shown.
    var collection: String? {
        guard case .object(_, let path) = self, let bracket = path.firstIndex(of: "["),
              !path.contains(".") else { return nil }
        return String(path[..<bracket])
    }

    static func from(_ node: JSONNode, path: String) -> FactValue {
        switch node.kind {
        case .string(let s): return .string(s, paths: [path])
        case .number(let n): return Int(n).map { .int($0, paths: [path]) } ?? .string(n, paths: [path])
        case .bool(let b): return .bool(b, paths: [path])
        case .null: return .string("", paths: [path])
        case .object: return .object(node, path: path)
        case .array(let items):
            return .list(items.enumerated().map { from($1, path: "\(path)[\($0)]") }, path: path)
        }
    }

    var describe: String {
        switch self {
        case .string(let s, _): "the string \"\(s)\""
        case .int(let i, _): "the number \(i)"
        case .bool(let b, _): "\(b)"
        case .list(let items, _): "a list of \(items.count)"
        case .object(_, let path): "the object `\(path)`"
        }
    }
}

/// One substituted value, ready to render: the plain text, the facts paths it came from
/// and their provenance (for the tooltip that tells an attendee what was personalised).
public struct FilledValue: Sendable, Equatable {
    public var text: String
    public var paths: [String]
    public var provenance: [Facts.Provenance]
    /// Where the expression is in the template, for errors about the value itself (an
    /// unsafe character in a shell script); not part of equality.
    public var location: SourcePosition?

    public init(text: String, paths: [String], provenance: [Facts.Provenance], location: SourcePosition? = nil) {
        self.text = text
        self.paths = paths
        self.provenance = provenance
        self.location = location
    }

    public static func == (a: FilledValue, b: FilledValue) -> Bool {
        a.text == b.text && a.paths == b.paths && a.provenance == b.provenance
    }

    /// A one-line description for a tooltip: `nodes[3].ip — <source>, <time>`.
    public var provenanceSummary: String {
        let where_ = paths.isEmpty ? "littéral" : paths.joined(separator: ", ")
        let from = provenance.map { $0.at.isEmpty ? $0.source : "\($0.source), \($0.at)" }
        return from.isEmpty ? where_ : where_ + " — " + from.joined(separator: " ; ")
    }
}

/// What a template produces: literal text, substituted values, and opaque pieces to be
/// filled by the caller with the scope in force at that point (a loop variable, say).
public enum Segment: Sendable {
    case text(String)
    case value(FilledValue)
    case opaque(Int, ParameterScope)
}

/// The names in force while filling: the facts and any loop variables.
public struct ParameterScope: Sendable {
    public let context: FactsContext
    var variables: [String: FactValue]
    /// Check mode: every branch is visited and lookups pick any match, so that names are
    /// validated whatever the values (see `Template.check`).
    let exploring: Bool
    /// Where `vars` is read from when it is not `context` (the checking scope).
    var varsContext: FactsContext?

    public init(_ context: FactsContext) {
        self.init(context, exploring: false)
    }

    /// Whether this is the check mode's scope, whose values are stand-ins: what is said about
    /// a value (rather than a name) waits for the real fill.
    public var isChecking: Bool { exploring }

    /// The scope `labgen check` fills with: the skeleton facts, every branch taken, every
    /// loop run once, lookups never failing, so that only name errors remain.
    public static var checking: ParameterScope { ParameterScope(.skeleton, exploring: true) }

    /// `checking`, with the course's own parameters (`vars`) taken from `context`: the
    /// skeleton has a cluster but cannot know an author's names.
    public static func checking(varsOf context: FactsContext) -> ParameterScope {
        var scope = ParameterScope(.skeleton, exploring: true)
        scope.varsContext = context
        return scope
    }

    init(_ context: FactsContext, exploring: Bool) {
        self.context = context
        // `default_facts`: the page is filled with the original lab's values, not the reader's.
        self.variables = ["default_facts": .bool(context.facts.isDefault, paths: [])]
        self.exploring = exploring
    }

    func binding(_ name: String, to value: FactValue) -> ParameterScope {
        var copy = self
        copy.variables[name] = value
        return copy
    }
}
