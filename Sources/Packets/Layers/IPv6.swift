/// IPv6 header with its extension headers (hop-by-hop, routing, fragment, destination options).
public struct IPv6: Sendable {
    public var offset: Int
    public var versionClassFlow: UInt32
    public var payloadLength: UInt16
    public var nextHeader: UInt8
    public var hopLimit: UInt8
    public var source: (UInt64, UInt64)
    public var destination: (UInt64, UInt64)
    public var extensions: [IPv6Extension]
    /// The protocol after the extension headers, and where it starts.
    public var upperProtocol: UInt8
    public var upperOffset: Int

    public var trafficClass: UInt8 { UInt8((versionClassFlow >> 20) & 0xff) }
    public var flowLabel: UInt32 { versionClassFlow & 0xfffff }

    static func decode(_ b: Bytes, _ o: Int, _ end: Int) -> Step {
        guard end - o >= 40 else { return .truncated("ipv6", "need 40 bytes, have \(end - o)", at: o) }
        let vcf = b.u32(o)
        guard vcf >> 28 == 6 else { return .malformed("ipv6", "version \(vcf >> 28) is not 6", at: o) }
        var l = IPv6(offset: o, versionClassFlow: vcf, payloadLength: b.u16(o + 4), nextHeader: b.u8(o + 6),
                     hopLimit: b.u8(o + 7), source: (b.u64(o + 8), b.u64(o + 16)),
                     destination: (b.u64(o + 24), b.u64(o + 32)), extensions: [], upperProtocol: b.u8(o + 6),
                     upperOffset: o + 40)
        let payloadEnd = min(end, o + 40 + Int(l.payloadLength))
        var nh = l.nextHeader
        var p = o + 40
        var fragmented = false
        // Bounded: each header consumes at least 8 bytes of a finite frame.
        while nh == 0 || nh == 43 || nh == 44 || nh == 60 {
            guard payloadEnd - p >= 8 else {
                l.upperProtocol = nh; l.upperOffset = p
                return .truncated("ipv6", "extension header \(nh) needs 8 bytes, have \(payloadEnd - p)", at: p,
                                  partial: .ipv6(l))
            }
            let len = nh == 44 ? 8 : (Int(b.u8(p + 1)) + 1) * 8
            guard payloadEnd - p >= len else {
                l.upperProtocol = nh; l.upperOffset = p
                return .truncated("ipv6", "extension header \(nh) needs \(len) bytes, have \(payloadEnd - p)",
                                  at: p, partial: .ipv6(l))
            }
            let ext = IPv6Extension(type: nh, offset: p, length: len, nextHeader: b.u8(p))
            if nh == 44 {
                let fo = b.u16(p + 2)
                if fo & 0xfff8 != 0 || fo & 1 != 0 { fragmented = true }
            }
            l.extensions.append(ext)
            nh = ext.nextHeader
            p += len
        }
        l.upperProtocol = nh
        l.upperOffset = p
        return Step(layer: .ipv6(l), next: fragmented ? .none : Next.forIPProtocol(nh), offset: p, end: payloadEnd,
                    fragment: fragmented)
    }

    func emit<S: FieldSink>(into s: inout S, frame f: [UInt8]) {
        let o = offset
        s.open("ipv6", "Internet Protocol Version 6", .none, o, 40)
        s.leaf("ipv6.version", "Version", .uint(6), o, 1)
        // tshark's too, so `ip.version == 6` matches IPv6 packets.
        s.leaf("ip.version", "Version", .uint(6), o, 1)
        s.open("ipv6.tclass", "Traffic Class", .hex(UInt64(trafficClass), digits: 8), o, 4)
        s.leaf("ipv6.tclass.dscp", "Differentiated Services Codepoint", .uint(UInt64(trafficClass >> 2)), o, 4)
        s.leaf("ipv6.tclass.ecn", "Explicit Congestion Notification", .uint(UInt64(trafficClass & 3)), o, 4)
        s.close()
        s.leaf("ipv6.flow", "Flow Label", .hex(UInt64(flowLabel), digits: 6), o + 1, 3)
        s.leaf("ipv6.plen", "Payload Length", .uint(UInt64(payloadLength)), o + 4, 2)
        s.leaf("ipv6.nxt", "Next Header", .uint(UInt64(nextHeader)), o + 6, 1)
        s.leaf("ipv6.hlim", "Hop Limit", .uint(UInt64(hopLimit)), o + 7, 1)
        s.leaf("ipv6.src", "Source Address", .ipv6(high: source.0, low: source.1), o + 8, 16)
        s.leaf("ipv6.dst", "Destination Address", .ipv6(high: destination.0, low: destination.1), o + 24, 16)
        for e in extensions { e.emit(into: &s, frame: f) }
        s.close()
    }
}

/// One IPv6 extension header.
public struct IPv6Extension: Sendable {
    public var type: UInt8
    public var offset: Int
    public var length: Int
    public var nextHeader: UInt8

