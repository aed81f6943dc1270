/// A parsed display filter: a subset of Wireshark's syntax over the field names labgen emits.
///
/// Supports `== != < > <= >=` (and `eq ne lt gt le ge`), `&& || !` (and `and or not`),
/// parentheses, bare field/protocol presence (`tcp`, `cilium.dsr`), and the either-side
/// names `ip.addr`, `ipv6.addr`, `eth.addr`, `tcp.port`, `udp.port`. As in Wireshark 4,
/// `a != b` means no occurrence of `a` equals `b`.
public struct DisplayFilter: Sendable, CustomStringConvertible {
    /// `and`/`or` hold all the terms of a chain (`a && b && c`), so a long filter is a wide
    /// tree, not a deep one; only parentheses and `!` nest, up to `FilterParser.maxDepth`.
    indirect enum Node: Sendable {
        case and([Node]), or([Node]), not(Node)
        case present(String)
        case compare(String, Op, Literal)
    }
    enum Op: String, Sendable { case eq = "==", ne = "!=", lt = "<", gt = ">", le = "<=", ge = ">=" }
    struct Literal: Sendable {
        var text: String
        var number: UInt64?
        var ipv4: (addr: UInt32, prefix: Int)?
    }

    let root: Node
    public let description: String
    /// Field names the filter reads (aliases expanded).
    let names: Set<String>

    public init(_ text: String) throws(FilterError) {
        var p = FilterParser(text)
        root = try p.parseAll()
        description = text
        var n = Set<String>()
        DisplayFilter.collect(root, into: &n)
        names = n
    }

    static let aliases: [String: [String]] = [
        "ip.addr": ["ip.src", "ip.dst"], "ipv6.addr": ["ipv6.src", "ipv6.dst"],
        "eth.addr": ["eth.src", "eth.dst"], "tcp.port": ["tcp.srcport", "tcp.dstport"],
        "udp.port": ["udp.srcport", "udp.dstport"], "ip.host": ["ip.src", "ip.dst"],
    ]

    static func expand(_ name: String) -> [String] { aliases[name] ?? [name] }

    private static func collect(_ n: Node, into s: inout Set<String>) {
        switch n {
        case .and(let terms), .or(let terms): for t in terms { collect(t, into: &s) }
        case .not(let a): collect(a, into: &s)
        case .present(let f), .compare(let f, _, _): for x in expand(f) { s.insert(x) }
        }
    }

    public func matches(_ packet: Packet) -> Bool {
        var c = ValueCollector(wanted: names, frame: packet.record.data)
        packet.emitFields(into: &c)
        return eval(root, c.values)
    }

    private func eval(_ n: Node, _ v: [String: [FieldValue]]) -> Bool {
        switch n {
        case .and(let terms): return terms.allSatisfy { eval($0, v) }
        case .or(let terms): return terms.contains { eval($0, v) }
        case .not(let a): return !eval(a, v)
        case .present(let f): return DisplayFilter.expand(f).contains { v[$0] != nil }
        case .compare(let f, let op, let lit):
            let vals = DisplayFilter.expand(f).flatMap { v[$0] ?? [] }
            if op == .ne { return !vals.isEmpty && !vals.contains { compare($0, .eq, lit) } }
            return vals.contains { compare($0, op, lit) }
        }
    }

    private func compare(_ value: FieldValue, _ op: Op, _ lit: Literal) -> Bool {
        func ord<T: Comparable>(_ a: T, _ b: T) -> Bool {
            switch op {
            case .eq: return a == b
            case .ne: return a != b
            case .lt: return a < b
            case .gt: return a > b
            case .le: return a <= b
            case .ge: return a >= b
            }
        }
        switch value {
        case .uint(let x), .hex(let x, _):
            if let n = lit.number { return ord(x, n) }
            return false
        case .ipv4(let a):
            guard let l = lit.ipv4 else { return false }
            if l.prefix < 32 && (op == .eq || op == .ne) {
                let mask: UInt32 = l.prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - l.prefix)
                return ord(a & mask, l.addr & mask)
            }
            return ord(a, l.addr)
        case .text(let s):
            if let a = FilterParser.parseIPv4(s), let l = lit.ipv4 { return ord(a.addr, l.addr) }
            if let n = lit.number, let x = UInt64(s) { return ord(x, n) }
            return ord(s, lit.text)
        default:
            let shown = value.display(frame: [])
            let norm = String(lit.text.lowercased().map { $0 == "-" ? ":" : $0 })
            if case .bytes = value { return false }
            return ord(shown, norm)
        }
    }
}

/// A filter that does not parse, with the 1-based column of the problem.
public struct FilterError: Error, Sendable, Equatable, CustomStringConvertible {
    public let column: Int
    public let message: String
    public var description: String { "filter:1:\(column): \(message)" }
}

/// Gathers the values of the named fields.
struct ValueCollector: FieldSink {
    let wanted: Set<String>
    let frame: [UInt8]
    var values: [String: [FieldValue]] = [:]

    private mutating func take(_ name: StaticString, _ value: FieldValue) {
        let n = name.description
        guard wanted.contains(n) else { return }
        var v = value
        // Byte values are resolved now: the collector outlives no frame but compares text.
        switch value {
        case .bytes, .tcpFlagString: v = .text(value.display(frame: frame))
        default: break
        }
        values[n, default: []].append(v)
    }

    mutating func open(_ name: StaticString, _ label: StaticString, _ value: FieldValue, offset: Int, length: Int, note: FieldNote?) {
        take(name, value)
    }
    mutating func close() {}
    mutating func leaf(_ name: StaticString, _ label: StaticString, _ value: FieldValue, offset: Int, length: Int, note: FieldNote?) {
        take(name, value)
    }
}
