import Packets

/// The real `PacketSource`: streams the capture through Packets' reader and decoder, so only
/// the selected packets are kept in memory whatever the file's size.
public struct PacketsSource: PacketSource {
    public init() {}

    public func packets(path: String, filter: String?, selection: PacketSelection?,
                        limit: Int) throws(PacketSourceError) -> [TracePacket] {
        var compiled: DisplayFilter?
        if let filter {
            do { compiled = try DisplayFilter(filter) } catch { throw .filter(error.message, column: error.column) }
        }
        let reader: CaptureReader
        do { reader = try CaptureReader(path: path) } catch { throw .capture(error.reason) }
        // Every packet is decoded, selected or not: relative TCP sequence numbers need the
        // conversation from its start, as tcpdump sees it.
        var decoder = PacketDecoder()
        var out: [TracePacket] = []
        for record in reader {
            if let selection, record.number > selection.last { break }
            let packet = decoder.decode(record)
            if let selection, !selection.contains(packet.number) { continue }
            if let compiled, !packet.matches(compiled) { continue }
            if out.count == limit { throw .tooMany(limit: limit) }
            out.append(TracePacket(packet))
        }
        if let error = reader.error { throw .capture(error.description) }
        return out
    }
}

extension TracePacket {
    /// The page's view of a decoded packet.
    public init(_ packet: Packet) {
        self.init(number: packet.number, summary: packet.summary, frame: packet.frame,
                  fields: packet.fields, issue: packet.issue?.description, dsr: packet.dsr)
    }
}
