import LabgenCore
import Foundation
import Yams

/// The instructor's list of attendees: who they are and where their facts come from.
///
/// ```yaml
/// secret: roster.secret        # file holding the instructor's secret (tokens derive from it)
/// attendees:
///   - id: alice                # stable, [a-z0-9-]
///     name: Alice Martin
///     facts: facts/alice.json  # relative to this roster file; written by `labgen probe`
///     ssh: alice@vm-alice      # optional probe target (ssh destination, ~/.ssh/config honoured)
///     kubeconfig: ~/.kube/config   # optional, on the probed machine
///     context: kind-kind           # optional
/// ```
public struct Roster: Codable, Equatable, Sendable {
    public var secret: String?
    public var attendees: [Attendee]

    public struct Attendee: Codable, Equatable, Sendable {
        public var id: String
        public var name: String
        public var facts: String
        public var ssh: String?
        public var kubeconfig: String?
        public var context: String?
        /// Where each field's value (and, under `""`, the attendee itself) is written in
        /// the roster file, for diagnostics; empty for an attendee made in code.
        public var locations: [String: SourcePosition] = [:]

        enum CodingKeys: String, CodingKey { case id, name, facts, ssh, kubeconfig, context }

        public init(id: String, name: String, facts: String, ssh: String? = nil,
                    kubeconfig: String? = nil, context: String? = nil) {
            self.id = id
            self.name = name
            self.facts = facts
            self.ssh = ssh
            self.kubeconfig = kubeconfig
            self.context = context
        }

        /// Where `field` is written (the attendee's own line when the field is absent).
        public func location(of field: String) -> SourcePosition {
            locations[field] ?? locations[""] ?? .start
        }
    }

    public init(secret: String? = nil, attendees: [Attendee]) {
        self.secret = secret
        self.attendees = attendees
    }

    /// Parses a roster; paths inside stay relative (resolve them against the roster's folder).
    /// Every problem is a diagnostic at its line and column of `file`.
    ///
    /// - Parameters:
    ///   - yaml: the roster's text.
    ///   - file: the roster as diagnostics name it.
    public static func parse(yaml: String, file: String = "roster.yaml") throws(DiagnosticsError) -> Roster {
        do { try YAMLNesting.check(yaml, file: file) } catch { throw DiagnosticsError([error]) }
        let node: Yams.Node?
        do { node = try Yams.compose(yaml: yaml) } catch {
            throw DiagnosticsError([Self.diagnostic(for: error, node: nil, file: file)])
        }
        var roster: Roster
        do {
            roster = try YAMLDecoder().decode(Roster.self, from: yaml)
        } catch {
            throw DiagnosticsError([Self.diagnostic(for: error, node: node, file: file)])
        }
        if let items = node?["attendees"]?.sequence {
            for (index, item) in items.enumerated() where index < roster.attendees.count {
                var locations: [String: SourcePosition] = [:]
                locations[""] = item.mark.map(Self.location)
                for (key, value) in item.mapping ?? [:] {
                    if let name = key.string { locations[name] = value.mark.map(Self.location) }
                }
                roster.attendees[index].locations = locations
            }
        }
        return roster
    }

    /// Reads and parses the roster at `url`.
    ///
    /// - Parameters:
    ///   - url: the roster file.
    ///   - displayPath: how diagnostics name it (default: its path).
    public static func load(from url: URL, displayPath: String? = nil) throws(DiagnosticsError) -> Roster {
        let file = displayPath ?? url.path
        let data: Data
        do { data = try InputFile.read(url) } catch {
            throw DiagnosticsError([Diagnostic(file: file, .start,
                "cannot read the roster: \(error.reason); pass the roster YAML with --roster FILE")])
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw DiagnosticsError([Diagnostic(file: file, InputFile.invalidUTF8Location(in: data) ?? .start,
                "the roster is not valid UTF-8 here; save it as UTF-8")])
        }
        return try parse(yaml: text, file: file)
    }

    /// Yams counts columns in Unicode scalars, as diagnostics do (`SourcePosition`).
    static func location(_ mark: Mark) -> SourcePosition {
        SourcePosition(line: mark.line, column: mark.column)
    }

    /// A YAML syntax error at its mark, or a decoding error (missing or mistyped field) at
    /// the node its coding path names.
    static func diagnostic(for error: any Error, node: Yams.Node?, file: String) -> Diagnostic {
        let fix = "see the roster format in README.md (Per-attendee handouts)"
        switch error {
        case YamlError.scanner(_, let problem, let mark, _), YamlError.parser(_, let problem, let mark, _),
             YamlError.composer(_, let problem, let mark, _):
            return Diagnostic(file: file, location(mark), "invalid YAML: \(problem); \(fix)")
        case let error as DecodingError:
            let (path, message): ([any CodingKey], String) = switch error {
            case .keyNotFound(let key, let c): (c.codingPath, "missing `\(key.stringValue):`")
            case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): (c.codingPath, c.debugDescription)
            @unknown default: ([], "\(error)")
            }
            var at = node
            var deepest = node?.mark
            for key in path {
                if let index = key.intValue, let items = at?.sequence, index < items.count {
                    at = items[index]
                } else {
                    at = at?[key.stringValue]
                }
                guard let mark = at?.mark else { break }
                deepest = mark
            }
            let field = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            let prefix = field.isEmpty ? "" : String(field.drop { $0 == "." }) + ": "
            return Diagnostic(file: file, deepest.map(location) ?? .start, "\(prefix)\(message); \(fix)")
        default:
            return Diagnostic(file: file, .start, "invalid roster: \(error); \(fix)")
        }
    }
}
