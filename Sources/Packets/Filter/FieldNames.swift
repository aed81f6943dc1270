/// Every field and protocol name labgen's decoder emits (Wireshark's names), plus the
/// either-side aliases filters accept: a filter naming anything else is refused with the
/// closest names, since a misspelt field (`tcp.prot`) would otherwise match nothing, silently.
///
/// `FieldNamesTests` checks this list against the names the decoder's sources write.
public enum FieldNames {
    public static let emitted: Set<String> = [
        "_ws.malformed", "arp", "arp.dst.hw", "arp.dst.hw_mac",
        "arp.dst.proto", "arp.dst.proto_ipv4", "arp.hw.size", "arp.hw.type",
        "arp.opcode", "arp.proto.size", "arp.proto.type", "arp.src.hw",
        "arp.src.hw_mac", "arp.src.proto", "arp.src.proto_ipv4", "cilium.dsr",
        "cilium.dsr.len", "cilium.dsr.svc_addr", "cilium.dsr.svc_port", "cilium.dsr.type",
        "data", "data.data", "data.len", "eth",
        "eth.addr", "eth.dst", "eth.dst.ig", "eth.dst.lg",
        "eth.src", "eth.src.ig", "eth.src.lg", "eth.type",
        "frame", "frame.cap_len", "frame.len", "frame.number",
        "geneve", "geneve.flags", "geneve.flags.critical", "geneve.flags.oam",
        "geneve.flags.reserved", "geneve.option", "geneve.option.class", "geneve.option.flags.reserved",
        "geneve.option.length", "geneve.option.malformed", "geneve.option.type", "geneve.option.unknown.data",
        "geneve.options", "geneve.proto_type", "geneve.reserved", "geneve.version",
        "geneve.vni", "http", "http.request.method", "http.request.uri",
        "http.request.version", "http.response.code", "http.response.phrase", "http.response.version",
        "icmp", "icmp.checksum", "icmp.checksum.status", "icmp.code",
        "icmp.ident", "icmp.ident_le", "icmp.seq", "icmp.seq_le",
        "icmp.type", "icmpv6", "icmpv6.checksum", "icmpv6.checksum.status",
        "icmpv6.code", "icmpv6.echo.identifier", "icmpv6.echo.sequence_number", "icmpv6.type",
        "ip", "ip.checksum", "ip.checksum.status", "ip.checksum_calculated",
        "ip.dsfield", "ip.dsfield.dscp", "ip.dsfield.ecn", "ip.dst",
        "ip.empty_rt", "ip.flags", "ip.flags.df", "ip.flags.mf",
        "ip.flags.rb", "ip.frag_offset", "ip.hdr_len", "ip.id",
        "ip.len", "ip.opt.flag", "ip.opt.len", "ip.opt.malformed",
        "ip.opt.overflow", "ip.opt.ptr", "ip.opt.ra", "ip.opt.time_stamp",
        "ip.opt.time_stamp_addr", "ip.opt.type", "ip.opt.type.class", "ip.opt.type.copy",
        "ip.opt.type.number", "ip.opt.unknown", "ip.options", "ip.options.eol",
        "ip.options.nop", "ip.options.record_route", "ip.options.routeralert", "ip.options.timestamp",
        "ip.proto", "ip.rec_rt", "ip.src", "ip.ttl",
        "ip.version", "ipv6", "ipv6.dst", "ipv6.dstopts",
        "ipv6.dstopts.len", "ipv6.dstopts.len_oct", "ipv6.dstopts.nxt", "ipv6.flow",
        "ipv6.fraghdr", "ipv6.fraghdr.ident", "ipv6.fraghdr.more", "ipv6.fraghdr.nxt",
        "ipv6.fraghdr.offset", "ipv6.fraghdr.reserved_bits", "ipv6.fraghdr.reserved_octet", "ipv6.hlim",
        "ipv6.hopopts", "ipv6.hopopts.len", "ipv6.hopopts.len_oct", "ipv6.hopopts.nxt",
        "ipv6.nxt", "ipv6.opt", "ipv6.opt.length", "ipv6.opt.malformed",
        "ipv6.opt.padn", "ipv6.opt.router_alert", "ipv6.opt.type", "ipv6.opt.type.action",
        "ipv6.opt.type.change", "ipv6.opt.type.rest", "ipv6.opt.unknown", "ipv6.plen",
        "ipv6.routing", "ipv6.routing.len", "ipv6.routing.nxt", "ipv6.routing.segleft",
        "ipv6.routing.type", "ipv6.src", "ipv6.tclass", "ipv6.tclass.dscp",
        "ipv6.tclass.ecn", "ipv6.version", "null", "null.family",
        "sll", "sll.etype", "sll.halen", "sll.hatype",
        "sll.ifindex", "sll.pkttype", "sll.src.eth", "sll.src.other",
        "sll.unused", "tcp", "tcp.ack", "tcp.ack_raw",
        "tcp.checksum", "tcp.checksum.status", "tcp.checksum_calculated", "tcp.dstport",
        "tcp.flags", "tcp.flags.ack", "tcp.flags.ae", "tcp.flags.cwr",
        "tcp.flags.ece", "tcp.flags.fin", "tcp.flags.push", "tcp.flags.res",
        "tcp.flags.reset", "tcp.flags.str", "tcp.flags.syn", "tcp.flags.urg",
        "tcp.hdr_len", "tcp.len", "tcp.option_kind", "tcp.option_len",
        "tcp.options", "tcp.options.eol", "tcp.options.malformed", "tcp.options.mss",
        "tcp.options.mss_val", "tcp.options.nop", "tcp.options.sack", "tcp.options.sack_le",
        "tcp.options.sack_perm", "tcp.options.sack_re", "tcp.options.timestamp", "tcp.options.timestamp.tsecr",
        "tcp.options.timestamp.tsval", "tcp.options.unknown", "tcp.options.unknown.payload", "tcp.options.wscale",
        "tcp.options.wscale.multiplier", "tcp.options.wscale.shift", "tcp.payload", "tcp.seq",
        "tcp.seq_raw", "tcp.srcport", "tcp.urgent_pointer", "tcp.window_size",
        "tcp.window_size_scalefactor", "tcp.window_size_value", "udp", "udp.checksum",
        "udp.checksum.status", "udp.checksum_calculated", "udp.dstport", "udp.length",
        "udp.payload", "udp.srcport", "vlan", "vlan.dei",
        "vlan.etype", "vlan.id", "vlan.priority", "vxlan",
        "vxlan.flag_a", "vxlan.flag_d", "vxlan.flag_g", "vxlan.flag_i",
        "vxlan.flags", "vxlan.flags_reserved", "vxlan.gbp", "vxlan.reserved8",
        "vxlan.vni",
    ]

