/// One line per packet in the style of `tcpdump -nn -e` (UTC time, microseconds). Tunnels are
/// printed on the same line (tcpdump breaks the line before the inner frame).
enum Summary {
    static func write(_ p: Packet, into b: inout ByteBuffer) {
        writeTime(p.timestamp, into: &b)
        b.append(0x20)
        let f = p.record.data
        var i = 0
        let layers = p.layers
        if p.linkType == .rawIP || p.linkType == .rawIP12 || p.linkType == .rawIP14
            || p.linkType == .ipv4 || p.linkType == .ipv6 {
            b.append("ip: " as StaticString)
        }
        while i < layers.count {
            writeLayer(layers, &i, p, f, &b)
        }
        if let issue = p.issue {
            b.append(" [|" as StaticString); b.append(issue.layer); b.append("]" as StaticString)
        }
    }

    static func writeTime(_ t: Timestamp, into b: inout ByteBuffer) {
        let day = Int((t.seconds % 86400 + 86400) % 86400)
        two(day / 3600, &b); b.append(0x3a); two(day / 60 % 60, &b); b.append(0x3a); two(day % 60, &b)
        b.append(0x2e)
        let us = Int(t.nanoseconds / 1000)
        var d = 100_000
        while d > 0 { b.append(0x30 &+ UInt8(us / d % 10)); d /= 10 }
    }

    @inline(__always) static func two(_ v: Int, _ b: inout ByteBuffer) {
        b.append(0x30 &+ UInt8(v / 10)); b.append(0x30 &+ UInt8(v % 10))
    }

    static func etherType(_ t: UInt16, _ b: inout ByteBuffer) {
        b.append("ethertype " as StaticString)
        switch t {
        case 0x0800: b.append("IPv4" as StaticString)
        case 0x86dd: b.append("IPv6" as StaticString)
        case 0x0806: b.append("ARP" as StaticString)
        case 0x8100: b.append("802.1Q" as StaticString)
        case 0x88a8: b.append("802.1Q-QinQ" as StaticString)
        default: b.append("Unknown" as StaticString)
        }
        b.append(" (0x" as StaticString); b.append(hex: UInt64(t), digits: 4); b.append(")" as StaticString)
    }

    static func writeLayer(_ layers: [Layer], _ i: inout Int, _ p: Packet, _ f: [UInt8], _ b: inout ByteBuffer) {
        let layer = layers[i]
        i += 1
        switch layer {
        case .ethernet(let e):
            b.append(mac: e.source); b.append(" > " as StaticString); b.append(mac: e.destination)
            b.append(", " as StaticString)
            if e.etherType <= 1500 {
                b.append("802.3, length " as StaticString); b.append(decimal: UInt64(e.etherType))
                b.append(": " as StaticString)
            } else {
                etherType(e.etherType, &b)
                b.append(", length " as StaticString)
                // Inner (tunnelled) frames report their own length.
                let len = e.offset == 0 ? p.record.originalLength : f.count - e.offset
                b.append(decimal: UInt64(len)); b.append(": " as StaticString)
            }
        case .vlan(let v):
            b.append("vlan " as StaticString); b.append(decimal: UInt64(v.id))
            b.append(", p " as StaticString); b.append(decimal: UInt64(v.priority))
            b.append(", " as StaticString); etherType(v.etherType, &b); b.append(", " as StaticString)
        case .linuxCooked(let s):
            if s.version == 2 {
                b.append("ifindex " as StaticString); b.append(decimal: UInt64(s.interfaceIndex)); b.append(0x20)
            }
            let types: [StaticString] = ["In", "B", "M", "P", "Out"]
            if s.packetType < 5 {
                let t = types[Int(s.packetType)]
                if t.utf8CodeUnitCount < 3 { for _ in t.utf8CodeUnitCount ..< 3 { b.append(0x20) } }
                b.append(t)
            } else { b.append("  ?" as StaticString) }
            b.append(0x20)
            if let m = s.sourceMAC { b.append(mac: m) } else { b.append(0x3f) }
            b.append(0x20)
            etherType(s.protocolType, &b)
            b.append(", length " as StaticString); b.append(decimal: UInt64(p.record.originalLength))
            b.append(": " as StaticString)
        case .null(let n):
            b.append("AF " as StaticString)
            b.append(n.family == 2 ? "IPv4" as StaticString : n.family == 10 || n.family >= 24 ? "IPv6" : "Unknown")
            b.append(" (" as StaticString); b.append(decimal: UInt64(n.family))
            b.append("), length " as StaticString); b.append(decimal: UInt64(p.record.originalLength))
            b.append(": " as StaticString)
        case .arp(let a):
            if a.isEthernetIPv4 && a.opcode == 1 {
                b.append("Request who-has " as StaticString); b.append(ipv4: a.targetIP(f))
                b.append(" tell " as StaticString); b.append(ipv4: a.senderIP(f))
            } else if a.isEthernetIPv4 && a.opcode == 2 {
                b.append("Reply " as StaticString); b.append(ipv4: a.senderIP(f))
                b.append(" is-at " as StaticString); b.append(mac: a.senderMAC(f))
            } else {
                b.append("ARP, opcode " as StaticString); b.append(decimal: UInt64(a.opcode))
            }
            b.append(", length " as StaticString); b.append(decimal: UInt64(a.length))
        case .ipv4(let ip):
            writeTransport(layers, &i, p, f, &b, src: { $0.append(ipv4: ip.source) },
                           dst: { $0.append(ipv4: ip.destination) },
                           ipLength: Int(ip.totalLength) - ip.headerLength, proto: ip.proto)
        case .ipv6(let ip):
            writeTransport(layers, &i, p, f, &b, src: { $0.append(ipv6High: ip.source.0, low: ip.source.1) },
                           dst: { $0.append(ipv6High: ip.destination.0, low: ip.destination.1) },
                           ipLength: Int(ip.payloadLength) - (ip.upperOffset - ip.offset - 40),
                           proto: ip.upperProtocol, extensions: ip.extensions)
        case .vxlan(let v):
            b.append("VXLAN, flags [" as StaticString)
            b.append(v.flags & 0x0800 != 0 ? "I" as StaticString : ".")
            b.append("] (0x" as StaticString); b.append(hex: UInt64(v.flags >> 8), digits: 2)
            b.append("), vni " as StaticString); b.append(decimal: UInt64(v.vni)); b.append(0x20)
        case .geneve(let g):
            b.append("Geneve, vni 0x" as StaticString); b.append(hex: UInt64(g.vni), digits: 1)
            b.append(", proto " as StaticString)
            b.append(g.protocolType == 0x6558 ? "TEB" as StaticString : g.protocolType == 0x0800 ? "IPv4" : "IPv6")
            b.append(" (0x" as StaticString); b.append(hex: UInt64(g.protocolType), digits: 4); b.append(")" as StaticString)
            if let d = g.dsr(frame: f) {
                b.append(", cilium dsr " as StaticString); b.append(d.service)
            }
            b.append(0x20)
        case .http(let h):
            b.append(": HTTP" as StaticString)
            if let line = h.line { b.append(": " as StaticString); b.append(line) }
        case .tcp, .udp, .icmp, .icmpv6, .payload:
            // Reached only without an IP layer before them; nothing tcpdump-like to add.
            break
        }
    }

