/// One packet as stored in the capture file, before any decoding.
public struct CaptureRecord: Sendable {
    /// 1-based position in the file, as tcpdump and tshark number frames.
    public var number: Int
    public var timestamp: Timestamp
    public var linkType: LinkType
    /// The captured bytes (may be shorter than `originalLength` when a snap length was used).
    public var data: [UInt8]
    public var originalLength: Int
    /// pcapng interface index (0 for classic pcap).
    public var interface: Int
    /// Offset of the record header in the file, for error messages.
    public var fileOffset: Int

    public init(number: Int, timestamp: Timestamp, linkType: LinkType, data: [UInt8],
                originalLength: Int, interface: Int = 0, fileOffset: Int = 0) {
        self.number = number
        self.timestamp = timestamp
        self.linkType = linkType
        self.data = data
        self.originalLength = originalLength
        self.interface = interface
        self.fileOffset = fileOffset
    }
}
