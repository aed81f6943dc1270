import LabgenCore
import Crypto
import Foundation

extension Roster {
    /// Why a roster cannot be used as is.
    public static func problems(in roster: Roster, file: String) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var seen: Set<String> = []
        for attendee in roster.attendees {
            let at = attendee.location(of: "id")
            if attendee.id.isEmpty || !attendee.id.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) {
                problems.append(Diagnostic(file: file, at, "attendee id \"\(attendee.id)\": use lower-case letters, digits and `-`"))
            }
            if !seen.insert(attendee.id).inserted {
                problems.append(Diagnostic(file: file, at, "attendee id \"\(attendee.id)\" appears twice"))
            }
            // What reaches a command line when the attendee is probed.
            if let ssh = attendee.ssh, let problem = CommandArgument.checkSSHDestination(ssh) {
                problems.append(Diagnostic(file: file, attendee.location(of: "ssh"), problem))
            }
            for (field, value) in [("kubeconfig", attendee.kubeconfig), ("context", attendee.context)] {
                if let value, let problem = CommandArgument.checkName(value, what: "\(field):") {
                    problems.append(Diagnostic(file: file, attendee.location(of: field), problem))
                }
            }
        }
        if roster.secret == nil {
            problems.append(Diagnostic(file: file, .start,
                "missing `secret:` (a file holding the instructor's secret; create one with `head -c 32 /dev/urandom | base64 > roster.secret`)"))
        }
        return problems
    }
}

/// The instructor's secret: attendee folders are named by HMAC-SHA256(secret, `attendee:` + id)
/// (swift-crypto), so they cannot be guessed from an id, and stay the same from one build to
/// the next.
public struct RosterSecret: Sendable {
    let key: [UInt8]

    public init(_ key: [UInt8]) { self.key = key }

    /// Reads the secret file (surrounding whitespace ignored); at least 16 bytes.
    public static func load(from url: URL, displayPath: String) throws(DiagnosticsError) -> RosterSecret {
        let data: Data
        do { data = try InputFile.read(url) } catch {
            throw DiagnosticsError([Diagnostic(file: displayPath, .start,
                "cannot read the roster secret: \(error.reason) (create it with `head -c 32 /dev/urandom | base64 > \(url.lastPathComponent)`)")])
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count >= 16 else {
            throw DiagnosticsError([Diagnostic(file: displayPath, .start, "the roster secret is too short (at least 16 characters)")])
        }
        return RosterSecret(Array(text.utf8))
    }

    /// The attendee's folder name: HMAC-SHA256(secret, `attendee:` + id), its first 128 bits
    /// as 32 lower-case hex digits.
    /// - Parameters:
    ///   - id: the attendee's id in the roster.
    public func token(for id: String) -> String {
        Self.truncatedHex(HMAC<SHA256>.authenticationCode(for: Array(("attendee:" + id).utf8), using: SymmetricKey(data: key)))
    }

    /// The instructor index's name, from the same secret: HMAC-SHA256(secret,
    /// `instructor-index`), 128 bits in hex.
    public var instructorToken: String {
        Self.truncatedHex(HMAC<SHA256>.authenticationCode(for: Array("instructor-index".utf8), using: SymmetricKey(data: key)))
    }

    /// The first 16 bytes of a code as lower-case hex.
    /// - Parameters:
    ///   - code: an HMAC-SHA256 authentication code (32 bytes).
    private static func truncatedHex(_ code: HashedAuthenticationCode<SHA256>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in code.prefix(16) { out += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]] }
        return String(decoding: out, as: UTF8.self)
    }
}