    func emit<S: FieldSink>(into s: inout S, frame f: [UInt8]) {
        let o = offset
        switch type {
        case 44:
            let fo = f.be16(o + 2)
            s.open("ipv6.fraghdr", "Fragment Header", .none, o, 8)
            s.leaf("ipv6.fraghdr.nxt", "Next header", .uint(UInt64(nextHeader)), o, 1)
            s.leaf("ipv6.fraghdr.reserved_octet", "Reserved octet", .hex(UInt64(f[o + 1]), digits: 2), o + 1, 1)
            s.leaf("ipv6.fraghdr.offset", "Offset", .uint(UInt64(fo >> 3)), o + 2, 2)
            s.leaf("ipv6.fraghdr.reserved_bits", "Reserved bits", .uint(UInt64((fo >> 1) & 3)), o + 2, 2)
            s.leaf("ipv6.fraghdr.more", "More Fragments", .uint(UInt64(fo & 1)), o + 2, 2)
            s.leaf("ipv6.fraghdr.ident", "Identification", .hex(UInt64(f.be32(o + 4)), digits: 8), o + 4, 4)
            s.close()
        case 43:
            s.open("ipv6.routing", "Routing Header", .none, o, length)
            s.leaf("ipv6.routing.nxt", "Next Header", .uint(UInt64(nextHeader)), o, 1)
            s.leaf("ipv6.routing.len", "Length", .uint(UInt64(f[o + 1])), o + 1, 1)
            s.leaf("ipv6.routing.type", "Type", .uint(UInt64(f[o + 2])), o + 2, 1)
            s.leaf("ipv6.routing.segleft", "Segments Left", .uint(UInt64(f[o + 3])), o + 3, 1)
            s.close()
        default:
            if type == 0 {
                s.open("ipv6.hopopts", "Hop-by-Hop Options", .none, o, length)
                s.leaf("ipv6.hopopts.nxt", "Next Header", .uint(UInt64(nextHeader)), o, 1)
                s.leaf("ipv6.hopopts.len", "Length", .uint(UInt64(f[o + 1])), o + 1, 1)
                s.leaf("ipv6.hopopts.len_oct", "Length in octets", .uint(UInt64(length)), o + 1, 1)
            } else {
                s.open("ipv6.dstopts", "Destination Options", .none, o, length)
                s.leaf("ipv6.dstopts.nxt", "Next Header", .uint(UInt64(nextHeader)), o, 1)
                s.leaf("ipv6.dstopts.len", "Length", .uint(UInt64(f[o + 1])), o + 1, 1)
                s.leaf("ipv6.dstopts.len_oct", "Length in octets", .uint(UInt64(length)), o + 1, 1)
            }
            emitOptions(into: &s, frame: f)
            s.close()
        }
    }

    /// TLV options of hop-by-hop and destination headers; Cilium's DSR option is explained.
    func emitOptions<S: FieldSink>(into s: inout S, frame f: [UInt8]) {
        var i = offset + 2
        let end = offset + length
        while i < end {
            let t = f[i]
            if t == 0 {
                s.open("ipv6.opt", "Pad1", .none, i, 1)
                emitType(&s, t, i)
                s.close()
                i += 1
                continue
            }
            guard i + 1 < end, i + 2 + Int(f[i + 1]) <= end else {
                s.leaf("ipv6.opt.malformed", "Malformed option", .bytes(start: i, count: end - i),
                       offset: i, length: end - i, note: "option length runs past the header")
                return
            }
            let len = Int(f[i + 1])
            s.open("ipv6.opt", "Option", .none, i, 2 + len)
            emitType(&s, t, i)
            s.leaf("ipv6.opt.length", "Length", .uint(UInt64(len)), i + 1, 1)
            switch t {
            case 1: s.leaf("ipv6.opt.padn", "PadN", .bytes(start: i + 2, count: len), i + 2, len)
            case 5 where len == 2: s.leaf("ipv6.opt.router_alert", "Router Alert", .uint(UInt64(f.be16(i + 2))), i + 2, 2)
            default:
                s.leaf("ipv6.opt.unknown", "Unknown Option Payload", .bytes(start: i + 2, count: len), i + 2, len)
                if t == CiliumDSR.ipv6OptionType, len >= 18, let e = CiliumDSR.explainIPv6(frame: f, at: i) {
                    CiliumDSR.emitNetworkOrder(into: &s, e)
                }
            }
            s.close()
            i += 2 + len
        }
    }

    private func emitType<S: FieldSink>(_ s: inout S, _ t: UInt8, _ i: Int) {
        s.open("ipv6.opt.type", "Type", .hex(UInt64(t), digits: 2), i, 1)
        s.leaf("ipv6.opt.type.action", "Action", .uint(UInt64(t >> 6)), i, 1)
        s.leaf("ipv6.opt.type.change", "May Change", .uint(UInt64((t >> 5) & 1)), i, 1)
        s.leaf("ipv6.opt.type.rest", "Low-Order Bits", .hex(UInt64(t & 0x1f), digits: 2), i, 1)
        s.close()
    }

    /// The Cilium DSR destination option, if this header carries one.
    func dsr(frame f: [UInt8]) -> DSRExplanation? {
        guard type == 60 || type == 0 else { return nil }
        var i = offset + 2
        let end = offset + length
        while i < end {
            if f[i] == 0 { i += 1; continue }
            guard i + 1 < end else { return nil }
            if f[i] == CiliumDSR.ipv6OptionType { return CiliumDSR.explainIPv6(frame: f, at: i) }
            i += 2 + Int(f[i + 1])
        }
        return nil
    }
}
