/// Ethernet II header.
public struct Ethernet: Sendable {
    public var offset: Int
    public var destination: UInt64
    public var source: UInt64
    public var etherType: UInt16

    static func decode(_ b: Bytes, _ o: Int, _ end: Int) -> Step {
        guard end - o >= 14 else { return .truncated("eth", "need 14 bytes, have \(end - o)", at: o) }
        let l = Ethernet(offset: o, destination: b.u48(o), source: b.u48(o + 6), etherType: b.u16(o + 12))
        return Step(layer: .ethernet(l), next: l.etherType <= 1500 ? .none : Next.forEtherType(l.etherType),
                    offset: o + 14, end: end)
    }

    func emit<S: FieldSink>(into s: inout S) {
        s.open("eth", "Ethernet II", .none, offset, 14)
        emitAddress(into: &s, destination, at: offset, "eth.dst", "Destination", lg: "eth.dst.lg", ig: "eth.dst.ig")
        emitAddress(into: &s, source, at: offset + 6, "eth.src", "Source", lg: "eth.src.lg", ig: "eth.src.ig")
        s.leaf("eth.type", "Type", .hex(UInt64(etherType), digits: 4), offset + 12, 2)
        s.close()
    }

    /// An address as tshark shows it: the address again as `eth.addr`, then its LG (locally
    /// administered) and IG (group) bits, read from the first three bytes.
    private func emitAddress<S: FieldSink>(into s: inout S, _ address: UInt64, at o: Int, _ name: StaticString,
                                           _ label: StaticString, lg: StaticString, ig: StaticString) {
        let first = address >> 40
        s.open(name, label, .mac(address), o, 6)
        s.leaf("eth.addr", "Address", .mac(address), o, 6)
        s.leaf(lg, "LG bit", .uint((first >> 1) & 1), o, 3)
        s.leaf(ig, "IG bit", .uint(first & 1), o, 3)
        s.close()
    }
}

/// 802.1Q / 802.1ad tag.
public struct VLAN: Sendable {
    public var offset: Int
    public var tci: UInt16
    public var etherType: UInt16
    public var priority: Int { Int(tci >> 13) }
    public var dei: Int { Int(tci >> 12) & 1 }
    public var id: Int { Int(tci & 0x0fff) }

    static func decode(_ b: Bytes, _ o: Int, _ end: Int) -> Step {
        guard end - o >= 4 else { return .truncated("vlan", "need 4 bytes, have \(end - o)", at: o) }
        let l = VLAN(offset: o, tci: b.u16(o), etherType: b.u16(o + 2))
        return Step(layer: .vlan(l), next: Next.forEtherType(l.etherType), offset: o + 4, end: end)
    }

    func emit<S: FieldSink>(into s: inout S) {
        s.open("vlan", "802.1Q Virtual LAN", .none, offset, 4)
        s.leaf("vlan.priority", "Priority", .uint(UInt64(priority)), offset, 2)
        s.leaf("vlan.dei", "DEI", .uint(UInt64(dei)), offset, 2)
        s.leaf("vlan.id", "ID", .uint(UInt64(id)), offset, 2)
        s.leaf("vlan.etype", "Type", .hex(UInt64(etherType), digits: 4), offset + 2, 2)
        s.close()
    }
}

/// Linux "cooked" header, v1 (LINKTYPE_LINUX_SLL, 16 bytes) or v2 (LINKTYPE_LINUX_SLL2, 20 bytes),
/// what `tcpdump -i any` writes.
public struct LinuxCooked: Sendable {
    public var offset: Int
    public var version: Int
    public var packetType: UInt16
    public var hardwareType: UInt16
    public var addressLength: UInt16
    public var address: UInt64
    public var protocolType: UInt16
    public var interfaceIndex: UInt32
    var headerLength: Int { version == 1 ? 16 : 20 }
    /// The link-layer address is a MAC when the hardware is Ethernet-like and 6 bytes long.
    public var sourceMAC: UInt64? { addressLength == 6 && (hardwareType == 1 || hardwareType == 772) ? address >> 16 : nil }

    static func decode(_ b: Bytes, _ o: Int, _ end: Int, version: Int) -> Step {
        let n = version == 1 ? 16 : 20
        guard end - o >= n else { return .truncated("sll", "need \(n) bytes, have \(end - o)", at: o) }
        let l: LinuxCooked
        if version == 1 {
            l = LinuxCooked(offset: o, version: 1, packetType: b.u16(o), hardwareType: b.u16(o + 2),
                            addressLength: b.u16(o + 4), address: b.u64(o + 6), protocolType: b.u16(o + 14),
                            interfaceIndex: 0)
        } else {
            l = LinuxCooked(offset: o, version: 2, packetType: UInt16(b.u8(o + 10)), hardwareType: b.u16(o + 8),
                            addressLength: UInt16(b.u8(o + 11)), address: b.u64(o + 12), protocolType: b.u16(o),
                            interfaceIndex: b.u32(o + 4))
        }
        return Step(layer: .linuxCooked(l), next: Next.forEtherType(l.protocolType), offset: o + n, end: end)
    }

