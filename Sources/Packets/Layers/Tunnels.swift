/// VXLAN header (RFC 7348); the inner Ethernet frame follows.
public struct VXLAN: Sendable {
    public var offset: Int
    public var flags: UInt16
    public var groupPolicy: UInt16
    public var vni: UInt32
    public var reserved: UInt8

    static func decode(_ b: Bytes, _ o: Int, _ end: Int) -> Step {
        guard end - o >= 8 else { return .truncated("vxlan", "need 8 bytes, have \(end - o)", at: o) }
        let l = VXLAN(offset: o, flags: b.u16(o), groupPolicy: b.u16(o + 2), vni: b.u24(o + 4), reserved: b.u8(o + 7))
        return Step(layer: .vxlan(l), next: .ethernet, offset: o + 8, end: end)
    }

    func emit<S: FieldSink>(into s: inout S) {
        let o = offset
        s.open("vxlan", "Virtual eXtensible Local Area Network", .none, o, 8)
        s.open("vxlan.flags", "Flags", .hex(UInt64(flags), digits: 4), o, 2)
        s.leaf("vxlan.flag_g", "GBP Extension", .uint(UInt64(flags >> 15)), o, 2)
        s.leaf("vxlan.flag_i", "VXLAN Network ID (VNI)", .uint(UInt64((flags >> 11) & 1)), o, 2)
        s.leaf("vxlan.flag_d", "Don't Learn", .uint(UInt64((flags >> 6) & 1)), o, 2)
        s.leaf("vxlan.flag_a", "Policy Applied", .uint(UInt64((flags >> 3) & 1)), o, 2)
        s.leaf("vxlan.flags_reserved", "Reserved", .hex(UInt64(flags & 0x77b7), digits: 4), o, 2)
        s.close()
        s.leaf("vxlan.gbp", "Group Policy ID", .uint(UInt64(groupPolicy)), o + 2, 2)
        s.leaf("vxlan.vni", "VXLAN Network Identifier (VNI)", .uint(UInt64(vni)), o + 4, 3)
        s.leaf("vxlan.reserved8", "Reserved", .uint(UInt64(reserved)), o + 7, 1)
        s.close()
    }
}

/// Geneve header (RFC 8926) with its options; Cilium's DSR option is explained.
public struct Geneve: Sendable {
    public var offset: Int
    public var versionOptionLength: UInt8
    public var flags: UInt8
    public var protocolType: UInt16
    public var vni: UInt32
    public var reserved: UInt8
    public var version: Int { Int(versionOptionLength >> 6) }
    public var optionsLength: Int { Int(versionOptionLength & 0x3f) * 4 }

    static func decode(_ b: Bytes, _ o: Int, _ end: Int) -> Step {
        guard end - o >= 8 else { return .truncated("geneve", "need 8 bytes, have \(end - o)", at: o) }
        let l = Geneve(offset: o, versionOptionLength: b.u8(o), flags: b.u8(o + 1), protocolType: b.u16(o + 2),
                       vni: b.u24(o + 4), reserved: b.u8(o + 7))
        guard end - o >= 8 + l.optionsLength else {
            return .truncated("geneve", "options need \(l.optionsLength) bytes, have \(end - o - 8)", at: o + 8,
                              partial: .geneve(l))
        }
        let next: Next
        switch l.protocolType {
        case 0x6558: next = .ethernet
        case 0x0800: next = .ipv4
        case 0x86dd: next = .ipv6
        default: next = .none
        }
        return Step(layer: .geneve(l), next: next, offset: o + 8 + l.optionsLength, end: end)
    }

    /// The Cilium DSR option, if present.
    public func dsr(frame f: [UInt8]) -> DSRExplanation? {
        var i = offset + 8
        let end = Swift.min(offset + 8 + optionsLength, f.count)
        while i + 4 <= end {
            let len = Int(f[i + 3] & 0x1f) * 4
            if f.be16(i) == CiliumDSR.geneveClass && f[i + 2] == CiliumDSR.geneveType && i + 4 + len <= end {
                return CiliumDSR.explainGeneve(frame: f, optionAt: i, dataLength: len)
            }
            i += 4 + len
        }
        return nil
    }

