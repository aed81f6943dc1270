/// The Internet checksum (RFC 1071), computed only when a field tree or JSON asks for it.
enum Checksum {
    /// One's-complement sum of the bytes `[start, end)` added to `initial`, not yet folded.
    static func sum(_ f: [UInt8], _ start: Int, _ end: Int, initial: UInt64 = 0) -> UInt64 {
        var acc = initial
        let end = min(end, f.count)
        guard start < end else { return acc }
        f.withUnsafeBufferPointer { p in
            var i = start
            while i + 1 < end {
                acc &+= UInt64(p[i]) << 8 | UInt64(p[i + 1])
                i += 2
            }
            if i < end { acc &+= UInt64(p[i]) << 8 }
        }
        return acc
    }

    static func fold(_ s: UInt64) -> UInt16 {
        var s = s
        while s >> 16 != 0 { s = (s & 0xffff) + (s >> 16) }
        return UInt16(s)
    }

    /// Pseudo-header sum for TCP/UDP/ICMPv6 over IPv4.
    static func pseudo4(src: UInt32, dst: UInt32, proto: UInt8, length: Int) -> UInt64 {
        UInt64(src >> 16) + UInt64(src & 0xffff) + UInt64(dst >> 16) + UInt64(dst & 0xffff)
            + UInt64(proto) + UInt64(length)
    }

    static func pseudo6(src: (UInt64, UInt64), dst: (UInt64, UInt64), proto: UInt8, length: Int) -> UInt64 {
        func words(_ v: UInt64) -> UInt64 { (v >> 48) + ((v >> 32) & 0xffff) + ((v >> 16) & 0xffff) + (v & 0xffff) }
        return words(src.0) + words(src.1) + words(dst.0) + words(dst.1) + UInt64(proto) + UInt64(length)
    }
}

/// Result of checking a transport checksum.
public enum ChecksumStatus: Sendable, Equatable {
    case good
    /// Wrong value; `expected` is what it should be. On a capture taken on the sender or a veth
    /// this is almost always checksum offload (the NIC fills it in later), not corruption.
    case bad(expected: UInt16)
    /// Not checked: the segment was cut by the snap length, or the sender left it zero (UDP).
    case unverified

    /// The note a TCP/UDP checksum field carries: a wrong transport checksum is reported as
    /// probable offload, not corruption.
    var offloadNote: FieldNote? {
        if case .bad(let expected) = self { return .badChecksum(expected: expected, offload: true) }
        return nil
    }

    /// tshark's `*.checksum_calculated`: what the checksum should be, when it was checked.
    func calculated(stored: UInt16) -> UInt16? {
        switch self { case .good: return stored; case .bad(let expected): return expected; case .unverified: return nil }
    }

    /// tshark's `*.checksum.status` value: 0 bad, 1 good, 2 unverified.
    var tsharkCode: UInt64 {
        switch self { case .bad: return 0; case .good: return 1; case .unverified: return 2 }
    }
}
