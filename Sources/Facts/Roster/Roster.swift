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

        public init(id: String, name: String, facts: String, ssh: String? = nil,
                    kubeconfig: String? = nil, context: String? = nil) {
            self.id = id
            self.name = name
            self.facts = facts
            self.ssh = ssh
            self.kubeconfig = kubeconfig
            self.context = context
        }
    }

    public init(secret: String? = nil, attendees: [Attendee]) {
        self.secret = secret
        self.attendees = attendees
    }

    /// Parses a roster; paths inside stay relative (resolve them against the roster's folder).
    public static func parse(yaml: String) throws -> Roster {
        try YAMLDecoder().decode(Roster.self, from: yaml)
    }

    public static func load(from url: URL) throws -> Roster {
        try parse(yaml: String(contentsOf: url, encoding: .utf8))
    }
}