    func emit<S: FieldSink>(into s: inout S, frame f: [UInt8]) {
        let o = offset
        s.open("geneve", "Generic Network Virtualization Encapsulation", .none, o, 8 + optionsLength)
        s.leaf("geneve.version", "Version", .uint(UInt64(version)), o, 1)
        s.leaf("geneve.option.length", "Options length", .uint(UInt64(optionsLength)), o, 1)
        s.open("geneve.flags", "Flags", .hex(UInt64(flags), digits: 2), o + 1, 1)
        s.leaf("geneve.flags.oam", "Operations, Administration and Management Frame", .uint(UInt64(flags >> 7)), o + 1, 1)
        s.leaf("geneve.flags.critical", "Critical Options Present", .uint(UInt64((flags >> 6) & 1)), o + 1, 1)
        s.leaf("geneve.flags.reserved", "Reserved", .uint(UInt64(flags & 0x3f)), o + 1, 1)
        s.close()
        s.leaf("geneve.proto_type", "Protocol Type", .hex(UInt64(protocolType), digits: 4), o + 2, 2)
        s.leaf("geneve.vni", "Virtual Network Identifier (VNI)", .hex(UInt64(vni), digits: 6), o + 4, 3)
        s.leaf("geneve.reserved", "Reserved", .hex(UInt64(reserved), digits: 2), o + 7, 1)
        if optionsLength > 0 {
            s.open("geneve.options", "Options", .bytes(start: o + 8, count: optionsLength), o + 8, optionsLength)
            var i = o + 8
            let end = Swift.min(o + 8 + optionsLength, f.count)
            while i + 4 <= end {
                let len = Int(f[i + 3] & 0x1f) * 4
                guard i + 4 + len <= end else {
                    s.leaf("geneve.option.malformed", "Malformed option", .bytes(start: i, count: end - i),
                           offset: i, length: end - i, note: "option length runs past the header")
                    break
                }
                let cls = f.be16(i), type = f[i + 2]
                s.open("geneve.option", "Option", .bytes(start: i, count: 4 + len), i, 4 + len)
                s.leaf("geneve.option.class", "Class", .hex(UInt64(cls), digits: 4), i, 2)
                s.leaf("geneve.option.type", "Type", .hex(UInt64(type), digits: 2), i + 2, 1)
                s.leaf("geneve.option.flags.reserved", "Reserved flags", .uint(UInt64(f[i + 3] >> 5)), i + 3, 1)
                s.leaf("geneve.option.length", "Length", .uint(UInt64(len + 4)), i + 3, 1)
                if len > 0 {
                    s.leaf("geneve.option.unknown.data", "Unknown Option Data", .bytes(start: i + 4, count: len), i + 4, len)
                }
                if cls == CiliumDSR.geneveClass && type == CiliumDSR.geneveType,
                   let e = CiliumDSR.explainGeneve(frame: f, optionAt: i, dataLength: len) {
                    CiliumDSR.emitNetworkOrder(into: &s, e)
                }
                s.close()
                i += 4 + len
            }
            s.close()
        }
        s.close()
    }
}

/// The first line of an HTTP request or response, split like tshark does.
public struct HTTPFirstLine: Sendable {
    public var offset: Int
    public var length: Int
    public var isRequest: Bool
    /// Method/URI/version for a request; version/code/phrase for a response.
    public var parts: [(offset: Int, length: Int, text: String)]
    /// The first line, or nil for a continuation (body bytes of an earlier message).
    public var line: String?

    static let methods: [[UInt8]] = ["GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "]
        .map { Array($0.utf8) }

    static let httpPrefix: [UInt8] = Array("HTTP/".utf8)

    static func looksLikeHTTP(_ b: Bytes, _ o: Int, _ end: Int) -> Bool {
        func startsWith(_ p: [UInt8]) -> Bool {
            guard end - o >= p.count else { return false }
            for (k, c) in p.enumerated() where b.u8(o + k) != c { return false }
            return true
        }
        return startsWith(httpPrefix) || methods.contains(where: startsWith)
    }

    static func decode(_ b: Bytes, _ o: Int, _ end: Int) -> Step {
        // On an HTTP port, bytes that do not start a message continue an earlier one (a body).
        guard looksLikeHTTP(b, o, end) else {
            return Step(layer: .http(HTTPFirstLine(offset: o, length: end - o, isRequest: false, parts: [], line: nil)),
                        next: .none, offset: end, end: end)
        }
        var e = o
        while e < end && b.u8(e) != 0x0a { e += 1 }
        guard e < end else { return .truncated("http", "first line has no end of line", at: o) }
        let lineEnd = e > o && b.u8(e - 1) == 0x0d ? e - 1 : e
        let bytes = Array(UnsafeBufferPointer(rebasing: b.p[o ..< lineEnd]))
        let line = String(decoding: bytes, as: UTF8.self)
        // Split on the first two spaces: the third part (URI / phrase) may hold more spaces.
        var parts: [(Int, Int, String)] = []
        var start = 0
        for (k, c) in bytes.enumerated() where c == 0x20 && parts.count < 2 {
            parts.append((o + start, k - start, String(decoding: bytes[start ..< k], as: UTF8.self)))
            start = k + 1
        }
        parts.append((o + start, bytes.count - start, String(decoding: bytes[start...], as: UTF8.self)))
        let l = HTTPFirstLine(offset: o, length: e + 1 - o, isRequest: !line.hasPrefix("HTTP/"), parts: parts, line: line)
        return Step(layer: .http(l), next: .none, offset: e + 1, end: end)
    }

    func emit<S: FieldSink>(into s: inout S) {
        s.open("http", "Hypertext Transfer Protocol", .none, offset, length)
        let names: [(StaticString, StaticString)] = isRequest
            ? [("http.request.method", "Request Method"), ("http.request.uri", "Request URI"),
               ("http.request.version", "Request Version")]
            : [("http.response.version", "Response Version"), ("http.response.code", "Status Code"),
               ("http.response.phrase", "Response Phrase")]
        for (k, p) in parts.prefix(3).enumerated() {
            s.leaf(names[k].0, names[k].1, .text(p.text), p.offset, p.length)
        }
        s.close()
    }
}
