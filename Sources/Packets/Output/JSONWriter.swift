/// Writes packets as JSON straight into a byte buffer, field by field, without building a tree.
///
/// Shape: `[{"number":1,"timestamp":"…","link_type":1,"layers":["eth",…],"summary":"…",
/// "issue":{…}?,"fields":[{"name":…,"value":…,"offset":…,"length":…,"note"?:…,"children":[…]}]}]`
public struct JSONPacketWriter: FieldSink {
    public let buffer = ByteBuffer(capacity: 1 << 20)
    private var frame: [UInt8] = []
    private var needComma = false
    private var packets = 0

    public init() {}

    public mutating func begin() { buffer.append("[\n" as StaticString) }

    public mutating func end() { buffer.append(packets == 0 ? "]\n" as StaticString : "\n]\n") }

    public mutating func write(_ p: Packet) {
        if packets > 0 { buffer.append(",\n" as StaticString) }
        packets += 1
        frame = p.record.data
        buffer.append("{\"number\":" as StaticString); buffer.append(decimal: UInt64(p.number))
        buffer.append(",\"timestamp\":\"" as StaticString)
        buffer.append(decimal: Int(p.timestamp.seconds)); buffer.append(0x2e)
        var d: UInt32 = 100_000_000
        while d > 0 { buffer.append(0x30 &+ UInt8(p.timestamp.nanoseconds / d % 10)); d /= 10 }
        buffer.append("\",\"link_type\":" as StaticString); buffer.append(decimal: UInt64(p.linkType.rawValue))
        buffer.append(",\"layers\":[" as StaticString)
        for (k, l) in p.layers.enumerated() {
            if k > 0 { buffer.append(0x2c) }
            buffer.append(0x22); buffer.append(l.name); buffer.append(0x22)
        }
        buffer.append("],\"summary\":\"" as StaticString)
        let start = buffer.count
        var line = buffer
        Summary.write(p, into: &line)
        if buffer.contains(from: start, where: { $0 == 0x22 || $0 == 0x5c || $0 < 0x20 }) {
            // Rare (HTTP lines with quotes): redo the line escaped.
            let line = buffer.string(from: start)
            buffer.truncate(to: start)
            buffer.appendJSONEscaped(line)
        }
        buffer.append(0x22)
        if let i = p.issue {
            buffer.append(",\"issue\":{\"kind\":\"" as StaticString); buffer.append(i.kind.rawValue)
            buffer.append("\",\"layer\":\"" as StaticString); buffer.append(i.layer)
            buffer.append("\",\"offset\":" as StaticString); buffer.append(decimal: i.offset)
            buffer.append(",\"reason\":\"" as StaticString); buffer.appendJSONEscaped(i.reason)
            buffer.append("\"}" as StaticString)
        }
        buffer.append(",\"fields\":[" as StaticString)
        needComma = false
        p.emitFields(into: &self)
        buffer.append("]}" as StaticString)
    }

    public mutating func flush(to fd: Int32) { buffer.flush(to: fd) }

    private mutating func head(_ name: StaticString, _ value: FieldValue, _ offset: Int, _ length: Int, _ note: String?) {
        if needComma { buffer.append(0x2c) }
        buffer.append("{\"name\":\"" as StaticString); buffer.append(name)
        buffer.append("\",\"value\":\"" as StaticString)
        if case .text(let t) = value { buffer.appendJSONEscaped(t) } else { buffer.append(value, frame: frame) }
        buffer.append("\",\"offset\":" as StaticString); buffer.append(decimal: offset)
        buffer.append(",\"length\":" as StaticString); buffer.append(decimal: length)
        if let note {
            buffer.append(",\"note\":\"" as StaticString); buffer.appendJSONEscaped(note); buffer.append(0x22)
        }
    }

    public mutating func open(_ name: StaticString, _ label: StaticString, _ value: FieldValue,
                              offset: Int, length: Int, note: String?) {
        head(name, value, offset, length, note)
        buffer.append(",\"children\":[" as StaticString)
        needComma = false
    }

    public mutating func close() {
        buffer.append("]}" as StaticString)
        needComma = true
    }

    public mutating func leaf(_ name: StaticString, _ label: StaticString, _ value: FieldValue,
                              offset: Int, length: Int, note: String?) {
        head(name, value, offset, length, note)
        buffer.append(",\"children\":[]}" as StaticString)
        needComma = true
    }
}
