import Foundation
@testable import Packets

/// Builds protocol headers byte by byte for the tests, with correct lengths and checksums
/// unless told otherwise, so tshark and tcpdump can read them back.
enum Frames {
    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }
    static func mac(_ s: String) -> [UInt8] { s.split(separator: ":").map { UInt8($0, radix: 16)! } }
    static func ip4(_ s: String) -> [UInt8] { s.split(separator: ".").map { UInt8($0)! } }
    static func ip6(_ s: String) -> [UInt8] {
        // Enough for the test addresses: expand a single "::".
        let halves = s.components(separatedBy: "::")
        func groups(_ t: String) -> [UInt16] { t.isEmpty ? [] : t.split(separator: ":").map { UInt16($0, radix: 16)! } }
        let head = groups(halves[0]), tail = halves.count > 1 ? groups(halves[1]) : []
        let all = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        return all.flatMap { be16($0) }
    }

    static func checksum(_ b: [UInt8], initial: UInt32 = 0) -> UInt16 {
        var s = initial
        var i = 0
        while i + 1 < b.count { s += UInt32(b[i]) << 8 | UInt32(b[i + 1]); i += 2 }
        if i < b.count { s += UInt32(b[i]) << 8 }
        while s >> 16 != 0 { s = (s & 0xffff) + (s >> 16) }
        return ~UInt16(s)
    }

    static func eth(dst: String = "02:42:ac:12:00:05", src: String = "02:42:ac:12:00:02", type: UInt16, _ payload: [UInt8]) -> [UInt8] {
        mac(dst) + mac(src) + be16(type) + payload
    }

    static func vlan(id: UInt16, priority: UInt16 = 0, type: UInt16, _ payload: [UInt8]) -> [UInt8] {
        be16(priority << 13 | id) + be16(type) + payload
    }

    static func ipv4(src: String, dst: String, proto: UInt8, ttl: UInt8 = 64, id: UInt16 = 0x1234,
                     flags: UInt16 = 0x4000, tos: UInt8 = 0, options: [UInt8] = [], badChecksum: Bool = false,
                     _ payload: [UInt8]) -> [UInt8] {
        var opts = options
        while opts.count % 4 != 0 { opts.append(0) }
        let hl = 20 + opts.count
        var h: [UInt8] = [0x40 | UInt8(hl / 4), tos] + be16(UInt16(hl + payload.count)) + be16(id) + be16(flags)
            + [ttl, proto, 0, 0] + ip4(src) + ip4(dst) + opts
        var c = checksum(h)
        if badChecksum { c ^= 0x5a5a }
        h[10] = UInt8(c >> 8); h[11] = UInt8(c & 0xff)
        return h + payload
    }

    static func pseudo4(_ src: String, _ dst: String, _ proto: UInt8, _ len: Int) -> UInt32 {
        var s: UInt32 = 0
        for p in stride(from: 0, to: 4, by: 2) {
            s += UInt32(ip4(src)[p]) << 8 | UInt32(ip4(src)[p + 1])
            s += UInt32(ip4(dst)[p]) << 8 | UInt32(ip4(dst)[p + 1])
        }
        return s + UInt32(proto) + UInt32(len)
    }

    static func pseudo6(_ src: String, _ dst: String, _ proto: UInt8, _ len: Int) -> UInt32 {
        var s: UInt32 = 0
        let a = ip6(src), b = ip6(dst)
        for p in stride(from: 0, to: 16, by: 2) {
            s += UInt32(a[p]) << 8 | UInt32(a[p + 1])
            s += UInt32(b[p]) << 8 | UInt32(b[p + 1])
        }
        return s + UInt32(proto) + UInt32(len)
    }

    enum Pseudo { case v4(String, String), v6(String, String), none }

    static func tcp(sport: UInt16, dport: UInt16, seq: UInt32, ack: UInt32 = 0, flags: UInt16, window: UInt16 = 64240,
                    options: [UInt8] = [], pseudo: Pseudo, badChecksum: Bool = false, _ payload: [UInt8] = []) -> [UInt8] {
        var opts = options
        while opts.count % 4 != 0 { opts.append(1) }
        let hl = 20 + opts.count
        var h = be16(sport) + be16(dport) + be32(seq) + be32(ack) + be16(UInt16(hl / 4) << 12 | flags)
            + be16(window) + [0, 0, 0, 0] + opts + payload
        let ps: UInt32
        switch pseudo {
        case .v4(let s, let d): ps = pseudo4(s, d, 6, h.count)
        case .v6(let s, let d): ps = pseudo6(s, d, 6, h.count)
        case .none: ps = 0
        }
        var c = checksum(h, initial: ps)
        if badChecksum { c ^= 0x1111 }
        h[16] = UInt8(c >> 8); h[17] = UInt8(c & 0xff)
        return h
    }

    static func udp(sport: UInt16, dport: UInt16, pseudo: Pseudo, zeroChecksum: Bool = false, badChecksum: Bool = false,
                    _ payload: [UInt8]) -> [UInt8] {
        var h = be16(sport) + be16(dport) + be16(UInt16(8 + payload.count)) + [0, 0] + payload
        if zeroChecksum { return h }
        let ps: UInt32
        switch pseudo {
        case .v4(let s, let d): ps = pseudo4(s, d, 17, h.count)
        case .v6(let s, let d): ps = pseudo6(s, d, 17, h.count)
        case .none: ps = 0
        }
        var c = checksum(h, initial: ps)
        if c == 0 { c = 0xffff }
        if badChecksum { c ^= 0x2222 }
        h[6] = UInt8(c >> 8); h[7] = UInt8(c & 0xff)
        return h
    }

    static func icmpEcho(request: Bool, id: UInt16, seq: UInt16, data: [UInt8]) -> [UInt8] {
        var h: [UInt8] = [request ? 8 : 0, 0, 0, 0] + be16(id) + be16(seq) + data
        let c = checksum(h)
        h[2] = UInt8(c >> 8); h[3] = UInt8(c & 0xff)
        return h
    }

    static func icmp6Echo(src: String, dst: String, id: UInt16, seq: UInt16, data: [UInt8]) -> [UInt8] {
        var h: [UInt8] = [128, 0, 0, 0] + be16(id) + be16(seq) + data
        let c = checksum(h, initial: pseudo6(src, dst, 58, h.count))
        h[2] = UInt8(c >> 8); h[3] = UInt8(c & 0xff)
        return h
    }

    static func ipv6(src: String, dst: String, next: UInt8, hopLimit: UInt8 = 64, _ payload: [UInt8]) -> [UInt8] {
        be32(0x6000_0000 | 0x12 << 20 | 0xabcde) + be16(UInt16(payload.count)) + [next, hopLimit] + ip6(src) + ip6(dst) + payload
    }

    /// Hop-by-hop or destination options header; `options` is padded to a multiple of 8 with PadN.
    static func ipv6Options(next: UInt8, _ options: [UInt8]) -> [UInt8] {
        var body = options
        let pad = (8 - (body.count + 2) % 8) % 8
        if pad == 1 { body.append(0) } else if pad > 1 { body += [1, UInt8(pad - 2)] + [UInt8](repeating: 0, count: pad - 2) }
        return [next, UInt8((body.count + 2) / 8 - 1)] + body
    }

    static func arp(op: UInt16, senderMAC: String, senderIP: String, targetMAC: String, targetIP: String) -> [UInt8] {
        be16(1) + be16(0x0800) + [6, 4] + be16(op) + mac(senderMAC) + ip4(senderIP) + mac(targetMAC) + ip4(targetIP)
    }

    static func vxlan(vni: UInt32, _ inner: [UInt8]) -> [UInt8] {
        [0x08, 0, 0, 0] + [UInt8(vni >> 16), UInt8((vni >> 8) & 0xff), UInt8(vni & 0xff), 0] + inner
    }

    static func geneve(vni: UInt32, proto: UInt16, options: [UInt8], _ inner: [UInt8]) -> [UInt8] {
        [UInt8(options.count / 4), 0] + be16(proto) + [UInt8(vni >> 16), UInt8((vni >> 8) & 0xff), UInt8(vni & 0xff), 0]
            + options + inner
    }
}

