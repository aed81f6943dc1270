@testable import Packets

/// Compares labgen's field trees with tshark's PDML, field by field.
enum Differential {
    /// labgen's own grouping/explanation nodes, which tshark shows without a name.
    static let ownNames: Set<String> = [
        "frame", "frame.number", "frame.len", "frame.cap_len", "ip.options", "ip.opt.unknown", "ip.opt.malformed",
        "ipv6.opt.malformed", "tcp.options.malformed", "geneve.option.malformed",
        "_ws.malformed",
    ]

    /// Fields tshark shows that labgen does not decode (yet): HTTP headers and body after the
    /// first line (labgen reads the request or status line only), and the body of IPv6's
    /// segment-routing header.
    static func notDecoded(_ name: String) -> Bool {
        (name.hasPrefix("http.") && !FieldNames.emitted.contains(name))
            || name == "ipv6.routing.len_oct" || name.hasPrefix("ipv6.routing.srh.")
    }

    /// Hidden fields of tshark that labgen offers otherwise, so every other hidden field
    /// (`ip.version` inside IPv6) must be emitted: either-side names (labgen's filter aliases),
    /// resolved names and OUIs (labgen resolves no name), hidden copies of Geneve option bits
    /// shown in `geneve.option.type` and `geneve.option.flags.reserved`.
    static let tshark: Set<String> = [
        "ip.addr", "ip.host", "ipv6.addr", "ipv6.host", "tcp.port", "udp.port", "eth.lg", "eth.ig",
        "eth.addr_resolved", "eth.addr.oui", "eth.src_resolved", "eth.src.oui", "eth.dst_resolved", "eth.dst.oui",
        "ip.src_host", "ip.dst_host", "ipv6.src_host", "ipv6.dst_host", "ip.rec_rt_host", "ip.empty_rt_host",
        "geneve.option.type.critical", "geneve.option.flags",
    ]

    static func isOwn(_ name: String) -> Bool { ownNames.contains(name) || name.hasPrefix("cilium.") }

    /// Every mismatch, as readable lines; empty when labgen agrees with tshark.
    static func mismatches(_ packets: [Packet], _ theirs: [[Oracle.TField]]) -> [String] {
        var out: [String] = []
        if packets.count != theirs.count { out.append("labgen decoded \(packets.count) packets, tshark \(theirs.count)") }
        var ourNames = Set<String>()
        for p in packets { for f in p.fields.flattened { ourNames.insert(f.name) } }
        for (p, t) in zip(packets, theirs) {
            let ours = p.fields.flattened
            for f in ours where !isOwn(f.name) {
                let cands = t.filter { $0.name == f.name && ($0.pos == f.offset || ($0.pos == -1 && f.value.isEmpty)) }
                if cands.isEmpty {
                    let elsewhere = t.filter { $0.name == f.name }.map { "\($0.pos)/\($0.size)=\($0.show)" }
                    out.append("#\(p.number) \(f.name)@\(f.offset) = '\(f.value)': not in tshark there (tshark: \(elsewhere))")
                } else if cands.contains(where: { $0.isProto || $0.pos == -1 }) {
                    continue
                } else if !cands.contains(where: { $0.show == f.value && $0.size == f.length }) {
                    out.append("#\(p.number) \(f.name)@\(f.offset) labgen '\(f.value)'/\(f.length), tshark "
                               + cands.map { "'\($0.show)'/\($0.size)" }.joined(separator: " "))
                }
            }
            // Every field tshark shows, at its position, in a layer labgen decodes in this
            // packet, whether labgen knows the name or not (`ip.version` inside IPv6 too).
            let layers = Set(p.layers.map(\.name))
            for tf in t where !tshark.contains(tf.name) && !tf.generated && tf.pos >= 0 && !tf.name.isEmpty && !isOwn(tf.name) && !notDecoded(tf.name)
                && layers.contains(String(tf.name.prefix { $0 != "." }))
                && !((tf.name.hasPrefix("data") || tf.name == "tcp.payload") && layers.contains("http"))
                && !ours.contains(where: { $0.name == tf.name && $0.offset == tf.pos }) {
                out.append("#\(p.number) tshark \(tf.name)@\(tf.pos) = '\(tf.show)' missing in labgen")
            }
            // The other way: tshark fields whose names labgen knows must be found in labgen too.
            // (HTTP bodies are left to the reader: labgen decodes the first line only.)
            for tf in t where !tf.hidden && tf.pos >= 0 && ourNames.contains(tf.name) && !isOwn(tf.name)
                && !((tf.name.hasPrefix("data") || tf.name == "tcp.payload") && p.layers.contains(where: { $0.name == "http" })) {
                if !ours.contains(where: { $0.name == tf.name && $0.offset == tf.pos }) {
                    out.append("#\(p.number) tshark \(tf.name)@\(tf.pos) = '\(tf.show)' missing in labgen")
                }
            }
        }
        return out
    }
}
