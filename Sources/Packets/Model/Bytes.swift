/// Big-endian reads over a frame. Every caller checks bounds first (layers compare against
/// `end` before reading), so a corrupt length can never make a read leave the buffer.
struct Bytes {
    let p: UnsafeBufferPointer<UInt8>
    var count: Int { p.count }

    @inline(__always) func u8(_ i: Int) -> UInt8 { p[i] }
    @inline(__always) func u16(_ i: Int) -> UInt16 { UInt16(p[i]) << 8 | UInt16(p[i + 1]) }
    @inline(__always) func u24(_ i: Int) -> UInt32 { UInt32(p[i]) << 16 | UInt32(p[i + 1]) << 8 | UInt32(p[i + 2]) }
    @inline(__always) func u32(_ i: Int) -> UInt32 {
        UInt32(p[i]) << 24 | UInt32(p[i + 1]) << 16 | UInt32(p[i + 2]) << 8 | UInt32(p[i + 3])
    }
    @inline(__always) func u48(_ i: Int) -> UInt64 { UInt64(u16(i)) << 32 | UInt64(u32(i + 2)) }
    @inline(__always) func u64(_ i: Int) -> UInt64 { UInt64(u32(i)) << 32 | UInt64(u32(i + 4)) }
}

extension Array where Element == UInt8 {
    @inline(__always) func be16(_ i: Int) -> UInt16 { UInt16(self[i]) << 8 | UInt16(self[i + 1]) }
    @inline(__always) func be32(_ i: Int) -> UInt32 { UInt32(be16(i)) << 16 | UInt32(be16(i + 2)) }
    @inline(__always) func be48(_ i: Int) -> UInt64 { UInt64(be16(i)) << 32 | UInt64(be32(i + 2)) }
    @inline(__always) func be64(_ i: Int) -> UInt64 { UInt64(be32(i)) << 32 | UInt64(be32(i + 4)) }
}

/// Why decoding stopped before the end of the frame.
public struct DecodeIssue: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable { case truncated, malformed }
    public var kind: Kind
    /// Layer that could not be decoded (Wireshark protocol name, e.g. "tcp").
    public var layer: String
    public var reason: String
    /// Offset in the frame where the problem was found.
    public var offset: Int

    public var description: String { "\(kind.rawValue) \(layer) at offset \(offset): \(reason)" }
}
