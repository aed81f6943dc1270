/// IPv4 header, options included.
public struct IPv4: Sendable {
    public var offset: Int
    public var headerLength: Int
    public var tos: UInt8
    public var totalLength: UInt16
    public var id: UInt16
    public var flagsFragment: UInt16
    public var ttl: UInt8
    public var proto: UInt8
    public var checksum: UInt16
    public var source: UInt32
    public var destination: UInt32

    public var dontFragment: Bool { flagsFragment & 0x4000 != 0 }
    public var moreFragments: Bool { flagsFragment & 0x2000 != 0 }
    /// Fragment offset in bytes.
    public var fragmentOffset: Int { Int(flagsFragment & 0x1fff) * 8 }
    public var hasOptions: Bool { headerLength > 20 }

    static func decode(_ b: Bytes, _ o: Int, _ end: Int) -> Step {
        guard end - o >= 20 else { return .truncated("ip", "need 20 bytes, have \(end - o)", at: o) }
        let vihl = b.u8(o)
        guard vihl >> 4 == 4 else { return .malformed("ip", "version \(vihl >> 4) is not 4", at: o) }
        let hl = Int(vihl & 0x0f) * 4
        guard hl >= 20 else { return .malformed("ip", "header length \(hl) < 20", at: o) }
        let l = IPv4(offset: o, headerLength: hl, tos: b.u8(o + 1), totalLength: b.u16(o + 2), id: b.u16(o + 4),
                     flagsFragment: b.u16(o + 6), ttl: b.u8(o + 8), proto: b.u8(o + 9), checksum: b.u16(o + 10),
                     source: b.u32(o + 12), destination: b.u32(o + 16))
        guard end - o >= hl else {
            return .truncated("ip", "header length \(hl), have \(end - o)", at: o + 20, partial: .ipv4(l))
        }
        guard Int(l.totalLength) >= hl else {
            return .malformed("ip", "total length \(l.totalLength) < header length \(hl)", at: o + 2, partial: .ipv4(l))
        }
        // The declared length bounds the payload (Ethernet padding is not payload); a shorter
        // capture is the snap length at work.
        let payloadEnd = min(end, o + Int(l.totalLength))
        let fragmented = l.moreFragments || l.fragmentOffset != 0
        return Step(layer: .ipv4(l), next: fragmented ? .none : Next.forIPProtocol(l.proto),
                    offset: o + hl, end: payloadEnd, fragment: fragmented)
    }

    public func headerChecksumValid(_ f: [UInt8]) -> Bool {
        Checksum.fold(Checksum.sum(f, offset, offset + headerLength)) == 0xffff
    }

    func emit<S: FieldSink>(into s: inout S, frame f: [UInt8]) {
        let o = offset
        s.open("ip", "Internet Protocol Version 4", .none, o, headerLength)
        s.leaf("ip.version", "Version", .uint(4), o, 1)
        s.leaf("ip.hdr_len", "Header Length", .uint(UInt64(headerLength)), o, 1)
        s.open("ip.dsfield", "Differentiated Services Field", .hex(UInt64(tos), digits: 2), o + 1, 1)
        s.leaf("ip.dsfield.dscp", "Differentiated Services Codepoint", .uint(UInt64(tos >> 2)), o + 1, 1)
        s.leaf("ip.dsfield.ecn", "Explicit Congestion Notification", .uint(UInt64(tos & 3)), o + 1, 1)
        s.close()
        s.leaf("ip.len", "Total Length", .uint(UInt64(totalLength)), o + 2, 2)
        s.leaf("ip.id", "Identification", .hex(UInt64(id), digits: 4), o + 4, 2)
        s.open("ip.flags", "Flags", .hex(UInt64(flagsFragment >> 13), digits: 2), o + 6, 1)
        s.leaf("ip.flags.rb", "Reserved bit", .uint(UInt64(flagsFragment >> 15)), o + 6, 1)
        s.leaf("ip.flags.df", "Don't fragment", .uint(UInt64((flagsFragment >> 14) & 1)), o + 6, 1)
        s.leaf("ip.flags.mf", "More fragments", .uint(UInt64((flagsFragment >> 13) & 1)), o + 6, 1)
        s.close()
        s.leaf("ip.frag_offset", "Fragment Offset", .uint(UInt64(fragmentOffset)), o + 6, 2)
        s.leaf("ip.ttl", "Time to Live", .uint(UInt64(ttl)), o + 8, 1)
        s.leaf("ip.proto", "Protocol", .uint(UInt64(proto)), o + 9, 1)
        let computed = Checksum.fold(Checksum.sum(f, o, o + headerLength, initial: 0) &- UInt64(checksum))
        let expected = ~computed
        let good = expected == checksum
        s.leaf("ip.checksum", "Header Checksum", .hex(UInt64(checksum), digits: 4), offset: o + 10, length: 2,
               note: good ? "correct" : .badChecksum(expected: expected, offload: false))
        s.leaf("ip.checksum.status", "Header checksum status", .uint(good ? 1 : 0), o + 10, 0)
        s.leaf("ip.checksum_calculated", "Calculated Checksum", .hex(UInt64(expected), digits: 4), o + 10, 2)
        s.leaf("ip.src", "Source Address", .ipv4(source), o + 12, 4)
        s.leaf("ip.dst", "Destination Address", .ipv4(destination), o + 16, 4)
        if hasOptions { IPv4Options.emit(into: &s, frame: f, start: o + 20, end: o + headerLength) }
        s.close()
    }
}
