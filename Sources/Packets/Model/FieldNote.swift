/// An explanation shown next to a field's value, kept unformatted like `FieldValue`: the notes
/// on every packet (a checksum left to offload, the DSR service) cost nothing until printed.
public enum FieldNote: Sendable, Equatable, ExpressibleByStringInterpolation {
    case text(String)
    /// "incorrect, should be 0x…", plus " (maybe caused by checksum offload)" for TCP/UDP.
    case badChecksum(expected: UInt16, offload: Bool)
    /// "service a.b.c.d:port" for Cilium's IPv4 DSR option.
    case dsrService(address: UInt32, port: UInt16)
    /// The IPv4 DSR option's port, its two wire bytes (first byte high) swapped by `htonl`.
    case dsrSwappedPort(wire: UInt16)
    /// The IPv4 DSR option's address, its four wire bytes (first byte high) swapped by `htonl`.
    case dsrSwappedAddress(wire: UInt32)

    public init(stringLiteral value: String) { self = .text(value) }

    /// The note as text (what the field tree shows).
    public var text: String {
        if case .text(let t) = self { return t }
        let b = ByteBuffer(capacity: 128)
        write(into: b)
        return b.string
    }

    /// Appends the text, unescaped.
    func write(into b: ByteBuffer) {
        switch self {
        case .text(let t):
            b.append(t)
        case .badChecksum(let e, let offload):
            b.append("incorrect, should be 0x" as StaticString)
            b.append(hex: UInt64(e), digits: 1)
            if offload { b.append(" (maybe caused by checksum offload)" as StaticString) }
        case .dsrService(let a, let port):
            b.append("service " as StaticString); b.append(ipv4: a); b.append(0x3a); b.append(decimal: UInt64(port))
        case .dsrSwappedPort(let w):
            let swapped = w.byteSwapped
            b.append("wire bytes " as StaticString); FieldNote.spacedHex(UInt64(w), bytes: 2, b)
            b.append(" swapped by htonl → " as StaticString); FieldNote.spacedHex(UInt64(swapped), bytes: 2, b)
            b.append(" = 0x" as StaticString); b.append(hex: UInt64(swapped), digits: 4)
            b.append(" = " as StaticString); b.append(decimal: UInt64(swapped))
        case .dsrSwappedAddress(let w):
            let swapped = w.byteSwapped
            b.append("wire bytes " as StaticString); FieldNote.spacedHex(UInt64(w), bytes: 4, b)
            b.append(" swapped by htonl → " as StaticString); FieldNote.spacedHex(UInt64(swapped), bytes: 4, b)
            b.append(" = " as StaticString); b.append(ipv4: swapped)
        }
    }

    /// Whether `write(into:)` may produce bytes JSON must escape.
    var needsEscaping: Bool {
        if case .text = self { return true }
        return false
    }

    /// "ac 12 00 02": each byte as two hex digits, first byte high.
    private static func spacedHex(_ v: UInt64, bytes n: Int, _ b: ByteBuffer) {
        for i in 0 ..< n {
            if i > 0 { b.append(0x20) }
            b.append(hexByte: UInt8(truncatingIfNeeded: v >> (8 * UInt64(n - 1 - i))))
        }
    }
}
