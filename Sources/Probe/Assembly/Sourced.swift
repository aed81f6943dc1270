import Foundation
import Facts

/// A value with the command that produced it and when: every fact keeps its provenance from
/// the moment it is read.
public struct Sourced<Value: Sendable>: Sendable {
    public var value: Value
    public var provenance: Facts.Provenance

    public init(_ value: Value, from result: CommandResult) {
        self.value = value
        self.provenance = Facts.Provenance(source: result.display, at: isoTime(result.startedAt))
    }

    public init(_ value: Value, provenance: Facts.Provenance) {
        self.value = value
        self.provenance = provenance
    }
}

/// ISO-8601 in UTC to the second, the format facts files use.
func isoTime(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
}

extension CommandResult {
    /// Decodes stdout as JSON, failing with the command in the message.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: stdout)
        } catch {
            throw ProbeError("`\(display)` printed output labgen cannot read (\(error))",
                             advice: "run the command by hand and check its output; report it if it looks normal")
        }
    }
}