/// Writes classic pcap and pcapng files.
struct CaptureWriter {
    struct Packet { var data: [UInt8]; var seconds: UInt32; var fraction: UInt32; var originalLength: Int? = nil; var interface: Int = 0 }

    static func u16(_ v: UInt16, _ big: Bool) -> [UInt8] { big ? Frames.be16(v) : Frames.be16(v).reversed() }
    static func u32(_ v: UInt32, _ big: Bool) -> [UInt8] { big ? Frames.be32(v) : Frames.be32(v).reversed() }

    static func pcap(_ packets: [Packet], linkType: UInt32, nanoseconds: Bool = false, bigEndian: Bool = false,
                     snapLength: UInt32 = 262144) -> [UInt8] {
        var out = u32(nanoseconds ? 0xa1b2_3c4d : 0xa1b2_c3d4, bigEndian) + u16(2, bigEndian) + u16(4, bigEndian)
            + u32(0, bigEndian) + u32(0, bigEndian) + u32(snapLength, bigEndian) + u32(linkType, bigEndian)
        for p in packets {
            let data = p.data.count > Int(snapLength) ? Array(p.data[..<Int(snapLength)]) : p.data
            out += u32(p.seconds, bigEndian) + u32(p.fraction, bigEndian) + u32(UInt32(data.count), bigEndian)
                + u32(UInt32(p.originalLength ?? p.data.count), bigEndian) + data
        }
        return out
    }

