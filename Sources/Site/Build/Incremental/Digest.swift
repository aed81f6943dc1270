import Foundation

/// A 128-bit fingerprint of bytes, for the build cache: "did this input change?". Two
/// independent 64-bit multiply-rotate lanes over 8-byte words; fast (no crypto is needed: the
/// inputs are the author's own files, nobody is trying to forge a collision).
public struct Digest: Sendable, Hashable, Codable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        var hasher = Hasher128()
        hasher.combine(bytes)
        self = hasher.finalize()
    }

    public init(_ string: String) {
        var copy = string
        self = copy.withUTF8 { Digest($0) }
    }

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// One digest for several parts; part boundaries count (`["ab", "c"]` ≠ `["a", "bc"]`).
    public static func combining(_ parts: [Digest]) -> Digest {
        var hasher = Hasher128()
        for part in parts { hasher.combine(word: part.high); hasher.combine(word: part.low) }
        return hasher.finalize()
    }

    public static func combining(_ parts: [String]) -> Digest {
        combining(parts.map { Digest($0) })
    }

    public var description: String {
        String(high, radix: 16).leftPadded(16) + String(low, radix: 16).leftPadded(16)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard text.count == 32, let high = UInt64(text.prefix(16), radix: 16), let low = UInt64(text.suffix(16), radix: 16) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a digest: \(text)"))
        }
        self.init(high: high, low: low)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
