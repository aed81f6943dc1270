import Packets

/// One decoded packet as the page shows it: what Packets produced, nothing recomputed.
public struct TracePacket: Sendable, Equatable {
    /// Frame number in the capture file (1-based, as tcpdump and tshark count).
    public var number: Int
    /// The tcpdump `-n -e` style line.
    public var summary: String
    /// The captured bytes; every field's offset and length index into them.
    public var frame: [UInt8]
    /// The field tree, layer by layer, named with Wireshark display-filter names.
    public var fields: [Field]
    /// Why decoding stopped early (truncated/malformed, with the reason), if it did.
    public var issue: String?
    /// Cilium's DSR service annotation, if the packet carries one.
    public var dsr: DSRExplanation?

    public init(number: Int, summary: String, frame: [UInt8], fields: [Field], issue: String? = nil,
                dsr: DSRExplanation? = nil) {
        self.dsr = dsr
        self.number = number
        self.summary = summary
        self.frame = frame
        self.fields = fields
        self.issue = issue
    }

    /// The first value of a field, e.g. `eth.src`.
    func value(_ name: String) -> String? { fields.first(name)?.value }
}

/// Which fields the author asked to emphasise: a name covers itself and its sub-fields.
struct Highlights: Sendable {
    var names: [String]

    func matches(_ name: String) -> Bool {
        names.contains { name == $0 || name.hasPrefix($0 + ".") }
    }

    /// Byte indices of every highlighted field of `fields`, for the static (no-JS) emphasis.
    func byteIndices(in fields: [Field]) -> Set<Int> {
        var out: Set<Int> = []
        func walk(_ fs: [Field]) {
            for f in fs {
                if matches(f.name), f.length > 0 { out.formUnion(f.offset ..< f.offset + f.length) }
                walk(f.children)
            }
        }
        walk(fields)
        return out
    }

    /// Whether `field` or one of its descendants is highlighted (its `<details>` starts open).
    func reaches(_ field: Field) -> Bool {
        matches(field.name) || field.children.contains { reaches($0) }
    }
}
