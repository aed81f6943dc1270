/// One IPv4 option as found in the header: kind, where it starts, how long it is.
public struct IPv4Option: Sendable, Equatable {
    public var type: UInt8
    public var offset: Int
    public var length: Int
    /// Set when the option's length byte is missing or runs past the header.
    public var malformed: Bool
}

/// Walks and emits IPv4 options (RFC 791), keeping unknown ones raw and explaining Cilium's DSR option.
enum IPv4Options {
    /// Lists the options of `[start, end)`; stops at EOL or at a malformed option.
    static func list(_ f: [UInt8], start: Int, end: Int) -> [IPv4Option] {
        var out: [IPv4Option] = []
        var i = start
        let end = min(end, f.count)
        while i < end {
            let t = f[i]
            if t == 0 { out.append(IPv4Option(type: 0, offset: i, length: 1, malformed: false)); break }
            if t == 1 { out.append(IPv4Option(type: 1, offset: i, length: 1, malformed: false)); i += 1; continue }
            guard i + 1 < end else {
                out.append(IPv4Option(type: t, offset: i, length: end - i, malformed: true)); break
            }
            let len = Int(f[i + 1])
            guard len >= 2, i + len <= end else {
                out.append(IPv4Option(type: t, offset: i, length: end - i, malformed: true)); break
            }
            out.append(IPv4Option(type: t, offset: i, length: len, malformed: false))
            i += len
        }
        return out
    }

    static func emit<S: FieldSink>(into s: inout S, frame f: [UInt8], start: Int, end: Int) {
        s.open("ip.options", "Options", .none, start, end - start)
        for opt in list(f, start: start, end: end) {
            let o = opt.offset
            if opt.malformed {
                s.leaf("ip.opt.malformed", "Malformed option", .bytes(start: o, count: opt.length),
                       offset: o, length: opt.length, note: "option length runs past the header")
                continue
            }
            switch opt.type {
            case 0:
                s.open("ip.options.eol", "End of Options List (EOL)", .bytes(start: o, count: 1), o, 1)
                emitType(into: &s, opt.type, o)
                s.close()
            case 1:
                s.open("ip.options.nop", "No Operation (NOP)", .bytes(start: o, count: 1), o, 1)
                emitType(into: &s, opt.type, o)
                s.close()
            case 7:
                s.open("ip.options.record_route", "Record Route", .bytes(start: o, count: opt.length), o, opt.length)
                emitType(into: &s, opt.type, o)
                s.leaf("ip.opt.len", "Length", .uint(UInt64(opt.length)), o + 1, 1)
                if opt.length >= 3 {
                    let ptr = Int(f[o + 2])
                    s.leaf("ip.opt.ptr", "Pointer", .uint(UInt64(ptr)), o + 2, 1)
                    var a = o + 3
                    while a + 4 <= o + opt.length {
                        if a - o + 1 < ptr {
                            s.leaf("ip.rec_rt", "Recorded Route", .ipv4(f.be32(a)), a, 4)
                        } else {
                            s.leaf("ip.empty_rt", "Empty Route", .ipv4(f.be32(a)), a, 4)
                        }
                        a += 4
                    }
                }
                s.close()
            case 68:
                s.open("ip.options.timestamp", "Time Stamp", .bytes(start: o, count: opt.length), o, opt.length)
                emitType(into: &s, opt.type, o)
                s.leaf("ip.opt.len", "Length", .uint(UInt64(opt.length)), o + 1, 1)
                if opt.length >= 4 {
                    s.leaf("ip.opt.ptr", "Pointer", .uint(UInt64(f[o + 2])), o + 2, 1)
                    s.leaf("ip.opt.overflow", "Overflow", .uint(UInt64(f[o + 3] >> 4)), o + 3, 1)
                    let flag = f[o + 3] & 0x0f
                    s.leaf("ip.opt.flag", "Flag", .hex(UInt64(flag), digits: 2), o + 3, 1)
                    var a = o + 4
                    while a + 4 <= o + opt.length {
                        if flag != 0 && a + 8 <= o + opt.length {
                            s.leaf("ip.opt.time_stamp_addr", "Address", .ipv4(f.be32(a)), a, 4)
                            s.leaf("ip.opt.time_stamp", "Time stamp", .uint(UInt64(f.be32(a + 4))), a + 4, 4)
                            a += 8
                        } else {
                            s.leaf("ip.opt.time_stamp", "Time stamp", .uint(UInt64(f.be32(a))), a, 4)
                            a += 4
                        }
                    }
                }
                s.close()
            case 148:
                s.open("ip.options.routeralert", "Router Alert", .bytes(start: o, count: opt.length), o, opt.length)
                emitType(into: &s, opt.type, o)
                s.leaf("ip.opt.len", "Length", .uint(UInt64(opt.length)), o + 1, 1)
                if opt.length == 4 { s.leaf("ip.opt.ra", "Router Alert", .uint(UInt64(f.be16(o + 2))), o + 2, 2) }
                s.close()
            case CiliumDSR.ipv4OptionType where opt.length == 8:
                CiliumDSR.emitIPv4(into: &s, frame: f, at: o)
            default:
                s.leaf("ip.opt.unknown", "Unknown option", .bytes(start: o, count: opt.length),
                       offset: o, length: opt.length, note: "type 0x\(String(opt.type, radix: 16)), kept raw")
            }
        }
        s.close()
    }

    private static func emitType<S: FieldSink>(into s: inout S, _ t: UInt8, _ o: Int) {
        s.open("ip.opt.type", "Type", .uint(UInt64(t)), o, 1)
        s.leaf("ip.opt.type.copy", "Copy on fragmentation", .uint(UInt64(t >> 7)), o, 1)
        s.leaf("ip.opt.type.class", "Class", .uint(UInt64((t >> 5) & 3)), o, 1)
        s.leaf("ip.opt.type.number", "Number", .uint(UInt64(t & 0x1f)), o, 1)
        s.close()
    }
}
