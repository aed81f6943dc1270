/// TCP header. Sequence numbers are kept raw plus relative the two ways users know them:
/// tshark's (`tcp.seq`, relative to the first packet of each direction) and tcpdump's (what
/// the summary line prints).
public struct TCP: Sendable {
    public var offset: Int
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var seq: UInt32
    public var ack: UInt32
    public var headerLength: Int
    /// The 12 flag bits (reserved, AE, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN).
    public var flags: UInt16
    public var window: UInt16
    public var checksum: UInt16
    public var urgent: UInt16
    /// Payload length as the IP header declares it, and how much of it was captured.
    public var payloadLength: Int
    public var capturedPayload: Int
    /// Pseudo-header sum from the IP layer, to verify the checksum on demand.
    var pseudoSum: UInt64
    public var relativeSeq: UInt32 = 0
    public var relativeAck: UInt32 = 0
    var peerBase: UInt32 = 0
    /// tcpdump's view: relative numbers once the conversation is known, absolute before.
    public var summarySeq: UInt32 = 0
    public var summaryAck: UInt32 = 0
    /// What tcpdump subtracts from SACK edges (the peer's base once known, else 0).
    var summarySackBase: UInt32 = 0
    /// The payload starts like an HTTP request/response and goes to the HTTP layer.
    public var payloadIsHTTP = false
    /// The window scale option's shift count, when this segment carries one (SYNs).
    var windowShift: Int?
    /// What the window is multiplied by, as tshark says it: 2^shift announced in the sender's
    /// SYN, -1 when that SYN was not seen, -2 when either side announced no scaling.
    public var windowScaleFactor: Int = -1
    /// The window in bytes: scaled outside SYNs when the factor is known.
    public var calculatedWindow: UInt64 {
        !isSYN && windowScaleFactor > 0 ? UInt64(window) * UInt64(windowScaleFactor) : UInt64(window)
    }

    public var isSYN: Bool { flags & 0x02 != 0 }
    public var isACK: Bool { flags & 0x10 != 0 }
    public var isFIN: Bool { flags & 0x01 != 0 }
    public var isRST: Bool { flags & 0x04 != 0 }
    public var isPSH: Bool { flags & 0x08 != 0 }
    public var isURG: Bool { flags & 0x20 != 0 }
    var optionsStart: Int { offset + 20 }
    var optionsEnd: Int { offset + headerLength }
    var payloadStart: Int { offset + headerLength }

    static let httpPorts: Set<UInt16> = [80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710]

    static func decode(_ b: Bytes, _ o: Int, _ end: Int, declaredEnd: Int, pseudo: UInt64) -> Step {
        guard end - o >= 20 else { return .truncated("tcp", "need 20 bytes, have \(end - o)", at: o) }
        let hl = Int(b.u8(o + 12) >> 4) * 4
        var l = TCP(offset: o, sourcePort: b.u16(o), destinationPort: b.u16(o + 2), seq: b.u32(o + 4),
                    ack: b.u32(o + 8), headerLength: max(hl, 20), flags: b.u16(o + 12) & 0x0fff,
                    window: b.u16(o + 14), checksum: b.u16(o + 16), urgent: b.u16(o + 18),
                    payloadLength: 0, capturedPayload: 0, pseudoSum: pseudo)
        guard hl >= 20 else {
            l.headerLength = 20
            return .malformed("tcp", "header length \(hl) < 20", at: o + 12, partial: .tcp(l))
        }
        guard declaredEnd - o >= hl else {
            l.headerLength = 20
            return .malformed("tcp", "header length \(hl) exceeds the segment", at: o + 12, partial: .tcp(l))
        }
        l.payloadLength = declaredEnd - o - hl
        l.capturedPayload = max(0, end - o - hl)
        guard end - o >= hl else {
            return .truncated("tcp", "options need \(hl - 20) bytes, have \(end - o - 20)", at: o + 20,
                              partial: .tcp(l))
        }
        var i = o + 20
        while i < o + hl {
            let kind = b.u8(i)
            if kind == 0 { break }
            if kind == 1 { i += 1; continue }
            guard i + 1 < o + hl else { break }
            let length = Int(b.u8(i + 1))
            if kind == 3 && length == 3 && i + 2 < o + hl { l.windowShift = min(Int(b.u8(i + 2)), 14) }
            i += max(length, 2)
        }
        var next = Next.none
        if l.capturedPayload > 0 && (httpPorts.contains(l.sourcePort) || httpPorts.contains(l.destinationPort)) {
            next = .http
            l.payloadIsHTTP = true
        }
        return Step(layer: .tcp(l), next: next, offset: o + hl, end: end)
    }

