/// Number and address formatting straight into raw memory, for the hot paths (JSON, summary
/// lines): no `String`, no per-byte capacity checks. Every writer documents the most bytes it
/// writes; callers reserve that much first (see `ByteBuffer.tail(reserving:)`).
enum Digits {
    /// "00" … "99": two decimal digits per lookup instead of one division per digit.
    @inline(__always) static var decimalPairs: StaticString {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    }

    /// "00" … "ff": a byte as two hex digits in one lookup.
    @inline(__always) static var hexPairs: StaticString {
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
    }

    @inline(__always) static func put(_ s: StaticString, _ p: inout UnsafeMutablePointer<UInt8>) {
        let n = s.utf8CodeUnitCount
        p.update(from: s.utf8Start, count: n)
        p += n
    }

    @inline(__always) static func put(_ b: UInt8, _ p: inout UnsafeMutablePointer<UInt8>) {
        p.pointee = b
        p += 1
    }

    @inline(__always) private static func pair(_ v: Int, _ at: UnsafeMutablePointer<UInt8>) {
        let s = decimalPairs.utf8Start + 2 * v
        at[0] = s[0]
        at[1] = s[1]
    }

    /// Unsigned decimal: at most 20 bytes.
    @inline(__always) static func decimal(_ v: UInt64, _ p: inout UnsafeMutablePointer<UInt8>) {
        if v < 10 { p.pointee = 0x30 &+ UInt8(truncatingIfNeeded: v); p += 1; return }
        if v < 100 { pair(Int(v), p); p += 2; return }
        longDecimal(v, &p)
    }

    static func longDecimal(_ v: UInt64, _ p: inout UnsafeMutablePointer<UInt8>) {
        var n = 3
        var t: UInt64 = 1000
        while n < 20 && v >= t { n += 1; t &*= 10 }
        var x = v
        var i = n
        while x >= 100 {
            let r = Int(x % 100)
            x /= 100
            i -= 2
            pair(r, p + i)
        }
        if x >= 10 { pair(Int(x), p) } else { p.pointee = 0x30 &+ UInt8(truncatingIfNeeded: x) }
        p += n
    }

    /// Signed decimal: at most 20 bytes.
    @inline(__always) static func decimal(_ v: Int, _ p: inout UnsafeMutablePointer<UInt8>) {
        if v >= 0 { decimal(UInt64(v), &p); return }
        put(0x2d, &p)
        decimal(UInt64(0) &- UInt64(bitPattern: Int64(v)), &p)
    }

    /// Two lowercase hex digits: 2 bytes.
    @inline(__always) static func hexByte(_ b: UInt8, _ p: inout UnsafeMutablePointer<UInt8>) {
        let s = hexPairs.utf8Start + 2 * Int(b)
        p[0] = s[0]
        p[1] = s[1]
        p += 2
    }

    /// Lowercase hex with at least `digits` digits (padding stops at 16): at most 16 bytes.
    @inline(__always) static func hex(_ v: UInt64, digits: Int, _ p: inout UnsafeMutablePointer<UInt8>) {
        let needed = v == 0 ? 1 : (67 - v.leadingZeroBitCount) / 4
        let n = Swift.min(Swift.max(needed, digits), 16)
        var i = n - 1
        var x = v
        while i >= 0 {
            let d = UInt8(truncatingIfNeeded: x & 0xf)
            p[i] = d < 10 ? 0x30 &+ d : 0x57 &+ d
            x >>= 4
            i -= 1
        }
        p += n
    }

    /// Dotted quad: at most 15 bytes.
    @inline(__always) static func ipv4(_ a: UInt32, _ p: inout UnsafeMutablePointer<UInt8>) {
        octet(UInt8(truncatingIfNeeded: a >> 24), &p); put(0x2e, &p)
        octet(UInt8(truncatingIfNeeded: a >> 16), &p); put(0x2e, &p)
        octet(UInt8(truncatingIfNeeded: a >> 8), &p); put(0x2e, &p)
        octet(UInt8(truncatingIfNeeded: a), &p)
    }

    @inline(__always) static func octet(_ b: UInt8, _ p: inout UnsafeMutablePointer<UInt8>) {
        if b < 10 { p.pointee = 0x30 &+ b; p += 1 }
        else if b < 100 { pair(Int(b), p); p += 2 }
        else { p.pointee = 0x30 &+ b / 100; pair(Int(b % 100), p + 1); p += 3 }
    }

    /// Colon-separated MAC: 17 bytes.
    @inline(__always) static func mac(_ m: UInt64, _ p: inout UnsafeMutablePointer<UInt8>) {
        hexByte(UInt8(truncatingIfNeeded: m >> 40), &p)
        var shift: UInt64 = 32
        for _ in 0 ..< 5 {
            put(0x3a, &p)
            hexByte(UInt8(truncatingIfNeeded: m >> shift), &p)
            shift &-= 8
        }
    }
}
