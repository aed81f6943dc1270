import LabgenCore
import Foundation

/// Reads a facts file and refuses anything a lab page could not trust: wrong schema,
/// unknown or missing keys, malformed addresses, out-of-range ports, inconsistent
/// references. Every problem is reported at once, each at its line and column.
public struct FactsLoader: Sendable {
    /// Kubernetes' default `--service-node-port-range`; a cluster configured otherwise can
    /// pass its own.
    public var nodePortRange: ClosedRange<Int>

    public init(nodePortRange: ClosedRange<Int> = 30000...32767) {
        self.nodePortRange = nodePortRange
    }

    /// Loads `url`; diagnostics name the file as `displayPath` (default: the path given).
    public func load(contentsOf url: URL, displayPath: String? = nil) throws(DiagnosticsError) -> Facts {
        let name = displayPath ?? url.path
        let data: Data
        do { data = try InputFile.read(url) } catch {
            throw DiagnosticsError([Diagnostic(file: name, .start, Facts.unreadable(error))])
        }
        return try load(bytes: Array(data), file: name)
    }

    /// `validate: false` skips the rules (not the parsing and decoding): for bytes known to
    /// have passed them, e.g. the facts a successful build already read.
    public func load(bytes: [UInt8], file: String, validate: Bool = true) throws(DiagnosticsError) -> Facts {
        let root: JSONNode
        do { root = try JSONParser.parse(bytes, file: file) } catch { throw DiagnosticsError([error]) }
        var problems: [Diagnostic] = []
        func report(_ at: SourcePosition, _ message: String) { problems.append(Diagnostic(file: file, at, message)) }

        // The schema first: with another version, every other message would be noise.
        guard case .object = root.kind else {
            throw DiagnosticsError([Diagnostic(file: file, root.location, "a facts file is a JSON object, found \(root.typeName)")])
        }
        guard let schema = root["schema"] else {
            throw DiagnosticsError([Diagnostic(file: file, root.location,
                "missing \"schema\": a facts file starts with \"schema\": \"\(Facts.currentSchema)\"")])
        }
        guard schema.stringValue == Facts.currentSchema else {
            let found = schema.stringValue.map { "\"\($0)\"" } ?? schema.typeName
            throw DiagnosticsError([Diagnostic(file: file, schema.location,
                "unsupported schema \(found); this labgen reads \"\(Facts.currentSchema)\"")])
        }

        if validate {
            duplicateKeys(in: root, report: report)
            for (at, message) in FactsRules(nodePortRange: nodePortRange).check(root) { report(at, message) }
        }

        let decoding = NodeDecoding(file: file)
        var facts: Facts?
        do {
            facts = try decoding.decode(Facts.self, from: root)
        } catch let d as Diagnostic {
            problems.append(d)
        } catch let error as DecodingError {
            problems.append(Self.diagnostic(for: error, in: root, file: file))
        } catch {
            report(root.location, "\(error)")
        }
        problems += decoding.unknownKeys(in: root)
        if let facts {
            crossChecks(facts, root: root, report: report)
        }
        guard problems.isEmpty, let facts else { throw DiagnosticsError(Self.tidy(problems)) }
        return facts
    }

    /// One message per location (a rule and the decoder may both object to a value: the
    /// rule says more), in file order.
    static func tidy(_ problems: [Diagnostic]) -> [Diagnostic] {
        var seen: Set<SourcePosition> = []
        return problems.filter { seen.insert($0.position).inserted }.sorted { $0.position < $1.position }
    }

    private func duplicateKeys(in node: JSONNode, report: (SourcePosition, String) -> Void) {
        switch node.kind {
        case .object(let members):
            var first: [String: SourcePosition] = [:]
            for m in members {
                if let earlier = first[m.key] {
                    report(m.keyLocation, "duplicate key \"\(m.key)\" (first at \(earlier))")
                } else {
                    first[m.key] = m.keyLocation
                }
                duplicateKeys(in: m.value, report: report)
            }
        case .array(let items): items.forEach { duplicateKeys(in: $0, report: report) }
        default: break
        }
    }

