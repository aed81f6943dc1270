/// Where a trace block's packets come from: reads a capture, keeps the packets matching the
/// filter and the selection. The real one is `PacketsSource` (the Packets library); the seam
/// exists so the renderer's tests can feed crafted packets too.
public protocol PacketSource: Sendable {
    /// At most `limit` packets; more matching packets is an error (the page would be huge).
    func packets(path: String, filter: String?, selection: PacketSelection?, limit: Int) throws(PacketSourceError) -> [TracePacket]
}

public enum PacketSourceError: Error, Sendable, Equatable {
    /// The filter does not parse; `column` is 1-based within the expression when known.
    case filter(String, column: Int?)
    /// The capture cannot be read (not a pcap/pcapng, truncated header, unreadable record).
    case capture(String)
    /// More packets match than a page should embed.
    case tooMany(limit: Int)
}
