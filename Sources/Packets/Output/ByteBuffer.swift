#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only byte buffer with number/address formatting that allocates nothing per call:
/// summary lines and JSON are built here and written in large blocks.
///
/// A class over raw memory rather than an array, so appends skip uniqueness checks: the hot
/// path of `labgen decode`. Each buffer has one owner; do not share one between threads.
public final class ByteBuffer {
    /// State behind a pointer: `let` members of a class need no dynamic exclusivity checks,
    /// which would otherwise cost more than the appends themselves.
    private struct State { var base: UnsafeMutablePointer<UInt8>; var capacity: Int; var count: Int }
    private let st: UnsafeMutablePointer<State>

    public init(capacity: Int = 1 << 16) {
        let c = Swift.max(capacity, 64)
        st = .allocate(capacity: 1)
        st.initialize(to: State(base: .allocate(capacity: c), capacity: c, count: 0))
    }

    deinit {
        st.pointee.base.deallocate()
        st.deallocate()
    }

    private var base: UnsafeMutablePointer<UInt8> { st.pointee.base }
    public var count: Int {
        get { st.pointee.count }
        _modify { yield &st.pointee.count }
    }
    private var capacity: Int { st.pointee.capacity }

    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
    public var string: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }
    public func removeAll() { count = 0 }
    public func truncate(to n: Int) { count = Swift.min(count, Swift.max(n, 0)) }
    /// The bytes from `start` to the end, as text.
    func string(from start: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: base + start, count: count - start), as: UTF8.self)
    }
    func contains(from start: Int, where p: (UInt8) -> Bool) -> Bool {
        UnsafeBufferPointer(start: base + start, count: count - start).contains(where: p)
    }

    @inline(__always) private func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        nb.update(from: base, count: count)
        base.deallocate()
        st.pointee.base = nb
        st.pointee.capacity = c
    }

    @inline(__always) public func append(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    @inline(__always) public func append(_ s: StaticString) {
        s.withUTF8Buffer { append(contentsOf: $0) }
    }

    @inline(__always) public func append(contentsOf p: UnsafeBufferPointer<UInt8>) {
        guard let src = p.baseAddress, p.count > 0 else { return }
        reserve(p.count)
        (base + count).update(from: src, count: p.count)
        count += p.count
    }

    public func append(_ s: String) {
        var s = s
        s.withUTF8 { append(contentsOf: $0) }
    }

    public func append(decimal v: UInt64) {
        reserve(20)
        if v < 10 { base[count] = 0x30 &+ UInt8(v); count += 1; return }
        var n = 0
        var x = v
        while x > 0 { n += 1; x /= 10 }
        x = v
        var i = count + n - 1
        while x > 0 { base[i] = 0x30 &+ UInt8(x % 10); x /= 10; i -= 1 }
        count += n
    }

    @inline(__always) public func append(decimal v: Int) {
        if v < 0 { append(0x2d); append(decimal: UInt64(-Int64(v))) } else { append(decimal: UInt64(v)) }
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Hex with exactly `digits` digits (more if the value needs them), no prefix.
    public func append(hex v: UInt64, digits: Int) {
        var n = 1
        while n < 16 && (v >> (4 * UInt64(n))) != 0 { n += 1 }
        n = max(n, digits)
        var i = n - 1
        while i >= 0 {
            append(ByteBuffer.hexDigit(UInt8((v >> (4 * UInt64(i))) & 0xf)))
            i -= 1
        }
    }

    /// Two hex digits per byte.
    @inline(__always) public func append(hexByte b: UInt8) {
        reserve(2)
        base[count] = ByteBuffer.hexDigit(b >> 4)
        base[count + 1] = ByteBuffer.hexDigit(b & 0xf)
        count += 2
    }

    @inline(__always) static func hexDigit(_ n: UInt8) -> UInt8 { n < 10 ? 0x30 &+ n : 0x57 &+ n }

    public func append(ipv4 a: UInt32) {
        append(decimal: UInt64(a >> 24)); append(0x2e)
        append(decimal: UInt64((a >> 16) & 0xff)); append(0x2e)
        append(decimal: UInt64((a >> 8) & 0xff)); append(0x2e)
        append(decimal: UInt64(a & 0xff))
    }

    public func append(mac m: UInt64) {
        var shift: UInt64 = 40
        while true {
            append(hexByte: UInt8((m >> shift) & 0xff))
            if shift == 0 { break }
            append(0x3a)
            shift -= 8
        }
    }

    /// RFC 5952 text (what inet_ntop and tshark print).
    public func append(ipv6High hi: UInt64, low lo: UInt64) {
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
                append(0x3a); append(0x3a)
                i += bestLen
                needColon = false
                continue
            }
            if needColon { append(0x3a) }
            append(hex: UInt64(g[i]), digits: 1)
            needColon = true
            i += 1
        }
    }

    /// Colon-separated hex bytes, as tshark shows FT_BYTES.
    public func append(colonHex frame: [UInt8], start: Int, count: Int) {
        let end = min(start + count, frame.count)
        var i = max(start, 0)
        while i < end {
            if i > start { append(0x3a) }
            append(hexByte: frame[i])
            i += 1
        }
    }

    public func append(_ v: FieldValue, frame: [UInt8]) {
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
    public func appendJSONEscaped(_ s: String) {
        for b in s.utf8 {
            switch b {
            case 0x22: append("\\\"" as StaticString)
            case 0x5c: append("\\\\" as StaticString)
            case 0x0a: append("\\n" as StaticString)
            case 0x0d: append("\\r" as StaticString)
            case 0x09: append("\\t" as StaticString)
            case 0 ..< 0x20:
                append("\\u00" as StaticString); append(hexByte: b)
            default: append(b)
            }
        }
    }

    /// Writes everything to a file descriptor and empties the buffer.
    public func flush(to fd: Int32) {
        var off = 0
        while off < count {
            let n = write(fd, base + off, count - off)
            if n < 0 { if errno == EINTR { continue }; break }
            off += n
        }
        count = 0
    }
}
