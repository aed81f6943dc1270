/// A probe failure an instructor can act on: what went wrong, then what to do about it.
public struct ProbeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var summary: String
    public var advice: String

    public init(_ summary: String, advice: String) {
        self.summary = summary
        self.advice = advice
    }

    public var description: String { "\(summary)\n  → \(advice)" }
}
