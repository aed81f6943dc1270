// libFuzzer entry point for the capture reader and the decoder. Built by fuzz/run together with
// the Packets sources (one module), with -sanitize=fuzzer,address.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // As a capture file…
    var decoder = PacketDecoder()
    var out = ByteBuffer(capacity: 4096)
    var json = JSONPacketWriter()
    let filter = try? DisplayFilter("tcp.port == 80 || ip.addr == 10.0.0.0/8 || cilium.dsr")
    for record in CaptureReader(bytes: bytes) {
        let p = decoder.decode(record)
        p.writeSummary(into: &out)
        json.write(p)
        _ = p.dsr
        if let filter { _ = p.matches(filter) }
        out.removeAll()
    }
    // …and as a bare frame on every link type.
    for link in [LinkType.ethernet, .linuxCooked, .linuxCooked2, .rawIP, .null] {
        let p = decoder.decode(CaptureRecord(number: 1, timestamp: Timestamp(seconds: 0, nanoseconds: 0),
                                             linkType: link, data: bytes, originalLength: bytes.count))
        _ = p.fields
        _ = p.summary
        _ = p.dsr
    }
    return 0
}