    /// Rules across values: names are unique, references resolve.
    private func crossChecks(_ facts: Facts, root: JSONNode, report: (SourcePosition, String) -> Void) {
        func at(_ list: String, _ i: Int, _ key: String) -> SourcePosition {
            guard case .array(let items)? = root[list]?.kind, i < items.count else { return root.location }
            return items[i][key]?.location ?? items[i].location
        }
        var nodeNames: [String: Int] = [:]
        for (i, node) in facts.nodes.enumerated() {
            if let first = nodeNames[node.name] {
                report(at("nodes", i, "name"), "nodes[\(i)].name: duplicate node name \"\(node.name)\" (also nodes[\(first)], at \(at("nodes", first, "name")))")
            } else {
                nodeNames[node.name] = i
            }
        }
        var serviceNames: [String: Int] = [:]
        for (i, service) in facts.services.enumerated() {
            let key = service.namespace + "/" + service.name
            if let first = serviceNames[key] {
                report(at("services", i, "name"), "services[\(i)]: duplicate service \(key) (also services[\(first)])")
            } else {
                serviceNames[key] = i
            }
        }
        var podNames: [String: Int] = [:]
        for (i, pod) in facts.pods.enumerated() {
            let key = pod.namespace + "/" + pod.name
            if let first = podNames[key] {
                report(at("pods", i, "name"), "pods[\(i)]: duplicate pod \(key) (also pods[\(first)])")
            } else {
                podNames[key] = i
            }
            if nodeNames[pod.node] == nil {
                let names = facts.nodes.map(\.name)
                report(at("pods", i, "node"), "pods[\(i)].node: no node is named \"\(pod.node)\"; "
                       + Suggestion.hint(for: pod.node, among: names))
            }
        }
        captureChecks(facts, root: root, report: report)
    }

    /// A capture's name is a plain word: pages name it (`capture: dsr`).
    private func captureChecks(_ facts: Facts, root: JSONNode, report: (SourcePosition, String) -> Void) {
        guard case .object(let members)? = root["captures"]?.kind else { return }
        for member in members where member.key.wholeMatch(of: #/[a-z0-9]([-a-z0-9]*[a-z0-9])?/#) == nil {
            report(member.keyLocation, "captures: \"\(member.key)\" is not a capture name (lower-case letters, digits and `-`, e.g. dsr)")
        }
    }

    /// Places a Foundation decoding error (raised by a type's own `init(from:)`, e.g. an enum
    /// with an unexpected raw value) at the value its coding path names.
    static func diagnostic(for error: DecodingError, in root: JSONNode, file: String) -> Diagnostic {
        let (path, message): ([CodingKey], String) = switch error {
        case .dataCorrupted(let c): (c.codingPath, c.debugDescription)
        case .keyNotFound(let key, let c): (c.codingPath, "missing key \"\(key.stringValue)\"")
        case .typeMismatch(_, let c): (c.codingPath, c.debugDescription)
        case .valueNotFound(_, let c): (c.codingPath, c.debugDescription)
        @unknown default: ([], "\(error)")
        }
        var node = root
        for key in path {
            if let i = key.intValue, case .array(let items) = node.kind, i < items.count {
                node = items[i]
            } else if let child = node[key.stringValue] {
                node = child
            } else {
                break
            }
        }
        return Diagnostic(file: file, node.location, "\(NodeDecoding.describe(path)): \(message)")
    }
}

extension Facts {
    /// Why a facts file named by the user could not be read, and what to pass instead.
    ///
    /// - Parameters:
    ///   - problem: what reading it said.
    public static func unreadable(_ problem: InputFile.Problem) -> String {
        "cannot read the facts file: \(problem.reason); pass a facts JSON file with --facts FILE (written by `labgen probe`, e.g. content/facts/default.json)"
    }

    /// Loads and validates a facts file with the default rules (see `FactsLoader`).
    public static func load(contentsOf url: URL, displayPath: String? = nil) throws(DiagnosticsError) -> Facts {
        try FactsLoader().load(contentsOf: url, displayPath: displayPath)
    }
}

extension Facts {
    /// Loads and validates facts from bytes; diagnostics name `file`.
    public static func load(bytes: [UInt8], file: String, validate: Bool = true) throws(DiagnosticsError) -> Facts {
        try FactsLoader().load(bytes: bytes, file: file, validate: validate)
    }
}