    /// Names a filter may use: the emitted ones and the aliases.
    static let known: Set<String> = emitted.union(DisplayFilter.aliases.keys)

    /// The known names closest to `name` (edit distance, swaps counted as one, within a
    /// quarter of its length): all those at the smallest distance, at most three, sorted.
    /// - Parameters:
    ///   - name: the unknown name.
    static func closest(to name: String) -> [String] {
        let budget = max(1, name.count / 4)
        let scored = known.map { ($0, distance(Array(name.utf8), Array($0.utf8))) }.filter { $0.1 <= budget }
        guard let best = scored.map(\.1).min() else { return [] }
        return scored.filter { $0.1 == best }.map(\.0).sorted().prefix(3).map { $0 }
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// two neighbours each count one.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count), beforePrevious = previous
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            beforePrevious = previous
            previous = current
        }
        return previous[b.count]
    }

    /// The error message for an unknown name.
    /// - Parameters:
    ///   - name: the name the filter used.
    static func unknown(_ name: String) -> String {
        let close = closest(to: name)
        if !close.isEmpty {
            return "unknown field `\(name)`; did you mean " + close.map { "`\($0)`" }.joined(separator: " or ") + "?"
        }
        let protocols = Set(emitted.compactMap { $0.split(separator: ".").first.map(String.init) })
            .filter { !$0.hasPrefix("_") }.sorted()
        return "unknown field `\(name)`; labgen decodes " + protocols.joined(separator: ", ")
            + " (each field as Wireshark names it: `labgen decode --json` lists a packet's fields)"
    }
}
