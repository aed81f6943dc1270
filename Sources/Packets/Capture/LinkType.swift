/// The link-layer header type of a capture (tcpdump.org LINKTYPE_ values), which picks the first layer.
public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let null = LinkType(rawValue: 0)
    public static let ethernet = LinkType(rawValue: 1)
    public static let rawIP = LinkType(rawValue: 101)
    /// Raw IP as some BSDs number it (DLT_RAW 12 and 14).
    public static let rawIP12 = LinkType(rawValue: 12)
    public static let rawIP14 = LinkType(rawValue: 14)
    public static let linuxCooked = LinkType(rawValue: 113)
    public static let linuxCooked2 = LinkType(rawValue: 276)
    public static let ipv4 = LinkType(rawValue: 228)
    public static let ipv6 = LinkType(rawValue: 229)

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .ethernet: return "EN10MB"
        case .rawIP, .rawIP12, .rawIP14, .ipv4, .ipv6: return "RAW"
        case .linuxCooked: return "LINUX_SLL"
        case .linuxCooked2: return "LINUX_SLL2"
        default: return "LINKTYPE_\(rawValue)"
        }
    }
}

/// Seconds and nanoseconds since the Unix epoch, kept as integers so no precision is lost.
public struct Timestamp: Hashable, Sendable, Comparable {
    public var seconds: Int64
    public var nanoseconds: UInt32
    public init(seconds: Int64, nanoseconds: UInt32) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }
    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }
}