    static func block(_ type: UInt32, _ body: [UInt8], _ big: Bool) -> [UInt8] {
        var b = body
        while b.count % 4 != 0 { b.append(0) }
        let len = UInt32(12 + b.count)
        return u32(type, big) + u32(len, big) + b + u32(len, big)
    }

    static func option(_ code: UInt16, _ value: [UInt8], _ big: Bool) -> [UInt8] {
        var v = value
        while v.count % 4 != 0 { v.append(0) }
        return u16(code, big) + u16(UInt16(value.count), big) + v
    }

    struct Interface { var linkType: UInt16; var tsresol: UInt8? = nil }

    /// pcapng with a comment on the section, NRB, ISB and an unknown block mixed in, EPBs, and
    /// SPBs when `simple` is set (interface 0 only).
    static func pcapng(_ packets: [Packet], interfaces: [Interface], bigEndian big: Bool = false, simple: Bool = false) -> [UInt8] {
        var shb = u32(0x1a2b_3c4d, big) + u16(1, big) + u16(0, big) + u32(0xffff_ffff, big) + u32(0xffff_ffff, big)
        shb += option(1, Array("labgen test".utf8), big) + option(0, [], big)
        var out = block(0x0a0d_0d0a, shb, big)
        for i in interfaces {
            var body = u16(i.linkType, big) + u16(0, big) + u32(0, big)
            if let r = i.tsresol { body += option(9, [r], big) }
            body += option(2, Array("if\(i.linkType)".utf8), big) + option(0, [], big)
            out += block(1, body, big)
        }
        // Name resolution block: one IPv4 record, then end.
        out += block(4, u16(1, big) + u16(9, big) + [10, 0, 0, 1] + Array("host".utf8) + [0, 0, 0, 0] + u16(0, big) + u16(0, big), big)
        out += block(0x0bad_cafe, [1, 2, 3, 4], big)
        for p in packets {
            if simple {
                out += block(3, u32(UInt32(p.originalLength ?? p.data.count), big) + p.data, big)
            } else {
                let iface = interfaces[p.interface]
                let units: UInt64
                switch iface.tsresol {
                case nil: units = UInt64(p.seconds) * 1_000_000 + UInt64(p.fraction)
                case 9?: units = UInt64(p.seconds) * 1_000_000_000 + UInt64(p.fraction)
                default: units = UInt64(p.seconds) * 1_000_000 + UInt64(p.fraction)
                }
                let body = u32(UInt32(p.interface), big) + u32(UInt32(units >> 32), big) + u32(UInt32(units & 0xffff_ffff), big)
                    + u32(UInt32(p.data.count), big) + u32(UInt32(p.originalLength ?? p.data.count), big) + p.data
                    + [UInt8](repeating: 0, count: (4 - p.data.count % 4) % 4)
                    + option(1, Array("pkt comment".utf8), big) + option(0, [], big)
                out += block(6, body, big)
            }
        }
        // Interface statistics block at the end.
        out += block(5, u32(0, big) + u32(0, big) + u32(0, big) + option(0, [], big), big)
        return out
    }
}
