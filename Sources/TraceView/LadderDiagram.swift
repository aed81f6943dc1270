import LabgenCore
import Packets

/// The exchange as a ladder (sequence) diagram in inline SVG: one lane per MAC, one arrow per
/// packet. With Cilium's DSR the request and the reply do not travel between the same lanes,
/// which is the point of the lab; the DSR option also tells which node the client contacted,
/// so that leg, not in the capture, is drawn dashed.
struct LadderDiagram {
    var id: String
    var namer: LaneNamer
    /// Why there is no map, when there is none (e.g. the map file next to the capture is missing).
    var mapNote: String?
    var strings: TraceStrings = .french

    struct Arrow: Equatable {
        var from: String
        var to: String
        var title: String
        var endpoints: String
        var note: String?
        var inferred: Bool
    }

    static let laneSpacing = 270, margin = 150, headerHeight = 84, rowHeight = 74

    func render(_ packets: [TracePacket], into out: inout String) {
        let (lanes, arrows) = layout(packets)
        let missing = gaps(packets, lanes: lanes, arrows: arrows)
        guard !lanes.isEmpty else { return }
        let width = Self.margin * 2 + (lanes.count - 1) * Self.laneSpacing
        let height = Self.headerHeight + arrows.count * Self.rowHeight + 20
        let x = { (key: String) -> Int in
            Self.margin + (lanes.firstIndex { $0.key == key } ?? 0) * Self.laneSpacing
        }
        let marker = HTMLEscaping.escape(id, apostrophe: true) + "-arrow"
        out += "<figure class=\"trace-ladder\">\n"
        out += "<svg viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\""
        out += " aria-labelledby=\"\(marker)-title\">\n"
        let described = arrows.map { strings.arrowDescription($0.title, laneName($0.from, lanes), laneName($0.to, lanes)) }
        out += "<title id=\"\(marker)-title\">\(HTMLEscaping.escape(strings.exchange + described.joined(separator: strings.listSeparator), apostrophe: true))</title>\n"
        out += "<defs><marker id=\"\(marker)\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\""
        out += " markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"trace-arrowhead\"/></marker></defs>\n"
        for lane in lanes {
            let lx = x(lane.key)
            out += "<g class=\"trace-lane\"><text x=\"\(lx)\" y=\"18\" text-anchor=\"middle\" class=\"trace-lane-name\">\(HTMLEscaping.escape(lane.name, apostrophe: true))</text>\n"
            for (i, d) in lane.details.enumerated() {
                out += "<text x=\"\(lx)\" y=\"\(34 + i * 14)\" text-anchor=\"middle\" class=\"trace-lane-detail\">\(HTMLEscaping.escape(d, apostrophe: true))</text>\n"
            }
            if let role = lane.role {
                out += "<text x=\"\(lx)\" y=\"\(34 + lane.details.count * 14)\" text-anchor=\"middle\" class=\"trace-lane-role\">\(HTMLEscaping.escape(role, apostrophe: true))</text>\n"
            }
            out += "<line x1=\"\(lx)\" y1=\"\(Self.headerHeight - 8)\" x2=\"\(lx)\" y2=\"\(height - 6)\" class=\"trace-lane-line\"/></g>\n"
        }
        for (i, a) in arrows.enumerated() {
            let y = Self.headerHeight + i * Self.rowHeight + 40
            let x1 = x(a.from), x2 = x(a.to)
            let mid = (x1 + x2) / 2
            out += "<g class=\"trace-arrow\(a.inferred ? " trace-arrow-inferred" : "")\">\n"
            out += "<text x=\"\(mid)\" y=\"\(y - 22)\" text-anchor=\"middle\" class=\"trace-arrow-title\">\(HTMLEscaping.escape(a.title, apostrophe: true))</text>\n"
            out += "<text x=\"\(mid)\" y=\"\(y - 7)\" text-anchor=\"middle\" class=\"trace-arrow-label\">\(HTMLEscaping.escape(a.endpoints, apostrophe: true))</text>\n"
            if x1 == x2 {
                out += "<path d=\"M\(x1),\(y - 4) h40 v16 h-38\" class=\"trace-arrow-line\" marker-end=\"url(#\(marker))\"/>\n"
            } else {
                let end = x2 + (x2 > x1 ? -2 : 2)
                out += "<line x1=\"\(x1)\" y1=\"\(y)\" x2=\"\(end)\" y2=\"\(y)\" class=\"trace-arrow-line\" marker-end=\"url(#\(marker))\"/>\n"
            }
            if let note = a.note {
                out += "<text x=\"\(mid)\" y=\"\(y + 16)\" text-anchor=\"middle\" class=\"trace-arrow-note\">\(HTMLEscaping.escape(note, apostrophe: true))</text>\n"
            }
            out += "</g>\n"
        }
        out += "</svg>\n"
        list(arrows, lanes, into: &out)
        out += "<figcaption>\(HTMLEscaping.escape(strings.ladderCaption, apostrophe: true))"
        if arrows.contains(where: \.inferred) {
            out += HTMLEscaping.escape(strings.ladderCaptionInferred, apostrophe: true)
        }
        out += ".</figcaption>\n"
        if !missing.isEmpty {
            out += "<ul class=\"trace-ladder-gaps\" role=\"note\">\n"
            for m in missing { out += "<li>\(HTMLEscaping.escape(m, apostrophe: true))</li>\n" }
            out += "</ul>\n"
        }
        out += "</figure>\n"
    }