    static func writeTransport(_ layers: [Layer], _ i: inout Int, _ p: Packet, _ f: [UInt8], _ b: inout ByteBuffer,
                               src: (inout ByteBuffer) -> Void, dst: (inout ByteBuffer) -> Void,
                               ipLength: Int, proto: UInt8, extensions: [IPv6Extension] = []) {
        let next: Layer? = i < layers.count ? layers[i] : nil
        switch next {
        case .tcp(let t)?:
            i += 1
            src(&b); b.append(0x2e); b.append(decimal: UInt64(t.sourcePort)); b.append(" > " as StaticString)
            dst(&b); b.append(0x2e); b.append(decimal: UInt64(t.destinationPort)); b.append(": " as StaticString)
            writeIPv6Extensions(extensions, &b)
            writeTCP(t, f, &b)
        case .udp(let u)?:
            i += 1
            src(&b); b.append(0x2e); b.append(decimal: UInt64(u.sourcePort)); b.append(" > " as StaticString)
            dst(&b); b.append(0x2e); b.append(decimal: UInt64(u.destinationPort)); b.append(": " as StaticString)
            writeIPv6Extensions(extensions, &b)
            if i < layers.count, case .vxlan = layers[i] { return }
            if i < layers.count, case .geneve = layers[i] { return }
            b.append("UDP, length " as StaticString); b.append(decimal: UInt64(max(Int(u.length) - 8, 0)))
        case .icmp(let c)?:
            i += 1
            src(&b); b.append(" > " as StaticString); dst(&b); b.append(": ICMP " as StaticString)
            switch c.type {
            case 8: b.append("echo request" as StaticString)
            case 0: b.append("echo reply" as StaticString)
            case 3: b.append("unreachable, code " as StaticString); b.append(decimal: UInt64(c.code))
            case 11: b.append("time exceeded in-transit" as StaticString)
            default: b.append("type-#" as StaticString); b.append(decimal: UInt64(c.type))
            }
            if c.isEcho {
                b.append(", id " as StaticString); b.append(decimal: UInt64(c.rest >> 16))
                b.append(", seq " as StaticString); b.append(decimal: UInt64(c.rest & 0xffff))
            }
            b.append(", length " as StaticString); b.append(decimal: UInt64(c.length))
            if i < layers.count, case .payload = layers[i] { i += 1 }
        case .icmpv6(let c)?:
            i += 1
            src(&b); b.append(" > " as StaticString); dst(&b); b.append(": " as StaticString)
            writeIPv6Extensions(extensions, &b)
            b.append("ICMP6, " as StaticString)
            switch c.type {
            case 128: b.append("echo request" as StaticString)
            case 129: b.append("echo reply" as StaticString)
            case 133: b.append("router solicitation" as StaticString)
            case 134: b.append("router advertisement" as StaticString)
            case 135: b.append("neighbor solicitation" as StaticString)
            case 136: b.append("neighbor advertisement" as StaticString)
            default: b.append("type " as StaticString); b.append(decimal: UInt64(c.type))
            }
            if c.isEcho {
                b.append(", id " as StaticString); b.append(decimal: UInt64(c.rest >> 16))
                b.append(", seq " as StaticString); b.append(decimal: UInt64(c.rest & 0xffff))
            }
            b.append(", length " as StaticString); b.append(decimal: UInt64(c.length))
        default:
            src(&b); b.append(" > " as StaticString); dst(&b); b.append(": " as StaticString)
            writeIPv6Extensions(extensions, &b)
            b.append("ip-proto-" as StaticString); b.append(decimal: UInt64(proto))
            b.append(0x20); b.append(decimal: UInt64(max(ipLength, 0)))
            if i < layers.count, case .payload = layers[i] { i += 1 }
        }
    }

