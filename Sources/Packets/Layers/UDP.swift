/// UDP header; names VXLAN (4789, Cilium's 8472) and Geneve (6081) as the next layer.
public struct UDP: Sendable {
    public var offset: Int
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var length: UInt16
    public var checksum: UInt16
    public var capturedLength: Int
    var pseudoSum: UInt64

    static func decode(_ b: Bytes, _ o: Int, _ end: Int, declaredEnd: Int, pseudo: UInt64) -> Step {
        guard end - o >= 8 else { return .truncated("udp", "need 8 bytes, have \(end - o)", at: o) }
        let l = UDP(offset: o, sourcePort: b.u16(o), destinationPort: b.u16(o + 2), length: b.u16(o + 4),
                    checksum: b.u16(o + 6), capturedLength: end - o, pseudoSum: pseudo)
        guard l.length >= 8 else {
            return .malformed("udp", "length \(l.length) < 8", at: o + 4, partial: .udp(l))
        }
        let payloadEnd = min(end, o + Int(l.length))
        var next = Next.none
        for port in [l.destinationPort, l.sourcePort] {
            switch port {
            case 4789, 8472: next = .vxlan
            case 6081: next = .geneve
            default: continue
            }
            break
        }
        return Step(layer: .udp(l), next: next, offset: o + 8, end: payloadEnd)
    }

    public func checksumStatus(_ f: [UInt8]) -> ChecksumStatus {
        let n = Int(length)
        guard checksum != 0, n >= 8, capturedLength >= n, offset + n <= f.count else { return .unverified }
        let s = Checksum.sum(f, offset, offset + n, initial: pseudoSum) &- UInt64(checksum)
        var expected = ~Checksum.fold(s)
        if expected == 0 { expected = 0xffff }
        return expected == checksum ? .good : .bad(expected: expected)
    }

    func emit<S: FieldSink>(into s: inout S, frame f: [UInt8]) {
        let o = offset
        s.open("udp", "User Datagram Protocol", .none, o, 8)
        s.leaf("udp.srcport", "Source Port", .uint(UInt64(sourcePort)), o, 2)
        s.leaf("udp.dstport", "Destination Port", .uint(UInt64(destinationPort)), o + 2, 2)
        s.leaf("udp.length", "Length", .uint(UInt64(length)), o + 4, 2)
        let status = checksumStatus(f)
        s.leaf("udp.checksum", "Checksum", .hex(UInt64(checksum), digits: 4), offset: o + 6, length: 2, note: status.offloadNote)
        if let calculated = status.calculated(stored: checksum) {
            s.leaf("udp.checksum_calculated", "Calculated Checksum", .hex(UInt64(calculated), digits: 4), o + 6, 2)
        }
        if checksum == 0 {
            s.leaf("udp.checksum.status", "Checksum Status", .uint(3), offset: o + 6, length: 2, note: "not present")
        } else {
            s.leaf("udp.checksum.status", "Checksum Status", .uint(status.tsharkCode), o + 6, 0)
        }
        let payload = min(capturedLength, Int(length)) - 8
        if payload > 0 { s.leaf("udp.payload", "Payload", .bytes(start: o + 8, count: payload), o + 8, payload) }
        s.close()
    }
}

/// ICMP (v4). Echo carries identifier and sequence; other types keep their body as data.
public struct ICMP: Sendable {
    public var offset: Int
    public var type: UInt8
    public var code: UInt8
    public var checksum: UInt16
    public var rest: UInt32
    public var length: Int
    public var capturedLength: Int
    public var isEcho: Bool { type == 0 || type == 8 }

    static func decode(_ b: Bytes, _ o: Int, _ end: Int, declaredEnd: Int) -> Step {
        guard end - o >= 8 else { return .truncated("icmp", "need 8 bytes, have \(end - o)", at: o) }
        let l = ICMP(offset: o, type: b.u8(o), code: b.u8(o + 1), checksum: b.u16(o + 2), rest: b.u32(o + 4),
                     length: declaredEnd - o, capturedLength: end - o)
        return Step(layer: .icmp(l), next: .none, offset: o + 8, end: end)
    }

