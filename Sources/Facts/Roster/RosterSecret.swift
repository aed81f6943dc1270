import Foundation

extension Roster {
    /// Why a roster cannot be used as is.
    public static func problems(in roster: Roster, file: String) -> [FactsDiagnostic] {
        var problems: [FactsDiagnostic] = []
        var seen: Set<String> = []
        for attendee in roster.attendees {
            let at = attendee.location(of: "id")
            if attendee.id.isEmpty || !attendee.id.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) {
                problems.append(FactsDiagnostic(file: file, at, "attendee id \"\(attendee.id)\": use lower-case letters, digits and `-`"))
            }
            if !seen.insert(attendee.id).inserted {
                problems.append(FactsDiagnostic(file: file, at, "attendee id \"\(attendee.id)\" appears twice"))
            }
            // What reaches a command line when the attendee is probed.
            if let ssh = attendee.ssh, let problem = CommandArgument.checkSSHDestination(ssh) {
                problems.append(FactsDiagnostic(file: file, attendee.location(of: "ssh"), problem))
            }
            for (field, value) in [("kubeconfig", attendee.kubeconfig), ("context", attendee.context)] {
                if let value, let problem = CommandArgument.checkName(value, what: "\(field):") {
                    problems.append(FactsDiagnostic(file: file, attendee.location(of: field), problem))
                }
            }
        }
        if roster.secret == nil {
            problems.append(FactsDiagnostic(file: file, .start,
                "missing `secret:` (a file holding the instructor's secret; create one with `head -c 32 /dev/urandom | base64 > roster.secret`)"))
        }
        return problems
    }
}

/// The instructor's secret: attendee folders are named by HMAC-SHA256(secret, id), so they
/// cannot be guessed from an id, and stay the same from one build to the next.
public struct RosterSecret: Sendable {
    let key: [UInt8]

    public init(_ key: [UInt8]) { self.key = key }

    /// Reads the secret file (surrounding whitespace ignored); at least 16 bytes.
    public static func load(from url: URL, displayPath: String) throws(DiagnosticsError) -> RosterSecret {
        let data: Data
        do { data = try InputFile.read(url) } catch {
            throw DiagnosticsError([FactsDiagnostic(file: displayPath, .start,
                "cannot read the roster secret: \(error.reason) (create it with `head -c 32 /dev/urandom | base64 > \(url.lastPathComponent)`)")])
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count >= 16 else {
            throw DiagnosticsError([FactsDiagnostic(file: displayPath, .start, "the roster secret is too short (at least 16 characters)")])
        }
        return RosterSecret(Array(text.utf8))
    }

    /// 128 bits of HMAC-SHA256 in hex: the attendee's folder name.
    public func token(for id: String) -> String {
        String(SHA256.hmac(key: key, message: Array(("attendee:" + id).utf8)).hex.prefix(32))
    }

    /// The instructor index's name, from the same secret.
    public var instructorToken: String {
        String(SHA256.hmac(key: key, message: Array("instructor-index".utf8)).hex.prefix(32))
    }
}
