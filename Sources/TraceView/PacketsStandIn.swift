// TEMPORARY stand-in for Packets API not yet committed on branch `packets`; deleted at merge.
/// One node of a packet's field tree, as the HTML renderer draws it.
public struct Field: Sendable, Equatable {
    /// Wireshark display-filter name (`ip.ttl`), or labgen's own in the same style (`cilium.dsr.svc_port`).
    public var name: String
    /// Human label, e.g. "Time to Live".
    public var label: String
    /// The value as tshark shows it (empty for grouping nodes).
    public var value: String
    /// Byte offset in the frame and length, for the hex view.
    public var offset: Int
    public var length: Int
    /// An explanation worth showing next to the value (bad checksum, malformed option…).
    public var note: String?
    public var children: [Field]

    public init(name: String, label: String, value: String, offset: Int, length: Int,
                note: String? = nil, children: [Field] = []) {
        self.name = name
        self.label = label
        self.value = value
        self.offset = offset
        self.length = length
        self.note = note
        self.children = children
    }

    /// Depth-first search by name.
    public func first(_ name: String) -> Field? {
        if self.name == name { return self }
        for c in children { if let f = c.first(name) { return f } }
        return nil
    }
}

extension Array where Element == Field {
    /// First field of that name anywhere in the forest, depth-first.
    public func first(_ name: String) -> Field? {
        for f in self { if let x = f.first(name) { return x } }
        return nil
    }

    /// Every field of that name anywhere in the forest, depth-first.
    public func all(_ name: String) -> [Field] {
        var out: [Field] = []
        func walk(_ fs: [Field]) { for f in fs { if f.name == name { out.append(f) }; walk(f.children) } }
        walk(self)
        return out
    }
}

/// Everything needed to draw the DSR option byte by byte: the raw bytes, which ones hold the
/// port and the address, how they were swapped, and the decimal result.
public struct DSRExplanation: Sendable, Equatable {
    public enum Encoding: String, Sendable { case ipv4Option, ipv6DestinationOption, geneveOption }
    public var encoding: Encoding
    /// Offset of the option in the frame, and all its bytes (type and length included).
    public var offset: Int
    public var raw: [UInt8]
    /// Address: where it sits, the bytes as on the wire, and in network order after undoing the swap.
    public var addressOffset: Int
    public var addressWire: [UInt8]
    public var addressBytes: [UInt8]
    /// Port: same three views.
    public var portOffset: Int
    public var portWire: [UInt8]
    public var portBytes: [UInt8]
    public var address: String
    public var port: UInt16
    /// True for the IPv4 option, whose values were put through `htonl` twice (see `CiliumDSR`).
    public var byteSwapped: Bool

    /// "0x7aa8", the port as one hex number after the swap.
    public var portHex: String { "0x" + portBytes.map { h($0) }.joined() }
    public var service: String { encoding == .ipv4Option || addressBytes.count == 4 ? "\(address):\(port)" : "[\(address)]:\(port)" }

    public var portNote: String {
        byteSwapped
            ? "wire bytes \(hex(portWire)) swapped by htonl → \(hex(portBytes)) = \(portHex) = \(port)"
            : "\(hex(portBytes)) = \(portHex) = \(port)"
    }

    public var addressNote: String {
        byteSwapped ? "wire bytes \(hex(addressWire)) swapped by htonl → \(hex(addressBytes)) = \(address)"
                    : "\(hex(addressBytes)) = \(address)"
    }

    private func h(_ b: UInt8) -> String { b < 16 ? "0" + String(b, radix: 16) : String(b, radix: 16) }
    private func hex(_ bs: [UInt8]) -> String { bs.map { h($0) }.joined(separator: " ") }
}
public enum CiliumDSR {
    public static func explainIPv4(frame f: [UInt8], at o: Int) -> DSRExplanation? {
        guard o >= 0, o + 8 <= f.count, f[o] == 0x9a, f[o + 1] == 8 else { return nil }
        let portWire = Array(f[o + 2 ..< o + 4])
        let addrWire = Array(f[o + 4 ..< o + 8])
        let portBytes = Array(portWire.reversed())
        let addrBytes = Array(addrWire.reversed())
        let port = UInt16(portBytes[0]) << 8 | UInt16(portBytes[1])
        return DSRExplanation(encoding: .ipv4Option, offset: o, raw: Array(f[o ..< o + 8]),
                              addressOffset: o + 4, addressWire: addrWire, addressBytes: addrBytes,
                              portOffset: o + 2, portWire: portWire, portBytes: portBytes,
                              address: addrBytes.map { String($0) }.joined(separator: "."), port: port, byteSwapped: true)
    }
}
