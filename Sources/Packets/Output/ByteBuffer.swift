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

    /// Room for `n` more bytes, returned as the place to write them; `commit(_:)` then sets the
    /// end. Lets the hot paths write many small pieces with one capacity check.
    @inline(__always) func tail(reserving n: Int) -> UnsafeMutablePointer<UInt8> {
        reserve(n)
        return base + count
    }

    /// Ends the buffer at `end`, a pointer obtained from `tail(reserving:)` and advanced.
    @inline(__always) func commit(_ end: UnsafeMutablePointer<UInt8>) {
        count = end - base
    }

    public func append(decimal v: UInt64) {
        var p = tail(reserving: 20)
        Digits.decimal(v, &p)
        commit(p)
    }

    @inline(__always) public func append(decimal v: Int) {
        var p = tail(reserving: 21)
        Digits.decimal(v, &p)
        commit(p)
    }

    /// Hex with exactly `digits` digits (more if the value needs them), no prefix.
    public func append(hex v: UInt64, digits: Int) {
        var p = tail(reserving: Swift.max(digits, 16))
        for _ in 16 ..< Swift.max(digits, 16) { Digits.put(0x30, &p) }
        Digits.hex(v, digits: digits, &p)
        commit(p)
    }

    /// Two hex digits per byte.
    @inline(__always) public func append(hexByte b: UInt8) {
        var p = tail(reserving: 2)
        Digits.hexByte(b, &p)
        commit(p)
    }

    public func append(ipv4 a: UInt32) {
        var p = tail(reserving: 15)
        Digits.ipv4(a, &p)
        commit(p)
    }

    public func append(mac m: UInt64) {
        var p = tail(reserving: 17)
        Digits.mac(m, &p)
        commit(p)
    }

    /// RFC 5952 text (what inet_ntop and tshark print).
    public func append(ipv6High hi: UInt64, low lo: UInt64) {
        // The eight groups, read on demand: no array to allocate per address.
        func g(_ i: Int) -> UInt16 {
            UInt16(truncatingIfNeeded: (i < 4 ? hi : lo) >> (48 - 16 * UInt64(i & 3)))
        }
        // IPv4-mapped addresses print their last 32 bits dotted, as inet_ntop does.
        if hi == 0 && (lo >> 32) == 0xffff {
            append("::ffff:" as StaticString)
            append(ipv4: UInt32(truncatingIfNeeded: lo))
            return
        }
        var bestStart = -1, bestLen = 0, i = 0
        while i < 8 {
            if g(i) == 0 {
                var j = i
                while j < 8 && g(j) == 0 { j += 1 }
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
            append(hex: UInt64(g(i)), digits: 1)
            needColon = true
            i += 1
        }
    }

    /// Colon-separated hex bytes, as tshark shows FT_BYTES.
    public func append(colonHex frame: [UInt8], start: Int, count: Int) {
        let end = min(start + count, frame.count)
        let first = max(start, 0)
        guard first < end else { return }
        var p = tail(reserving: 3 * (end - first))
        frame.withUnsafeBufferPointer { f in
            var i = first
            if i > start { Digits.put(0x3a, &p) }
            Digits.hexByte(f[i], &p)
            i += 1
            while i < end {
                Digits.put(0x3a, &p)
                Digits.hexByte(f[i], &p)
                i += 1
            }
        }
        commit(p)
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
        case .tcpFlagString(let f): append(tcpFlagString: f)
        }
    }

    /// JSON string body escaping (quotes not included).
    public func appendJSONEscaped(_ s: String) {
        var s = s
        s.withUTF8 { appendJSONEscaped(bytes: $0) }
    }

    func appendJSONEscaped(bytes u: UnsafeBufferPointer<UInt8>) {
        var p = tail(reserving: 6 * u.count)
        for b in u {
            switch b {
            case 0x22: Digits.put("\\\"", &p)
            case 0x5c: Digits.put("\\\\", &p)
            case 0x0a: Digits.put("\\n", &p)
            case 0x0d: Digits.put("\\r", &p)
            case 0x09: Digits.put("\\t", &p)
            case 0 ..< 0x20: Digits.put("\\u00", &p); Digits.hexByte(b, &p)
            default: Digits.put(b, &p)
            }
        }
        commit(p)
    }

    /// tshark's `tcp.flags.str`: the 12 flag bits from the most significant, a letter when set,
    /// "·" when not.
    public func append(tcpFlagString flags: UInt16) {
        let letters: StaticString = "RRRACEUAPRSF"
        var p = tail(reserving: 24)
        for i in 0 ..< 12 {
            if flags & (0x800 >> UInt16(i)) != 0 {
                Digits.put(letters.utf8Start[i], &p)
            } else {
                Digits.put(0xc2, &p); Digits.put(0xb7, &p)
            }
        }
        commit(p)
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