    static func writeIPv6Extensions(_ exts: [IPv6Extension], _ b: inout ByteBuffer) {
        for e in exts {
            switch e.type {
            case 0: b.append("HBH " as StaticString)
            case 60: b.append("DSTOPT " as StaticString)
            case 43: b.append("srcrt " as StaticString)
            case 44: b.append("frag " as StaticString)
            default: break
            }
        }
    }

    static func writeTCP(_ t: TCP, _ f: [UInt8], _ b: inout ByteBuffer) {
        b.append("Flags [" as StaticString)
        if t.flags & 0x01 != 0 { b.append(0x46) }
        if t.flags & 0x02 != 0 { b.append(0x53) }
        if t.flags & 0x04 != 0 { b.append(0x52) }
        if t.flags & 0x08 != 0 { b.append(0x50) }
        if t.flags & 0x10 != 0 { b.append(0x2e) }
        if t.flags & 0x20 != 0 { b.append(0x55) }
        if t.flags & 0x40 != 0 { b.append(0x45) }
        if t.flags & 0x80 != 0 { b.append(0x57) }
        if t.flags & 0xff == 0 { b.append("none" as StaticString) }
        b.append(0x5d)
        let len = t.payloadLength
        if len > 0 || t.flags & 0x07 != 0 {
            b.append(", seq " as StaticString); b.append(decimal: UInt64(t.summarySeq))
            if len > 0 { b.append(0x3a); b.append(decimal: UInt64(t.summarySeq &+ UInt32(truncatingIfNeeded: len))) }
        }
        if t.isACK { b.append(", ack " as StaticString); b.append(decimal: UInt64(t.summaryAck)) }
        b.append(", win " as StaticString); b.append(decimal: UInt64(t.window))
        if t.isURG { b.append(", urg " as StaticString); b.append(decimal: UInt64(t.urgent)) }
        if t.headerLength > 20 {
            b.append(", options [" as StaticString)
            var i = t.optionsStart
            let end = min(t.optionsEnd, f.count)
            var first = true
            while i < end {
                if !first { b.append(0x2c) }
                first = false
                let kind = f[i]
                if kind == 0 { b.append("eol" as StaticString); break }
                if kind == 1 { b.append("nop" as StaticString); i += 1; continue }
                guard i + 1 < end, f[i + 1] >= 2, i + Int(f[i + 1]) <= end else {
                    b.append("bad opt" as StaticString); break
                }
                let len = Int(f[i + 1])
                switch (kind, len) {
                case (2, 4): b.append("mss " as StaticString); b.append(decimal: UInt64(f.be16(i + 2)))
                case (3, 3): b.append("wscale " as StaticString); b.append(decimal: UInt64(f[i + 2]))
                case (4, 2): b.append("sackOK" as StaticString)
                case (8, 10):
                    b.append("TS val " as StaticString); b.append(decimal: UInt64(f.be32(i + 2)))
                    b.append(" ecr " as StaticString); b.append(decimal: UInt64(f.be32(i + 6)))
                case (5, _):
                    b.append("sack " as StaticString); b.append(decimal: UInt64((len - 2) / 8))
                    var e = i + 2
                    while e + 8 <= i + len {
                        b.append(" {" as StaticString); b.append(decimal: UInt64(f.be32(e) &- t.summarySackBase))
                        b.append(0x3a); b.append(decimal: UInt64(f.be32(e + 4) &- t.summarySackBase)); b.append(0x7d)
                        e += 8
                    }
                default:
                    b.append("unknown-" as StaticString); b.append(decimal: UInt64(kind))
                    if len > 2 {
                        b.append(" 0x" as StaticString)
                        for k in i + 2 ..< i + len { b.append(hexByte: f[k]) }
                    }
                }
                i += len
            }
            b.append(0x5d)
        }
        b.append(", length " as StaticString); b.append(decimal: UInt64(len))
    }
}
