#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams the records of a classic pcap or pcapng file, one at a time.
///
/// Iteration ends at the end of the file or at the first unreadable byte; in the latter case
/// `error` says where and why, and every record before it has been delivered.
public final class CaptureReader: Sequence, IteratorProtocol {
    /// The longest record accepted: a corrupt length must not make us allocate gigabytes.
    static let maxRecord = 16 << 20

    private let input: ChunkedInput
    public private(set) var error: CaptureError?
    public private(set) var format: Format = .unknown
    private var bigEndian = false
    private var nanosecondTimestamps = false
    private var pcapLinkType = LinkType.ethernet
    private var interfaces: [Interface] = []
    private var count = 0
    private var started = false

    public enum Format: Sendable, Equatable { case unknown, pcap, pcapng }

    struct Interface {
        var linkType: LinkType
        var snapLength: UInt32
        /// Units per second of the timestamps, from `if_tsresol`.
        var unitsPerSecond: UInt64
    }

    public init(path: String) throws(CaptureError) {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            throw CaptureError(offset: 0, reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        input = ChunkedInput(fileDescriptor: fd)
    }

    public init(bytes: [UInt8]) {
        input = ChunkedInput(bytes: bytes)
    }

    /// Reads the whole capture; throws if any part of it is unreadable.
    public static func readAll(path: String) throws -> [CaptureRecord] {
        let reader = try CaptureReader(path: path)
        let records = Array(reader)
        if let error = reader.error { throw error }
        return records
    }

    public func next() -> CaptureRecord? {
        if error != nil { return nil }
        if !started {
            started = true
            guard readFileHeader() else { return nil }
        }
        switch format {
        case .pcap: return nextPcap()
        case .pcapng: return nextPcapng()
        case .unknown: return nil
        }
    }

    private func fail(_ reason: String, at offset: Int? = nil) -> CaptureRecord? {
        error = CaptureError(offset: offset ?? input.offset, reason: reason)
        return nil
    }

    private func readFileHeader() -> Bool {
        guard input.ensure(4) else {
            _ = fail(input.available == 0 ? "empty file" : "file too short for a capture header")
            return false
        }
        let magic = input.u32(0, bigEndian: true)
        switch magic {
        case 0xa1b2_c3d4, 0xd4c3_b2a1, 0xa1b2_3c4d, 0x4d3c_b2a1:
            format = .pcap
            bigEndian = magic == 0xa1b2_c3d4 || magic == 0xa1b2_3c4d
            nanosecondTimestamps = magic == 0xa1b2_3c4d || magic == 0x4d3c_b2a1
            guard input.ensure(24) else { _ = fail("truncated pcap file header"); return false }
            pcapLinkType = LinkType(rawValue: input.u32(20, bigEndian: bigEndian) & 0x0fff_ffff)
            input.skip(24)
            return true
        case 0x0a0d_0d0a:
            format = .pcapng
            return true
        default:
            _ = fail("not a pcap or pcapng file (magic 0x\(String(magic, radix: 16)))")
            return false
        }
    }

    // MARK: classic pcap

    private func nextPcap() -> CaptureRecord? {
        let start = input.offset
        guard input.ensure(16) else {
            if input.available == 0 { return nil }
            return fail("truncated record header (\(input.available) of 16 bytes)")
        }
        let sec = input.u32(0, bigEndian: bigEndian)
        let frac = input.u32(4, bigEndian: bigEndian)
        let capLen = Int(input.u32(8, bigEndian: bigEndian))
        let origLen = Int(input.u32(12, bigEndian: bigEndian))
        guard capLen <= CaptureReader.maxRecord else {
            return fail("record length \(capLen) is implausible", at: start + 8)
        }
        guard input.ensure(16 + capLen) else {
            return fail("truncated packet data (\(input.available - 16) of \(capLen) bytes)", at: start + 16)
        }
        let data = input.copy(from: 16, count: capLen)
        input.skip(16 + capLen)
        count += 1
        let nanos = nanosecondTimestamps ? frac : frac &* 1000
        return CaptureRecord(number: count,
                             timestamp: Timestamp(seconds: Int64(sec) + Int64(nanos / 1_000_000_000),
                                                  nanoseconds: nanos % 1_000_000_000),
                             linkType: pcapLinkType, data: data, originalLength: Swift.max(origLen, capLen),
                             interface: 0, fileOffset: start)
    }

    // MARK: pcapng

    private func nextPcapng() -> CaptureRecord? {
        while true {
            let start = input.offset
            guard input.ensure(8) else {
                if input.available == 0 { return nil }
                return fail("truncated block header")
            }
            let rawType = input.u32(0, bigEndian: true)
            if rawType == 0x0a0d_0d0a {
                guard input.ensure(12) else { return fail("truncated section header block") }
                switch input.u32(8, bigEndian: true) {
                case 0x1a2b_3c4d: bigEndian = true
                case 0x4d3c_2b1a: bigEndian = false
                default: return fail("bad byte-order magic in section header", at: start + 8)
                }
                interfaces.removeAll()
            }
            let type = input.u32(0, bigEndian: bigEndian)
            let length = Int(input.u32(4, bigEndian: bigEndian))
            guard length >= 12, length % 4 == 0, length <= CaptureReader.maxRecord else {
                return fail("bad block length \(length)", at: start + 4)
            }
            guard input.ensure(length) else {
                return fail("truncated block (\(input.available) of \(length) bytes)")
            }
            guard Int(input.u32(length - 4, bigEndian: bigEndian)) == length else {
                return fail("block trailing length does not match \(length)", at: start + length - 4)
            }
            defer { input.skip(length) }
            switch type {
            case 1:
                guard length >= 20 else { return fail("interface description block too short", at: start) }
                var iface = Interface(linkType: LinkType(rawValue: UInt32(input.u16(8, bigEndian: bigEndian))),
                                      snapLength: input.u32(12, bigEndian: bigEndian),
                                      unitsPerSecond: 1_000_000)
                // Options: only if_tsresol (code 9) matters for decoding.
                var o = 16
                while o + 4 <= length - 4 {
                    let code = input.u16(o, bigEndian: bigEndian)
                    let olen = Int(input.u16(o + 2, bigEndian: bigEndian))
                    if code == 0 { break }
                    if o + 4 + olen > length - 4 { break }
                    if code == 9 && olen >= 1 {
                        let v = input.u8(o + 4)
                        let exp = Int(v & 0x7f)
                        if v & 0x80 != 0 {
                            iface.unitsPerSecond = exp < 63 ? UInt64(1) << UInt64(exp) : 1
                        } else {
                            var u: UInt64 = 1
                            for _ in 0 ..< Swift.min(exp, 19) { u *= 10 }
                            iface.unitsPerSecond = u
                        }
                    }
                    o += 4 + (olen + 3) & ~3
                }
                interfaces.append(iface)
            case 6, 2:
                // Enhanced Packet Block, or the obsolete Packet Block (16-bit interface id).
                guard length >= 32 else { return fail("packet block too short", at: start) }
                let ifIndex = type == 6 ? Int(input.u32(8, bigEndian: bigEndian))
                                        : Int(input.u16(8, bigEndian: bigEndian))
                guard ifIndex < interfaces.count else {
                    return fail("packet for undeclared interface \(ifIndex)", at: start + 8)
                }
                let ts = UInt64(input.u32(12, bigEndian: bigEndian)) << 32 | UInt64(input.u32(16, bigEndian: bigEndian))
                let capLen = Int(input.u32(20, bigEndian: bigEndian))
                let origLen = Int(input.u32(24, bigEndian: bigEndian))
                guard capLen <= length - 32 else {
                    return fail("captured length \(capLen) exceeds its block", at: start + 20)
                }
                return record(interface: ifIndex, units: ts, data: input.copy(from: 28, count: capLen),
                              originalLength: origLen, fileOffset: start)
            case 3:
                guard length >= 16 else { return fail("simple packet block too short", at: start) }
                guard !interfaces.isEmpty else { return fail("simple packet block before any interface", at: start) }
                let origLen = Int(input.u32(8, bigEndian: bigEndian))
                var capLen = Swift.min(origLen, length - 16)
                if interfaces[0].snapLength > 0 { capLen = Swift.min(capLen, Int(interfaces[0].snapLength)) }
                return record(interface: 0, units: nil, data: input.copy(from: 12, count: capLen),
                              originalLength: origLen, fileOffset: start)
            default:
                // SHB handled above; NRB, ISB, custom and unknown blocks carry nothing we decode.
                continue
            }
        }
    }

    private func record(interface: Int, units: UInt64?, data: [UInt8], originalLength: Int,
                        fileOffset: Int) -> CaptureRecord {
        let iface = interfaces[interface]
        var ts = Timestamp(seconds: 0, nanoseconds: 0)
        if let units {
            let per = iface.unitsPerSecond
            let sec = units / per
            let rem = units % per
            let nanos = per.dividingFullWidth(rem.multipliedFullWidth(by: 1_000_000_000)).quotient
            ts = Timestamp(seconds: Int64(truncatingIfNeeded: sec), nanoseconds: UInt32(truncatingIfNeeded: nanos))
        }
        count += 1
        return CaptureRecord(number: count, timestamp: ts, linkType: iface.linkType, data: data,
                             originalLength: Swift.max(originalLength, data.count), interface: interface,
                             fileOffset: fileOffset)
    }
}