    public func checksumStatus(_ f: [UInt8]) -> ChecksumStatus {
        guard capturedPayload == payloadLength, payloadStart + payloadLength <= f.count else { return .unverified }
        let s = Checksum.sum(f, offset, payloadStart + payloadLength, initial: pseudoSum) &- UInt64(checksum)
        let expected = ~Checksum.fold(s)
        return expected == checksum ? .good : .bad(expected: expected)
    }

    /// "[S.]" style flags as tcpdump prints them.
    public var tcpdumpFlags: String {
        var s = ""
        if flags & 0x01 != 0 { s += "F" }
        if flags & 0x02 != 0 { s += "S" }
        if flags & 0x04 != 0 { s += "R" }
        if flags & 0x08 != 0 { s += "P" }
        if flags & 0x10 != 0 { s += "." }
        if flags & 0x20 != 0 { s += "U" }
        if flags & 0x40 != 0 { s += "E" }
        if flags & 0x80 != 0 { s += "W" }
        return s.isEmpty ? "none" : s
    }

    func emit<S: FieldSink>(into s: inout S, frame f: [UInt8]) {
        let o = offset
        s.open("tcp", "Transmission Control Protocol", .none, o, headerLength)
        s.leaf("tcp.srcport", "Source Port", .uint(UInt64(sourcePort)), o, 2)
        s.leaf("tcp.dstport", "Destination Port", .uint(UInt64(destinationPort)), o + 2, 2)
        s.leaf("tcp.len", "TCP Segment Len", .uint(UInt64(payloadLength)), o, 0)
        s.leaf("tcp.seq", "Sequence Number", .uint(UInt64(relativeSeq)), o + 4, 4)
        s.leaf("tcp.seq_raw", "Sequence Number (raw)", .uint(UInt64(seq)), o + 4, 4)
        s.leaf("tcp.ack", "Acknowledgment Number", .uint(UInt64(relativeAck)), o + 8, 4)
        s.leaf("tcp.ack_raw", "Acknowledgment number (raw)", .uint(UInt64(ack)), o + 8, 4)
        s.leaf("tcp.hdr_len", "Header Length", .uint(UInt64(headerLength)), o + 12, 1)
        s.open("tcp.flags", "Flags", .hex(UInt64(flags), digits: 4), o + 12, 2)
        s.leaf("tcp.flags.res", "Reserved", .uint(UInt64((flags >> 9) & 7)), o + 12, 1)
        s.leaf("tcp.flags.ae", "Accurate ECN", .uint(UInt64((flags >> 8) & 1)), o + 12, 1)
        s.leaf("tcp.flags.cwr", "Congestion Window Reduced", .uint(UInt64((flags >> 7) & 1)), o + 13, 1)
        s.leaf("tcp.flags.ece", "ECN-Echo", .uint(UInt64((flags >> 6) & 1)), o + 13, 1)
        s.leaf("tcp.flags.urg", "Urgent", .uint(UInt64((flags >> 5) & 1)), o + 13, 1)
        s.leaf("tcp.flags.ack", "Acknowledgment", .uint(UInt64((flags >> 4) & 1)), o + 13, 1)
        s.leaf("tcp.flags.push", "Push", .uint(UInt64((flags >> 3) & 1)), o + 13, 1)
        s.leaf("tcp.flags.reset", "Reset", .uint(UInt64((flags >> 2) & 1)), o + 13, 1)
        s.leaf("tcp.flags.syn", "Syn", .uint(UInt64((flags >> 1) & 1)), o + 13, 1)
        s.leaf("tcp.flags.fin", "Fin", .uint(UInt64(flags & 1)), o + 13, 1)
        s.leaf("tcp.flags.str", "TCP Flags", .tcpFlagString(flags), o + 12, 2)
        s.close()
        s.leaf("tcp.window_size_value", "Window", .uint(UInt64(window)), o + 14, 2)
        s.leaf("tcp.window_size", "Calculated window size", .uint(calculatedWindow), o + 14, 2)
        if !isSYN {
            s.leaf("tcp.window_size_scalefactor", "Window size scaling factor", .text(String(windowScaleFactor)), o + 14, 2)
        }
        let status = checksumStatus(f)
        s.leaf("tcp.checksum", "Checksum", .hex(UInt64(checksum), digits: 4), offset: o + 16, length: 2, note: status.offloadNote)
        s.leaf("tcp.checksum.status", "Checksum Status", .uint(status.tsharkCode), o + 16, 0)
        if let calculated = status.calculated(stored: checksum) {
            s.leaf("tcp.checksum_calculated", "Calculated Checksum", .hex(UInt64(calculated), digits: 4), o + 16, 2)
        }
        s.leaf("tcp.urgent_pointer", "Urgent Pointer", .uint(UInt64(urgent)), o + 18, 2)
        if headerLength > 20 { emitOptions(into: &s, frame: f) }
        if capturedPayload > 0 && !payloadIsHTTP {
            s.leaf("tcp.payload", "TCP payload", .bytes(start: payloadStart, count: capturedPayload),
                   payloadStart, capturedPayload)
        }
        s.close()
    }

