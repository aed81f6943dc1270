/// A decoded packet: the capture record, its layers, and how far decoding went.
public struct Packet: Sendable {
    public var record: CaptureRecord
    public var layers: [Layer]
    /// Set when the packet was cut short or malformed; the layers before it are still there.
    public var issue: DecodeIssue?

    public var number: Int { record.number }
    public var timestamp: Timestamp { record.timestamp }
    public var linkType: LinkType { record.linkType }
    public var frame: [UInt8] { record.data }
    public var isTruncated: Bool { issue?.kind == .truncated }
    public var isMalformed: Bool { issue?.kind == .malformed }
    /// Protocol names in order, e.g. ["eth", "ip", "tcp"].
    public var layerNames: [String] { layers.map(\.name) }

    /// Emits every field in order into any sink (JSON writer, filter, tree builder).
    public func emitFields<S: FieldSink>(into s: inout S) {
        if issue != nil {
            // A partial layer may declare lengths beyond the captured bytes: clip them.
            var c = ClippingSink(inner: s, count: record.data.count)
            emitAll(into: &c)
            s = c.inner
        } else {
            emitAll(into: &s)
        }
    }

    private func emitAll<S: FieldSink>(into s: inout S) {
        let f = record.data
        s.open("frame", "Frame", .none, 0, f.count)
        s.leaf("frame.number", "Frame Number", .uint(UInt64(record.number)), 0, 0)
        s.leaf("frame.len", "Frame Length", .uint(UInt64(record.originalLength)), 0, 0)
        s.leaf("frame.cap_len", "Capture Length", .uint(UInt64(f.count)), 0, 0)
        s.close()
        for l in layers { l.emit(into: &s, frame: f) }
        if let issue {
            s.leaf("_ws.malformed", issue.kind == .truncated ? "Truncated" : "Malformed",
                   .text(issue.reason), offset: min(issue.offset, f.count), length: 0, note: .text(issue.description))
        }
    }

    /// The ordered field tree (name, label, value, offset, length, children).
    public var fields: [Field] {
        var t = TreeBuilder(frame: record.data)
        emitFields(into: &t)
        return t.finish()
    }

    /// The Cilium DSR service annotation, from an IPv4 option, IPv6 destination option or
    /// Geneve option, whichever comes first.
    public var dsr: DSRExplanation? {
        let f = record.data
        for l in layers {
            switch l {
            case .ipv4(let ip) where ip.hasOptions:
                for o in IPv4Options.list(f, start: ip.offset + 20, end: ip.offset + ip.headerLength)
                    where o.type == CiliumDSR.ipv4OptionType && o.length == 8 && !o.malformed {
                    return CiliumDSR.explainIPv4(frame: f, at: o.offset)
                }
            case .ipv6(let ip):
                for e in ip.extensions { if let d = e.dsr(frame: f) { return d } }
            case .geneve(let g):
                if let d = g.dsr(frame: f) { return d }
            default: continue
            }
        }
        return nil
    }

    /// Appends the summary line (no newline) to a buffer: the fast path of `labgen decode`.
    public func writeSummary(into b: inout ByteBuffer) { Summary.write(self, into: &b) }

    public var summary: String {
        var b = ByteBuffer(capacity: 160)
        Summary.write(self, into: &b)
        return b.string
    }

    /// Evaluates a display filter on this packet.
    public func matches(_ filter: DisplayFilter) -> Bool { filter.matches(self) }
}

/// Decodes records one after another, keeping the TCP state relative sequence numbers need.
public struct PacketDecoder: Sendable {
    private var tcp = TCPConversations()

    public init() {}

    public mutating func decode(_ record: CaptureRecord) -> Packet {
        let (layers, issue) = Dissector.dissect(record.data, linkType: record.linkType, tcpState: &tcp)
        return Packet(record: record, layers: layers, issue: issue)
    }

    /// Reads and decodes a whole capture file (for pages, which show a few packets; the CLI streams).
    public static func decodeFile(_ path: String) throws -> [Packet] {
        let reader = try CaptureReader(path: path)
        var d = PacketDecoder()
        var out: [Packet] = []
        for r in reader { out.append(d.decode(r)) }
        if let e = reader.error { throw e }
        return out
    }
}

/// Keeps every field's range inside the captured bytes.
struct ClippingSink<Inner: FieldSink>: FieldSink {
    var inner: Inner
    let count: Int

    private func clip(_ offset: Int, _ length: Int) -> (Int, Int) {
        let o = Swift.min(Swift.max(offset, 0), count)
        return (o, Swift.max(0, Swift.min(length, count - o)))
    }

    private func clip(_ v: FieldValue) -> FieldValue {
        if case .bytes(let s, let c) = v { let (o, l) = clip(s, c); return .bytes(start: o, count: l) }
        return v
    }

    mutating func open(_ name: StaticString, _ label: StaticString, _ value: FieldValue, offset: Int, length: Int, note: FieldNote?) {
        let (o, l) = clip(offset, length)
        inner.open(name, label, clip(value), offset: o, length: l, note: note)
    }

    mutating func close() { inner.close() }

    mutating func leaf(_ name: StaticString, _ label: StaticString, _ value: FieldValue, offset: Int, length: Int, note: FieldNote?) {
        let (o, l) = clip(offset, length)
        inner.leaf(name, label, clip(value), offset: o, length: l, note: note)
    }
}
