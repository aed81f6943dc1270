/// Crafted traffic covering every supported protocol, for the differential tests.
enum Scenarios {
    static let client = "172.18.0.1", server = "10.244.3.250", svc = "172.18.0.2"

    static func synOptions(ts: UInt32, ecr: UInt32) -> [UInt8] {
        [2, 4, 0x05, 0xb4, 4, 2, 8, 10] + Frames.be32(ts) + Frames.be32(ecr) + [1, 3, 3, 7]
    }

    /// Ethernet frames: a TCP conversation with HTTP on 8080, options of every kind, IPv4
    /// options, ICMP, UDP (good, zero and bad checksums), ARP, 802.1Q, IPv6 with extension
    /// headers, VXLAN on 4789 and 8472, Geneve with options.
    static func ethernet() -> [[UInt8]] {
        var frames: [[UInt8]] = []
        let c = client, s = server
        let v4 = Frames.Pseudo.v4(c, s), v4r = Frames.Pseudo.v4(s, c)
        func ip(_ src: String, _ dst: String, _ proto: UInt8, options: [UInt8] = [], bad: Bool = false, _ p: [UInt8]) -> [UInt8] {
            Frames.eth(type: 0x0800, Frames.ipv4(src: src, dst: dst, proto: proto, options: options, badChecksum: bad, p))
        }
        // TCP handshake with the DSR option on the SYN, as in the seed (checksum left wrong: offload).
        let dsr: [UInt8] = [0x9a, 0x08, 0xa8, 0x7a, 0x02, 0x00, 0x12, 0xac]
        frames.append(ip(c, s, 6, options: dsr, Frames.tcp(sport: 50074, dport: 8080, seq: 327033400, flags: 0x002,
                                                           options: synOptions(ts: 704972761, ecr: 0), pseudo: v4, badChecksum: true)))
        frames.append(ip(s, c, 6, Frames.tcp(sport: 8080, dport: 50074, seq: 1104396694, ack: 327033401, flags: 0x012,
                                             window: 65160, options: synOptions(ts: 4059790408, ecr: 704972761), pseudo: v4r)))
        let tsOpt: [UInt8] = [1, 1, 8, 10] + Frames.be32(704972800) + Frames.be32(4059790408)
        frames.append(ip(c, s, 6, Frames.tcp(sport: 50074, dport: 8080, seq: 327033401, ack: 1104396695, flags: 0x010,
                                             window: 502, options: tsOpt, pseudo: v4)))
        let get = Array("GET /index.html HTTP/1.1\r\nHost: 10.244.3.250:8080\r\nUser-Agent: curl/7.88.1\r\n\r\n".utf8)
        frames.append(ip(c, s, 6, Frames.tcp(sport: 50074, dport: 8080, seq: 327033401, ack: 1104396695, flags: 0x018,
                                             window: 502, options: tsOpt, pseudo: v4, get)))
        let resp = Array("HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6\r\nContent-Length: 2\r\n\r\nok".utf8)
        frames.append(ip(s, c, 6, Frames.tcp(sport: 8080, dport: 50074, seq: 1104396695, ack: 327033401 + UInt32(get.count),
                                             flags: 0x018, window: 509, options: tsOpt, pseudo: v4r, resp)))
        // SACK, an unknown option (kind 30 with data), EOL padding, ECE/CWR/URG flags.
        let sack: [UInt8] = [1, 1, 5, 10] + Frames.be32(1104396695 + 100) + Frames.be32(1104396695 + 200) + [99, 4, 0xab, 0xcd, 0, 0]
        frames.append(ip(c, s, 6, Frames.tcp(sport: 50074, dport: 8080, seq: 327033401 + UInt32(get.count),
                                             ack: 1104396695 + UInt32(resp.count), flags: 0x0f1, window: 500, options: sack, pseudo: v4)))
        // IPv4 options: RR, TS, RA, NOP, EOL; and a bad header checksum.
        let rr: [UInt8] = [7, 11, 8] + Frames.ip4("10.0.0.1") + Frames.ip4("0.0.0.0")
        let tsOpt4: [UInt8] = [68, 12, 5, 0x01] + Frames.ip4("10.0.0.9") + Frames.be32(123456)
        let ra: [UInt8] = [148, 4, 0, 0]
        frames.append(ip(c, s, 17, options: rr + [1], Frames.udp(sport: 41000, dport: 42001, pseudo: v4, [1, 2, 3, 4])))
        frames.append(ip(c, s, 17, options: tsOpt4, Frames.udp(sport: 41000, dport: 42002, pseudo: v4, zeroChecksum: true, [9, 9])))
        frames.append(ip(c, s, 17, options: ra + [1, 0], bad: true, Frames.udp(sport: 41000, dport: 42003, pseudo: v4, badChecksum: true, [7])))
        // ICMP echo.
        let data = Array(0 ..< 56).map { UInt8($0) }
        frames.append(ip(c, s, 1, Frames.icmpEcho(request: true, id: 4242, seq: 1, data: data)))
        frames.append(ip(s, c, 1, Frames.icmpEcho(request: false, id: 4242, seq: 1, data: data)))
        // ARP.
        frames.append(Frames.eth(dst: "ff:ff:ff:ff:ff:ff", type: 0x0806,
                                 Frames.arp(op: 1, senderMAC: "02:42:ac:12:00:02", senderIP: c, targetMAC: "00:00:00:00:00:00", targetIP: svc)))
        frames.append(Frames.eth(dst: "02:42:ac:12:00:02", src: "02:42:ac:12:00:05", type: 0x0806,
                                 Frames.arp(op: 2, senderMAC: "02:42:ac:12:00:05", senderIP: svc, targetMAC: "02:42:ac:12:00:02", targetIP: c)))
        // 802.1Q.
        frames.append(Frames.eth(type: 0x8100, Frames.vlan(id: 100, priority: 5, type: 0x0800,
                                                           Frames.ipv4(src: c, dst: s, proto: 17, Frames.udp(sport: 4000, dport: 4001, pseudo: v4, [1, 2, 3])))))
        // IPv6: plain TCP, hop-by-hop (router alert) + ICMPv6 echo, destination option with Cilium DSR + TCP,
        // routing header + UDP, fragment header.
        let a6 = "fd00:10:244::1", b6 = "fd00:10:244:3::fa", svc6 = "fd00:172:18::2"
        let p6 = Frames.Pseudo.v6(a6, b6)
        frames.append(Frames.eth(type: 0x86dd, Frames.ipv6(src: a6, dst: b6, next: 6,
                                 Frames.tcp(sport: 40000, dport: 80, seq: 1000, flags: 0x002, options: [2, 4, 0x05, 0xa0], pseudo: p6))))
        let icmp6 = Frames.icmp6Echo(src: a6, dst: b6, id: 7, seq: 3, data: [1, 2, 3, 4, 5, 6, 7, 8])
        frames.append(Frames.eth(type: 0x86dd, Frames.ipv6(src: a6, dst: b6, next: 0,
                                 Frames.ipv6Options(next: 58, [5, 2, 0, 0]) + icmp6)))
        let dsr6: [UInt8] = [0x1b, 20] + Frames.ip6(svc6) + Frames.be16(31400) + [0, 0]
        frames.append(Frames.eth(type: 0x86dd, Frames.ipv6(src: a6, dst: b6, next: 60,
                                 Frames.ipv6Options(next: 6, dsr6)
                                 + Frames.tcp(sport: 40001, dport: 8080, seq: 5000, flags: 0x002, options: [2, 4, 0x05, 0xa0], pseudo: p6))))
        let routing: [UInt8] = [17, 2, 4, 0] + [0, 0, 0, 0] + Frames.ip6("fd00::99")
        frames.append(Frames.eth(type: 0x86dd, Frames.ipv6(src: a6, dst: b6, next: 43,
                                 routing + Frames.udp(sport: 6000, dport: 6001, pseudo: p6, [1, 2, 3, 4]))))
        frames.append(Frames.eth(type: 0x86dd, Frames.ipv6(src: a6, dst: b6, next: 44,
                                 [17, 0] + Frames.be16(0 << 3 | 1) + Frames.be32(0xdeadbeef) + [UInt8](repeating: 0xaa, count: 16))))
        // VXLAN (4789) with an inner ICMP echo; Cilium's VXLAN (8472) with an inner DSR SYN.
        let inner = Frames.eth(dst: "aa:bb:cc:00:00:02", src: "aa:bb:cc:00:00:01", type: 0x0800,
                               Frames.ipv4(src: "10.244.1.5", dst: "10.244.3.250", proto: 1, Frames.icmpEcho(request: true, id: 9, seq: 2, data: [1, 2, 3, 4])))
        frames.append(ip("172.18.0.3", "172.18.0.5", 17, Frames.udp(sport: 54321, dport: 4789, pseudo: .v4("172.18.0.3", "172.18.0.5"),
                                                                     Frames.vxlan(vni: 42, inner))))
        let innerSyn = Frames.eth(dst: "aa:bb:cc:00:00:02", src: "aa:bb:cc:00:00:01", type: 0x0800,
                                  Frames.ipv4(src: c, dst: s, proto: 6, options: dsr,
                                              Frames.tcp(sport: 50075, dport: 8080, seq: 99, flags: 0x002, options: synOptions(ts: 1, ecr: 0), pseudo: v4)))
        frames.append(ip("172.18.0.3", "172.18.0.5", 17, Frames.udp(sport: 40123, dport: 8472, pseudo: .v4("172.18.0.3", "172.18.0.5"),
                                                                     Frames.vxlan(vni: 2, innerSyn))))
        // Geneve with the Cilium DSR option and an unknown option, inner Ethernet/IPv4/TCP.
        let gdsr: [UInt8] = Frames.be16(0x014b) + [0x81, 2] + Frames.ip4(svc) + Frames.be16(31400) + [0, 0]
        let gother: [UInt8] = Frames.be16(0x0103) + [0x05, 1] + [1, 2, 3, 4]
        let innerTCP = Frames.eth(dst: "aa:bb:cc:00:00:02", src: "aa:bb:cc:00:00:01", type: 0x0800,
                                  Frames.ipv4(src: c, dst: s, proto: 6, Frames.tcp(sport: 50076, dport: 8080, seq: 7, flags: 0x002, pseudo: v4)))
        frames.append(ip("172.18.0.3", "172.18.0.5", 17, Frames.udp(sport: 40124, dport: 6081, pseudo: .v4("172.18.0.3", "172.18.0.5"),
                                                                     Frames.geneve(vni: 123, proto: 0x6558, options: gdsr + gother, innerTCP))))
        return frames
    }

    static func timed(_ frames: [[UInt8]], start: UInt32 = 1_664_662_891) -> [CaptureWriter.Packet] {
        frames.enumerated().map { CaptureWriter.Packet(data: $0.element, seconds: start + UInt32($0.offset / 3), fraction: UInt32(462426 + $0.offset * 191)) }
    }

    /// A plain IPv4/UDP packet, for links that carry IP directly.
    static func ipUDP(_ n: Int) -> [UInt8] {
        Frames.ipv4(src: "10.0.0.\(n)", dst: "10.0.0.200", proto: 17,
                    Frames.udp(sport: UInt16(41000 + n), dport: 42000, pseudo: .v4("10.0.0.\(n)", "10.0.0.200"), [UInt8](repeating: UInt8(n), count: 12)))
    }

    static func ip6ICMP() -> [UInt8] {
        Frames.ipv6(src: "fd00::1", dst: "fd00::2", next: 58, Frames.icmp6Echo(src: "fd00::1", dst: "fd00::2", id: 1, seq: 1, data: [0xde, 0xad]))
    }
}
