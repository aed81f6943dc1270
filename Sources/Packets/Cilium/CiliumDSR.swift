/// Cilium's DSR (direct server return) service annotations, which tcpdump and Wireshark show
/// only as unknown options.
public enum CiliumDSR {
    /// IPv4 option type Cilium uses (DSR_IPV4_OPT_TYPE, copied + class 0 + number 26).
    public static let ipv4OptionType: UInt8 = 0x9a
    /// IPv6 destination option type (DSR_IPV6_OPT_TYPE).
    public static let ipv6OptionType: UInt8 = 0x1b
    /// Geneve option class and type (CILIUM's registered class 0x014b, DSR type 0x81).
    public static let geneveClass: UInt16 = 0x014b
    public static let geneveType: UInt8 = 0x81

    /// Decodes the 8-byte IPv4 option at `o`. Cilium 1.12 builds it with
    /// `opt[0] = htonl(DSR_IPV4_OPT_32 | svc_port); opt[1] = htonl(svc_addr)` where the port and
    /// address are already in network order, so on a little-endian node each is byte-swapped.
    public static func explainIPv4(frame f: [UInt8], at o: Int) -> DSRExplanation? {
        guard o >= 0, o + 8 <= f.count, f[o] == ipv4OptionType, f[o + 1] == 8 else { return nil }
        let portWire = Array(f[o + 2 ..< o + 4])
        let addrWire = Array(f[o + 4 ..< o + 8])
        let portBytes = Array(portWire.reversed())
        let addrBytes = Array(addrWire.reversed())
        let port = UInt16(portBytes[0]) << 8 | UInt16(portBytes[1])
        return DSRExplanation(encoding: .ipv4Option, offset: o, raw: Array(f[o ..< o + 8]),
                              addressOffset: o + 4, addressWire: addrWire, addressBytes: addrBytes,
                              portOffset: o + 2, portWire: portWire, portBytes: portBytes,
                              address: dotted(addrBytes), port: port, byteSwapped: true)
    }

    /// IPv6 destination option 0x1b (length 20): 16-byte address then port, network order.
    public static func explainIPv6(frame f: [UInt8], at o: Int) -> DSRExplanation? {
        guard o >= 0, o + 20 <= f.count, f[o] == ipv6OptionType, f[o + 1] >= 18 else { return nil }
        let addr = Array(f[o + 2 ..< o + 18])
        let portBytes = Array(f[o + 18 ..< o + 20])
        return DSRExplanation(encoding: .ipv6DestinationOption, offset: o, raw: Array(f[o ..< o + 2 + Int(min(Int(f[o + 1]), f.count - o - 2))]),
                              addressOffset: o + 2, addressWire: addr, addressBytes: addr,
                              portOffset: o + 18, portWire: portBytes, portBytes: portBytes,
                              address: ipv6Text(addr), port: UInt16(portBytes[0]) << 8 | UInt16(portBytes[1]),
                              byteSwapped: false)
    }

    /// Geneve option (class 0x014b, type 0x81) whose data at `data` is an IPv4 (8 bytes) or
    /// IPv6 (20 bytes) address then port, network order.
    public static func explainGeneve(frame f: [UInt8], optionAt o: Int, dataLength: Int) -> DSRExplanation? {
        let d = o + 4
        guard d + dataLength <= f.count, dataLength >= 6 else { return nil }
        let addrLen = dataLength >= 18 ? 16 : 4
        let addr = Array(f[d ..< d + addrLen])
        let portBytes = Array(f[d + addrLen ..< d + addrLen + 2])
        return DSRExplanation(encoding: .geneveOption, offset: o, raw: Array(f[o ..< d + dataLength]),
                              addressOffset: d, addressWire: addr, addressBytes: addr,
                              portOffset: d + addrLen, portWire: portBytes, portBytes: portBytes,
                              address: addrLen == 4 ? dotted(addr) : ipv6Text(addr),
                              port: UInt16(portBytes[0]) << 8 | UInt16(portBytes[1]), byteSwapped: false)
    }

    /// The same reading as `explainIPv4`, without building the explanation's arrays and text:
    /// this runs for every DSR packet of a JSON dump.
    static func emitIPv4<S: FieldSink>(into s: inout S, frame f: [UInt8], at o: Int) {
        guard o >= 0, o + 8 <= f.count, f[o] == ipv4OptionType, f[o + 1] == 8 else { return }
        let portWire = UInt16(f[o + 2]) << 8 | UInt16(f[o + 3])
        let addrWire = UInt32(f[o + 4]) << 24 | UInt32(f[o + 5]) << 16 | UInt32(f[o + 6]) << 8 | UInt32(f[o + 7])
        let port = portWire.byteSwapped, addr = addrWire.byteSwapped
        s.open("cilium.dsr", "Cilium DSR service option", .bytes(start: o, count: 8), offset: o, length: 8,
               note: .dsrService(address: addr, port: port))
        s.leaf("cilium.dsr.type", "Option type", .hex(UInt64(f[o]), digits: 2), o, 1)
        s.leaf("cilium.dsr.len", "Option length", .uint(8), o + 1, 1)
        s.leaf("cilium.dsr.svc_port", "Service port", .uint(UInt64(port)), offset: o + 2, length: 2,
               note: .dsrSwappedPort(wire: portWire))
        s.leaf("cilium.dsr.svc_addr", "Service address", .ipv4(addr), offset: o + 4, length: 4,
               note: .dsrSwappedAddress(wire: addrWire))
        s.close()
    }

    static func emitNetworkOrder<S: FieldSink>(into s: inout S, _ e: DSRExplanation) {
        s.open("cilium.dsr", "Cilium DSR service option", .bytes(start: e.offset, count: e.raw.count),
               offset: e.offset, length: e.raw.count, note: "service \(e.address):\(e.port)")
        s.leaf("cilium.dsr.svc_addr", "Service address", .text(e.address), e.addressOffset, e.addressBytes.count)
        s.leaf("cilium.dsr.svc_port", "Service port", .uint(UInt64(e.port)), e.portOffset, 2)
        s.close()
    }

    static func dotted(_ b: [UInt8]) -> String { b.map { String($0) }.joined(separator: ".") }

    static func ipv6Text(_ b: [UInt8]) -> String {
        var buf = ByteBuffer(capacity: 40)
        var hi: UInt64 = 0, lo: UInt64 = 0
        for i in 0 ..< 8 { hi = hi << 8 | UInt64(b[i]); lo = lo << 8 | UInt64(b[i + 8]) }
        buf.append(ipv6High: hi, low: lo)
        return buf.string
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