    func emitOptions<S: FieldSink>(into s: inout S, frame f: [UInt8]) {
        let start = optionsStart, end = min(optionsEnd, f.count)
        s.open("tcp.options", "Options", .bytes(start: start, count: end - start), start, end - start)
        var i = start
        while i < end {
            let kind = f[i]
            if kind == 0 {
                s.open("tcp.options.eol", "End of Option List (EOL)", .bytes(start: i, count: 1), i, 1)
                s.leaf("tcp.option_kind", "Kind", .uint(0), i, 1)
                s.close()
                i += 1
                // tshark reads on through zero padding only.
                if i < end && f[i] != 0 { break }
                continue
            }
            if kind == 1 {
                s.open("tcp.options.nop", "No-Operation (NOP)", .bytes(start: i, count: 1), i, 1)
                s.leaf("tcp.option_kind", "Kind", .uint(1), i, 1)
                s.close()
                i += 1
                continue
            }
            guard i + 1 < end, f[i + 1] >= 2, i + Int(f[i + 1]) <= end else {
                s.leaf("tcp.options.malformed", "Malformed option", .bytes(start: i, count: end - i),
                       offset: i, length: end - i, note: "option length runs past the header")
                break
            }
            let len = Int(f[i + 1])
            let whole = FieldValue.bytes(start: i, count: len)
            switch (kind, len) {
            case (2, 4):
                s.open("tcp.options.mss", "Maximum segment size", whole, i, len)
                kindLen(&s, i, kind, len)
                s.leaf("tcp.options.mss_val", "MSS Value", .uint(UInt64(f.be16(i + 2))), i + 2, 2)
            case (3, 3):
                s.open("tcp.options.wscale", "Window scale", whole, i, len)
                kindLen(&s, i, kind, len)
                let shift = f[i + 2]
                s.leaf("tcp.options.wscale.shift", "Shift count", .uint(UInt64(shift)), i + 2, 1)
                s.leaf("tcp.options.wscale.multiplier", "Multiplier",
                       .uint(shift < 15 ? UInt64(1) << UInt64(shift) : 16384), i + 2, 1)
            case (4, 2):
                s.open("tcp.options.sack_perm", "SACK permitted", whole, i, len)
                kindLen(&s, i, kind, len)
            case (8, 10):
                s.open("tcp.options.timestamp", "Timestamps", whole, i, len)
                kindLen(&s, i, kind, len)
                s.leaf("tcp.options.timestamp.tsval", "Timestamp value", .uint(UInt64(f.be32(i + 2))), i + 2, 4)
                s.leaf("tcp.options.timestamp.tsecr", "Timestamp echo reply", .uint(UInt64(f.be32(i + 6))), i + 6, 4)
            case (5, _) where len >= 10 && (len - 2) % 8 == 0:
                s.open("tcp.options.sack", "SACK", whole, i, len)
                kindLen(&s, i, kind, len)
                var e = i + 2
                while e + 8 <= i + len {
                    s.leaf("tcp.options.sack_le", "left edge", .uint(UInt64(f.be32(e) &- peerBase)), e, 4)
                    s.leaf("tcp.options.sack_re", "right edge", .uint(UInt64(f.be32(e + 4) &- peerBase)), e + 4, 4)
                    e += 8
                }
            default:
                s.open("tcp.options.unknown", "Unknown option", whole, offset: i, length: len,
                       note: "kind \(kind), kept raw")
                kindLen(&s, i, kind, len)
                if len > 2 {
                    s.leaf("tcp.options.unknown.payload", "Payload", .bytes(start: i + 2, count: len - 2), i + 2, len - 2)
                }
            }
            s.close()
            i += len
        }
        s.close()
    }

    private func kindLen<S: FieldSink>(_ s: inout S, _ i: Int, _ kind: UInt8, _ len: Int) {
        s.leaf("tcp.option_kind", "Kind", .uint(UInt64(kind)), i, 1)
        s.leaf("tcp.option_len", "Length", .uint(UInt64(len)), i + 1, 1)
    }
}
