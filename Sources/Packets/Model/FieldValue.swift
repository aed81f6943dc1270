/// A decoded field value, kept unformatted so printing only costs when something is printed.
///
/// Display follows tshark `-T json`: decimal numbers, dotted IPv4, RFC 5952 IPv6, colon MACs,
/// `0x…` with a fixed number of digits for checksums/flags/types, colon-separated hex for bytes.
public enum FieldValue: Sendable, Equatable {
    /// A grouping node (protocol, option list) with no value of its own.
    case none
    case uint(UInt64)
    case hex(UInt64, digits: Int)
    case ipv4(UInt32)
    case ipv6(high: UInt64, low: UInt64)
    case mac(UInt64)
    /// Bytes of the frame, `[start, start+count)`.
    case bytes(start: Int, count: Int)
    case text(String)
    /// tshark's `tcp.flags.str` for these 12 flag bits (e.g. `·······A··S·`), formatted only
    /// when printed: building that text for every packet cost more than the rest of the field.
    case tcpFlagString(UInt16)
}

extension FieldValue {
    /// Renders the value as tshark shows it; `frame` is needed only for `.bytes`.
    public func display(frame: [UInt8]) -> String {
        var out = ByteBuffer(capacity: 64)
        out.append(self, frame: frame)
        return out.string
    }
}
