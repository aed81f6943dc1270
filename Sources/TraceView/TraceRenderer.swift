import LabgenCore
import Facts
import Packets

/// Draws decoded packets as one HTML fragment: the tcpdump lines, the ladder of the exchange,
/// then per packet its field tree beside its hex dump and, when it carries Cilium's DSR option,
/// the figure explaining it. Pure: same packets, block and cluster map → same bytes.
public struct TraceRenderer: Sendable {
    /// Prefix of every `id` in the fragment; must be unique on the page.
    public var id: String
    public var highlight: [String]
    /// Who was who when the capture was taken; lanes and notes are named from it only.
    public var map: Facts.CaptureMap?
    /// Why `map` is missing, when it is.
    public var mapNote: String?
    /// What to say where the packets came from (file name and filter), already plain text.
    public var source: String?
    /// The words around the values, in the course's language.
    public var strings: TraceStrings

    public init(id: String, highlight: [String] = [], map: Facts.CaptureMap? = nil, mapNote: String? = nil,
                source: String? = nil, strings: TraceStrings = .french) {
        self.id = id
        self.highlight = highlight
        self.map = map
        self.mapNote = mapNote
        self.source = source
        self.strings = strings
    }

    public func render(_ packets: [TracePacket]) -> String {
        let highlights = Highlights(names: highlight)
        let eid = HTMLEscaping.escape(id, apostrophe: true)
        var out = "<div class=\"trace\" id=\"\(eid)\">\n"
        if let source {
            out += "<p class=\"trace-source\">\(HTMLEscaping.escape(strings.source(source, packets.count), apostrophe: true))</p>\n"
        }
        out += "<pre class=\"trace-summary\" tabindex=\"0\" role=\"group\" aria-label=\"\(HTMLEscaping.escape(strings.summaryLabel, apostrophe: true))\">"
        for p in packets {
            out += "<a href=\"#\(eid)-p\(p.number)\">\(HTMLEscaping.escape(p.summary, apostrophe: true))</a>\n"
        }
        out += "</pre>\n"
        LadderDiagram(id: id, namer: LaneNamer(map: map, strings: strings), mapNote: mapNote, strings: strings).render(packets, into: &out)
        for p in packets { packet(p, highlights, into: &out) }
        out += "</div>\n"
        return out
    }

    /// The byte-by-byte figure of an option (`DSRFigure`), for an option computed rather than captured.
    /// - Parameters:
    ///   - dsr: the option, explained.
    ///   - caption: what the figure shows, plain text.
    public func figure(_ dsr: DSRExplanation, caption: String) -> String {
        var out = ""
        DSRFigure(id: "\(id)-expected-dsr", packetNumber: nil, frame: dsr.raw, ipOffset: nil, dsr: dsr, caption: caption, strings: strings)
            .render(into: &out)
        return out
    }

    private func packet(_ p: TracePacket, _ highlights: Highlights, into out: inout String) {
        let pid = "\(HTMLEscaping.escape(id, apostrophe: true))-p\(p.number)"
        out += "<section class=\"trace-packet\" id=\"\(pid)\" data-packet=\"\(p.number)\">\n"
        out += "<p class=\"trace-packet-title\">\(HTMLEscaping.escape(strings.frameTitle(p.number, p.frame.count), apostrophe: true))</p>\n"
        if let issue = p.issue {
            out += "<p class=\"trace-issue\" role=\"note\">\(HTMLEscaping.escape(strings.incomplete, apostrophe: true))\(HTMLEscaping.escape(strings.decoderText(issue), apostrophe: true))</p>\n"
        }
        out += "<div class=\"trace-cols\">\n"
        FieldTreeView(highlights: highlights, strings: strings).render(p.fields, into: &out)
        HexDumpView(strings: strings).render(p.frame, highlighted: highlights.byteIndices(in: p.fields), into: &out)
        out += "</div>\n"
        if let dsr = p.dsr {
            // The IPv4 header holding the option: the innermost one that starts before it.
            let ip = p.fields.all("ip").last(where: { $0.offset < dsr.offset })
            DSRFigure(id: "\(id)-dsr\(p.number)", packetNumber: p.number, frame: p.frame,
                      ipOffset: dsr.encoding == .ipv4Option ? ip?.offset : nil, dsr: dsr, strings: strings).render(into: &out)
        }
        out += "</section>\n"
    }
}