    func emit<S: FieldSink>(into s: inout S) {
        let o = offset
        s.open("sll", "Linux cooked capture", .none, o, headerLength)
        if version == 1 {
            s.leaf("sll.pkttype", "Packet type", .uint(UInt64(packetType)), o, 2)
            s.leaf("sll.hatype", "Link-layer address type", .uint(UInt64(hardwareType)), o + 2, 2)
            s.leaf("sll.halen", "Link-layer address length", .uint(UInt64(addressLength)), o + 4, 2)
            emitAddress(into: &s, at: o + 6)
            s.leaf("sll.etype", "Protocol", .hex(UInt64(protocolType), digits: 4), o + 14, 2)
        } else {
            s.leaf("sll.etype", "Protocol", .hex(UInt64(protocolType), digits: 4), o, 2)
            s.leaf("sll.ifindex", "Interface index", .uint(UInt64(interfaceIndex)), o + 4, 4)
            s.leaf("sll.hatype", "Link-layer address type", .uint(UInt64(hardwareType)), o + 8, 2)
            s.leaf("sll.pkttype", "Packet type", .uint(UInt64(packetType)), o + 10, 1)
            s.leaf("sll.halen", "Link-layer address length", .uint(UInt64(addressLength)), o + 11, 1)
            emitAddress(into: &s, at: o + 12)
        }
        s.close()
    }

    private func emitAddress<S: FieldSink>(into s: inout S, at a: Int) {
        if let mac = sourceMAC {
            s.leaf("sll.src.eth", "Source", .mac(mac), a, 6)
            s.leaf("sll.unused", "Unused", .bytes(start: a + 6, count: 2), a + 6, 2)
        } else {
            let n = min(Int(addressLength), 8)
            if n > 0 { s.leaf("sll.src.other", "Source", .bytes(start: a, count: n), a, n) }
            if n < 8 { s.leaf("sll.unused", "Unused", .bytes(start: a + n, count: 8 - n), a + n, 8 - n) }
        }
    }
}

/// BSD loopback/null header: a 4-byte address family in the capturing host's byte order.
public struct NullLoopback: Sendable {
    public var offset: Int
    public var family: UInt32

    static func decode(_ b: Bytes, _ o: Int, _ end: Int) -> Step {
        guard end - o >= 4 else { return .truncated("null", "need 4 bytes, have \(end - o)", at: o) }
        var f = b.u32(o)
        // Host order unknown: families are small numbers, so a value above 0xffff is byte-swapped.
        if f > 0xffff { f = f.byteSwapped }
        let l = NullLoopback(offset: o, family: f)
        let next: Next
        switch f {
        case 2: next = .ipv4
        case 10, 24, 28, 30: next = .ipv6
        default: next = .none
        }
        return Step(layer: .null(l), next: next, offset: o + 4, end: end)
    }

    func emit<S: FieldSink>(into s: inout S) {
        s.open("null", "Null/Loopback", .none, offset, 4)
        s.leaf("null.family", "Family", .uint(UInt64(family)), offset, 4)
        s.close()
    }
}

/// ARP request/reply.
public struct ARP: Sendable {
    public var offset: Int
    public var hardwareType: UInt16
    public var protocolType: UInt16
    public var hardwareSize: UInt8
    public var protocolSize: UInt8
    public var opcode: UInt16
    public var isEthernetIPv4: Bool { hardwareSize == 6 && protocolSize == 4 }
    var length: Int { 8 + 2 * (Int(hardwareSize) + Int(protocolSize)) }

    static func decode(_ b: Bytes, _ o: Int, _ end: Int) -> Step {
        guard end - o >= 8 else { return .truncated("arp", "need 8 bytes, have \(end - o)", at: o) }
        let l = ARP(offset: o, hardwareType: b.u16(o), protocolType: b.u16(o + 2), hardwareSize: b.u8(o + 4),
                    protocolSize: b.u8(o + 5), opcode: b.u16(o + 6))
        guard end - o >= l.length else {
            return .truncated("arp", "addresses need \(l.length) bytes, have \(end - o)", at: o + 8)
        }
        return Step(layer: .arp(l), next: .none, offset: o + l.length, end: end)
    }

    func senderMAC(_ f: [UInt8]) -> UInt64 { f.be48(offset + 8) }
    func senderIP(_ f: [UInt8]) -> UInt32 { f.be32(offset + 14) }
    func targetMAC(_ f: [UInt8]) -> UInt64 { f.be48(offset + 18) }
    func targetIP(_ f: [UInt8]) -> UInt32 { f.be32(offset + 24) }

    func emit<S: FieldSink>(into s: inout S, frame f: [UInt8]) {
        let o = offset
        s.open("arp", "Address Resolution Protocol", .none, o, length)
        s.leaf("arp.hw.type", "Hardware type", .uint(UInt64(hardwareType)), o, 2)
        s.leaf("arp.proto.type", "Protocol type", .hex(UInt64(protocolType), digits: 4), o + 2, 2)
        s.leaf("arp.hw.size", "Hardware size", .uint(UInt64(hardwareSize)), o + 4, 1)
        s.leaf("arp.proto.size", "Protocol size", .uint(UInt64(protocolSize)), o + 5, 1)
        s.leaf("arp.opcode", "Opcode", .uint(UInt64(opcode)), o + 6, 2)
        if isEthernetIPv4 {
            s.leaf("arp.src.hw_mac", "Sender MAC address", .mac(senderMAC(f)), o + 8, 6)
            s.leaf("arp.src.proto_ipv4", "Sender IP address", .ipv4(senderIP(f)), o + 14, 4)
            s.leaf("arp.dst.hw_mac", "Target MAC address", .mac(targetMAC(f)), o + 18, 6)
            s.leaf("arp.dst.proto_ipv4", "Target IP address", .ipv4(targetIP(f)), o + 24, 4)
        } else {
            let h = Int(hardwareSize), p = Int(protocolSize)
            var a = o + 8
            s.leaf("arp.src.hw", "Sender hardware address", .bytes(start: a, count: h), a, h); a += h
            s.leaf("arp.src.proto", "Sender protocol address", .bytes(start: a, count: p), a, p); a += p
            s.leaf("arp.dst.hw", "Target hardware address", .bytes(start: a, count: h), a, h); a += h
            s.leaf("arp.dst.proto", "Target protocol address", .bytes(start: a, count: p), a, p)
        }
        s.close()
    }
}
