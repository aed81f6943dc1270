/// One decoded protocol layer. Each case's type decodes itself from bytes (gopacket style),
/// records where it sits in the frame and names the next layer.
public enum Layer: Sendable {
    case null(NullLoopback)
    case linuxCooked(LinuxCooked)
    case ethernet(Ethernet)
    case vlan(VLAN)
    case arp(ARP)
    case ipv4(IPv4)
    case ipv6(IPv6)
    case tcp(TCP)
    case udp(UDP)
    case icmp(ICMP)
    case icmpv6(ICMPv6)
    case vxlan(VXLAN)
    case geneve(Geneve)
    case http(HTTPFirstLine)
    case payload(Payload)

    /// Wireshark protocol name, as in `frame.protocols`.
    public var name: String { staticName.description }

    /// The same name, without building a `String` (JSON output).
    var staticName: StaticString {
        switch self {
        case .null: return "null"
        case .linuxCooked: return "sll"
        case .ethernet: return "eth"
        case .vlan: return "vlan"
        case .arp: return "arp"
        case .ipv4: return "ip"
        case .ipv6: return "ipv6"
        case .tcp: return "tcp"
        case .udp: return "udp"
        case .icmp: return "icmp"
        case .icmpv6: return "icmpv6"
        case .vxlan: return "vxlan"
        case .geneve: return "geneve"
        case .http: return "http"
        case .payload: return "data"
        }
    }

    func emit<S: FieldSink>(into s: inout S, frame: [UInt8]) {
        switch self {
        case .null(let l): l.emit(into: &s)
        case .linuxCooked(let l): l.emit(into: &s)
        case .ethernet(let l): l.emit(into: &s)
        case .vlan(let l): l.emit(into: &s)
        case .arp(let l): l.emit(into: &s, frame: frame)
        case .ipv4(let l): l.emit(into: &s, frame: frame)
        case .ipv6(let l): l.emit(into: &s, frame: frame)
        case .tcp(let l): l.emit(into: &s, frame: frame)
        case .udp(let l): l.emit(into: &s, frame: frame)
        case .icmp(let l): l.emit(into: &s, frame: frame)
        case .icmpv6(let l): l.emit(into: &s, frame: frame)
        case .vxlan(let l): l.emit(into: &s)
        case .geneve(let l): l.emit(into: &s, frame: frame)
        case .http(let l): l.emit(into: &s)
        case .payload(let l): l.emit(into: &s)
        }
    }
}

/// Which decoder runs next, and on which bytes.
enum Next {
    case none, ethernet, vlan, arp, ipv4, ipv6, raw, tcp, udp, icmp, icmpv6, vxlan, geneve, http

    static func forEtherType(_ t: UInt16) -> Next {
        switch t {
        case 0x0800: return .ipv4
        case 0x86dd: return .ipv6
        case 0x0806: return .arp
        case 0x8100, 0x88a8: return .vlan
        default: return .none
        }
    }

    static func forIPProtocol(_ p: UInt8) -> Next {
        switch p {
        case 6: return .tcp
        case 17: return .udp
        case 1: return .icmp
        case 58: return .icmpv6
        case 4: return .ipv4
        case 41: return .ipv6
        default: return .none
        }
    }
}

/// What a layer decoder returns: the layer (possibly partial), where the next one starts, and
/// an issue if it could not finish.
struct Step {
    var layer: Layer?
    var next: Next = .none
    var offset: Int = 0
    var end: Int = 0
    var issue: DecodeIssue?
    /// The payload is a fragment: shown as nothing, like tshark without the other fragments.
    var fragment = false

    static func truncated(_ layer: String, _ reason: String, at offset: Int, partial: Layer? = nil) -> Step {
        Step(layer: partial, issue: DecodeIssue(kind: .truncated, layer: layer, reason: reason, offset: offset))
    }

    static func malformed(_ layer: String, _ reason: String, at offset: Int, partial: Layer? = nil) -> Step {
        Step(layer: partial, issue: DecodeIssue(kind: .malformed, layer: layer, reason: reason, offset: offset))
    }
}

/// Bytes no decoder claimed (shown as tshark's `data`).
public struct Payload: Sendable {
    public var offset: Int
    public var length: Int

    func emit<S: FieldSink>(into s: inout S) {
        s.open("data", "Data", .none, offset, length)
        s.leaf("data.data", "Data", .bytes(start: offset, count: length), offset, length)
        s.leaf("data.len", "Length", .uint(UInt64(length)), offset, 0)
        s.close()
    }
}