    /// What the ladder could not annotate, and why: an address the capture's cluster map does
    /// not name, a DSR option whose service is no node of the map. Nothing disappears silently.
    func gaps(_ packets: [TracePacket], lanes: [Lane], arrows: [Arrow]) -> [String] {
        var out: [String] = []
        guard namer.map != nil else {
            if !lanes.isEmpty {
                out.append(strings.gapNoMap(mapNote))
            }
            return out
        }
        for lane in lanes where lane.unnamed {
            out.append(strings.gapUnknownLane(lane.key))
        }
        if !arrows.contains(where: \.inferred) {
            for p in packets {
                guard let svc = p.value("cilium.dsr.svc_addr") else { continue }
                if namer.mac(forIP: svc) == nil {
                    out.append(strings.gapServiceNotNode(p.number, svc))
                } else if let client = p.value("ip.src") ?? p.value("ipv6.src"), namer.mac(forIP: client) == nil {
                    out.append(strings.gapClientUnknown(p.number, client))
                } else {
                    out.append(strings.gapNotSentByService(p.number, svc))
                }
                break
            }
        }
        return out
    }

    /// The same exchange as a list, one packet per item: what a phone shows instead of the
    /// SVG, which would shrink to unreadable text (the stylesheet picks one; never both).
    private func list(_ arrows: [Arrow], _ lanes: [Lane], into out: inout String) {
        out += "<ol class=\"trace-ladder-list\">\n"
        for a in arrows {
            out += "<li\(a.inferred ? " class=\"trace-ladder-inferred\"" : "")><strong>\(HTMLEscaping.escape(a.title, apostrophe: true))</strong> "
            out += HTMLEscaping.escape(laneName(a.from, lanes), apostrophe: true) + " → " + HTMLEscaping.escape(laneName(a.to, lanes), apostrophe: true)
            if !a.endpoints.isEmpty { out += "<br><code>\(HTMLEscaping.escape(a.endpoints, apostrophe: true))</code>" }
            if let note = a.note { out += "<span class=\"trace-ladder-note\">\(HTMLEscaping.escape(note, apostrophe: true))</span>" }
            out += "</li>\n"
        }
        out += "</ol>\n"
    }

    private func laneName(_ key: String, _ lanes: [Lane]) -> String {
        lanes.first { $0.key == key }?.name ?? key
    }

    /// Lanes and arrows, in a deterministic order: roles first (client, contacted node,
    /// backend), then the host, then endpoints in order of appearance.
    func layout(_ packets: [TracePacket]) -> ([Lane], [Arrow]) {
        var arrows: [Arrow] = []
        var appearance: [String] = []
        var roles: [String: String] = [:]
        var roleOrder: [String] = []
        func see(_ k: String) { if !appearance.contains(k) { appearance.append(k) } }
        func assign(_ k: String, _ role: String) {
            if roles[k] == nil { roles[k] = role; roleOrder.append(k) }
        }
        for p in packets {
            guard let (src, dst) = Self.endpoints(p) else { continue }
            let ipSrc = p.value("ip.src") ?? p.value("ipv6.src")
            let srcPort = p.value("tcp.srcport") ?? p.value("udp.srcport")
            // The DSR option names the service the client contacted: that leg happened before
            // this packet, from the client's lane to the contacted node's lane.
            if let svcAddr = p.value("cilium.dsr.svc_addr"), let svcPort = p.value("cilium.dsr.svc_port"),
               let client = ipSrc, let clientLane = lane(forIP: client, fallback: nil),
               let contacted = lane(forIP: svcAddr, fallback: nil), contacted == src {
                assign(clientLane, strings.roleClient)
                assign(contacted, strings.roleContacted)
                assign(dst, strings.roleBackend)
                see(clientLane); see(contacted)
                arrows.append(Arrow(from: clientLane, to: contacted, title: strings.beforeCapture,
                                    endpoints: "\(client).\(srcPort ?? "?") → \(svcAddr).\(svcPort)",
                                    note: strings.inferredNote, inferred: true))
            }
            see(src); see(dst)
            arrows.append(Arrow(from: src, to: dst, title: title(p), endpoints: Self.flow(p) ?? "",
                                note: note(p, src: src), inferred: false))
        }
        var order = roleOrder
        if let host = namer.hostMAC, appearance.contains(host), !order.contains(host) { order.append(host) }
        order += appearance.filter { !order.contains($0) }
        let lanes = order.map { key in
            let name = namer.name(for: key)
            // An unnamed lane shows its address once, as its name, and says it is unknown.
            var details: [String] = name == nil ? [strings.offTheMap] : [key]
            if key.contains(":"), key.count == 17, let ip = namer.ip(forMAC: key) { details.append(ip) }
            return Lane(key: key, name: name ?? key, details: details, role: roles[key], unnamed: name == nil)
        }
        return (lanes, arrows)
    }

    /// A lane key for an IP: the MAC facts give for it, or the IP itself.
    private func lane(forIP ip: String, fallback: String?) -> String? {
        namer.mac(forIP: ip) ?? fallback
    }

    /// When the IP source belongs (per facts) to another lane than the MAC that sent the
    /// packet, say so: that is how a DSR reply, or a forwarded request, shows.
    private func note(_ p: TracePacket, src: String) -> String? {
        guard let ip = p.value("ip.src") ?? p.value("ipv6.src"), let owner = namer.mac(forIP: ip),
              owner != src, p.value("eth.src") != nil else { return nil }
        let ownerName = namer.name(for: owner) ?? owner
        let sender = namer.name(for: src) ?? src
        return strings.sentBy(ip, ownerName, sender)
    }

    /// Layer-2 endpoints when there is Ethernet, else layer 3.
    static func endpoints(_ p: TracePacket) -> (String, String)? {
        if let s = p.value("eth.src"), let d = p.value("eth.dst") { return (s.lowercased(), d.lowercased()) }
        if let s = p.value("ip.src"), let d = p.value("ip.dst") { return (s, d) }
        if let s = p.value("ipv6.src"), let d = p.value("ipv6.dst") { return (s, d) }
        return nil
    }

    /// "n° 1 · Flags [S]" from the tcpdump line, or the top protocol when there are no flags.
    func title(_ p: TracePacket) -> String {
        if let r = p.summary.range(of: "Flags ["), let close = p.summary[r.upperBound...].firstIndex(of: "]") {
            return "\(strings.packetNumber(p.number)) · [\(p.summary[r.upperBound ..< close])]"
        }
        let top = p.fields.last?.name ?? "?"
        return "\(strings.packetNumber(p.number)) · \(top)"
    }

    /// "172.18.0.1.50074 → 10.244.3.250.8080", tcpdump's address.port notation.
    static func flow(_ p: TracePacket) -> String? {
        guard let s = p.value("ip.src") ?? p.value("ipv6.src") ?? p.value("arp.src.proto_ipv4"),
              let d = p.value("ip.dst") ?? p.value("ipv6.dst") ?? p.value("arp.dst.proto_ipv4") else { return nil }
        if let sp = p.value("tcp.srcport") ?? p.value("udp.srcport"),
           let dp = p.value("tcp.dstport") ?? p.value("udp.dstport") {
            return "\(s).\(sp) → \(d).\(dp)"
        }
        return "\(s) → \(d)"
    }
}