    public func checksumStatus(_ f: [UInt8]) -> ChecksumStatus {
        guard capturedLength >= length else { return .unverified }
        let s = Checksum.sum(f, offset, offset + length) &- UInt64(checksum)
        let expected = ~Checksum.fold(s)
        return expected == checksum ? .good : .bad(expected: expected)
    }

    func emit<S: FieldSink>(into s: inout S, frame f: [UInt8]) {
        let o = offset
        s.open("icmp", "Internet Control Message Protocol", .none, o, 8)
        s.leaf("icmp.type", "Type", .uint(UInt64(type)), o, 1)
        s.leaf("icmp.code", "Code", .uint(UInt64(code)), o + 1, 1)
        let status = checksumStatus(f)
        s.leaf("icmp.checksum", "Checksum", .hex(UInt64(checksum), digits: 4), o + 2, 2)
        s.leaf("icmp.checksum.status", "Checksum Status", .uint(status.tsharkCode), o + 2, 0)
        if isEcho {
            s.leaf("icmp.ident", "Identifier (BE)", .uint(UInt64(rest >> 16)), o + 4, 2)
            s.leaf("icmp.seq", "Sequence Number (BE)", .uint(UInt64(rest & 0xffff)), o + 6, 2)
            s.leaf("icmp.ident_le", "Identifier (LE)", .uint(UInt64((rest >> 16).byteSwapped >> 16)), o + 4, 2)
            s.leaf("icmp.seq_le", "Sequence Number (LE)", .uint(UInt64((rest & 0xffff).byteSwapped >> 16)), o + 6, 2)
        }
        s.close()
        if capturedLength > 8 { Payload(offset: o + 8, length: capturedLength - 8).emit(into: &s) }
    }
}

/// ICMPv6; the checksum covers the IPv6 pseudo-header.
public struct ICMPv6: Sendable {
    public var offset: Int
    public var type: UInt8
    public var code: UInt8
    public var checksum: UInt16
    public var rest: UInt32
    public var length: Int
    public var capturedLength: Int
    var pseudoSum: UInt64
    public var isEcho: Bool { type == 128 || type == 129 }

    static func decode(_ b: Bytes, _ o: Int, _ end: Int, declaredEnd: Int, pseudo: UInt64) -> Step {
        guard end - o >= 4 else { return .truncated("icmpv6", "need 4 bytes, have \(end - o)", at: o) }
        let l = ICMPv6(offset: o, type: b.u8(o), code: b.u8(o + 1), checksum: b.u16(o + 2),
                       rest: end - o >= 8 ? b.u32(o + 4) : 0, length: declaredEnd - o, capturedLength: end - o,
                       pseudoSum: pseudo)
        return Step(layer: .icmpv6(l), next: .none, offset: min(o + 8, end), end: end)
    }

    public func checksumStatus(_ f: [UInt8]) -> ChecksumStatus {
        guard capturedLength >= length else { return .unverified }
        let s = Checksum.sum(f, offset, offset + length, initial: pseudoSum) &- UInt64(checksum)
        let expected = ~Checksum.fold(s)
        return expected == checksum ? .good : .bad(expected: expected)
    }

    func emit<S: FieldSink>(into s: inout S, frame f: [UInt8]) {
        let o = offset
        s.open("icmpv6", "Internet Control Message Protocol v6", .none, o, capturedLength)
        s.leaf("icmpv6.type", "Type", .uint(UInt64(type)), o, 1)
        s.leaf("icmpv6.code", "Code", .uint(UInt64(code)), o + 1, 1)
        let status = checksumStatus(f)
        s.leaf("icmpv6.checksum", "Checksum", .hex(UInt64(checksum), digits: 4), o + 2, 2)
        s.leaf("icmpv6.checksum.status", "Checksum Status", .uint(status.tsharkCode), o + 2, 0)
        if isEcho && capturedLength >= 8 {
            s.leaf("icmpv6.echo.identifier", "Identifier", .hex(UInt64(rest >> 16), digits: 4), o + 4, 2)
            s.leaf("icmpv6.echo.sequence_number", "Sequence", .uint(UInt64(rest & 0xffff)), o + 6, 2)
        }
        s.close()
        if isEcho && capturedLength > 8 { Payload(offset: o + 8, length: capturedLength - 8).emit(into: &s) }
    }
}
