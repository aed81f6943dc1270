#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only byte buffer with number/address formatting that allocates nothing per call:
/// summary lines and JSON are built here and written in large blocks.
public struct ByteBuffer: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 1 << 16) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }
    public var string: String { String(decoding: bytes, as: UTF8.self) }
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }
    public mutating func truncate(to n: Int) { bytes.removeSubrange(n...) }

    @inline(__always) public mutating func append(_ b: UInt8) { bytes.append(b) }

    @inline(__always) public mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    public mutating func append(decimal v: UInt64) {
        if v < 10 { bytes.append(0x30 &+ UInt8(v)); return }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &tmp) { t in
            var i = 24
            var x = v
            while x > 0 { i -= 1; t[i] = 0x30 &+ UInt8(x % 10); x /= 10 }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: t[i...]))
        }
    }

    @inline(__always) public mutating func append(decimal v: Int) {
        if v < 0 { bytes.append(0x2d); append(decimal: UInt64(-Int64(v))) } else { append(decimal: UInt64(v)) }
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Hex with exactly `digits` digits (more if the value needs them), no prefix.
    public mutating func append(hex v: UInt64, digits: Int) {
        var n = 1
        while n < 16 && (v >> (4 * UInt64(n))) != 0 { n += 1 }
        n = max(n, digits)
        var i = n - 1
        while i >= 0 {
            bytes.append(ByteBuffer.hexDigits[Int((v >> (4 * UInt64(i))) & 0xf)])
            i -= 1
        }
    }

    /// Two hex digits per byte.
    @inline(__always) public mutating func append(hexByte b: UInt8) {
        bytes.append(ByteBuffer.hexDigits[Int(b >> 4)])
        bytes.append(ByteBuffer.hexDigits[Int(b & 0xf)])
    }

    public mutating func append(ipv4 a: UInt32) {
        append(decimal: UInt64(a >> 24)); bytes.append(0x2e)
        append(decimal: UInt64((a >> 16) & 0xff)); bytes.append(0x2e)
        append(decimal: UInt64((a >> 8) & 0xff)); bytes.append(0x2e)
        append(decimal: UInt64(a & 0xff))
    }

    public mutating func append(mac m: UInt64) {
        var shift: UInt64 = 40
        while true {
            append(hexByte: UInt8((m >> shift) & 0xff))
            if shift == 0 { break }
            bytes.append(0x3a)
            shift -= 8
        }
    }

    /// RFC 5952 text (what inet_ntop and tshark print).
    public mutating func append(ipv6High hi: UInt64, low lo: UInt64) {
        var g = [UInt16](repeating: 0, count: 8)
        for i in 0 ..< 4 {
            g[i] = UInt16(truncatingIfNeeded: hi >> (48 - 16 * UInt64(i)))
            g[i + 4] = UInt16(truncatingIfNeeded: lo >> (48 - 16 * UInt64(i)))
        }
        // IPv4-mapped addresses print their last 32 bits dotted, as inet_ntop does.
        if hi == 0 && (lo >> 32) == 0xffff {
            append("::ffff:" as StaticString)
            append(ipv4: UInt32(truncatingIfNeeded: lo))
            return
        }
        var bestStart = -1, bestLen = 0, i = 0
        while i < 8 {
            if g[i] == 0 {
                var j = i
                while j < 8 && g[j] == 0 { j += 1 }
                if j - i > bestLen && j - i >= 2 { bestStart = i; bestLen = j - i }
                i = j
            } else { i += 1 }
        }
        i = 0
        var needColon = false
        while i < 8 {
            if i == bestStart {
                bytes.append(0x3a); bytes.append(0x3a)
                i += bestLen
                needColon = false
                continue
            }
            if needColon { bytes.append(0x3a) }
            append(hex: UInt64(g[i]), digits: 1)
            needColon = true
            i += 1
        }
    }

    /// Colon-separated hex bytes, as tshark shows FT_BYTES.
    public mutating func append(colonHex frame: [UInt8], start: Int, count: Int) {
        let end = min(start + count, frame.count)
        var i = max(start, 0)
        while i < end {
            if i > start { bytes.append(0x3a) }
            append(hexByte: frame[i])
            i += 1
        }
    }

    public mutating func append(_ v: FieldValue, frame: [UInt8]) {
        switch v {
        case .none: break
        case .uint(let x): append(decimal: x)
        case .hex(let x, let d): append("0x" as StaticString); append(hex: x, digits: d)
        case .ipv4(let a): append(ipv4: a)
        case .ipv6(let h, let l): append(ipv6High: h, low: l)
        case .mac(let m): append(mac: m)
        case .bytes(let s, let c): append(colonHex: frame, start: s, count: c)
        case .text(let t): append(t)
        }
    }

    /// JSON string body escaping (quotes not included).
    public mutating func appendJSONEscaped(_ s: String) {
        for b in s.utf8 {
            switch b {
            case 0x22: append("\\\"" as StaticString)
            case 0x5c: append("\\\\" as StaticString)
            case 0x0a: append("\\n" as StaticString)
            case 0x0d: append("\\r" as StaticString)
            case 0x09: append("\\t" as StaticString)
            case 0 ..< 0x20:
                append("\\u00" as StaticString); append(hexByte: b)
            default: bytes.append(b)
            }
        }
    }

    /// Writes everything to a file descriptor and empties the buffer.
    public mutating func flush(to fd: Int32) {
        bytes.withUnsafeBytes { p in
            var off = 0
            while off < p.count {
                let n = write(fd, p.baseAddress! + off, p.count - off)
                if n < 0 { if errno == EINTR { continue }; break }
                off += n
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
