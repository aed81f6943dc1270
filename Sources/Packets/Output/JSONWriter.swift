/// Writes packets as JSON straight into a byte buffer, field by field, without building a tree.
///
/// Shape: `[{"number":1,"timestamp":"…","link_type":1,"layers":["eth",…],"summary":"…",
/// "issue":{…}?,"fields":[{"name":…,"value":…,"offset":…,"length":…,"note"?:…,"children":[…]}]}]`
///
/// A field is written with one capacity check: the fixed parts (name, punctuation, numbers,
/// fixed-width values) go to raw memory; only open-ended values (bytes, text, IPv6) and notes
/// take the slower path. This is `labgen decode --json`'s whole cost, dozens of fields a packet.
public struct JSONPacketWriter: FieldSink {
    public let buffer = ByteBuffer(capacity: 1 << 20)
    private var frame: [UInt8] = []
    private var needComma = false
    private var packets = 0

    /// Enough for a field's fixed parts besides its name: punctuation and keys (~70 bytes), two
    /// signed decimals (21 each), a fixed-width value (≤ 20) and a comma.
    private static let fixedRoom = 160

    public init() {}

    public mutating func begin() { buffer.append("[\n" as StaticString) }

    public mutating func end() { buffer.append(packets == 0 ? "]\n" as StaticString : "\n]\n") }

    public mutating func write(_ p: Packet) {
        var o = buffer.tail(reserving: 192 + 16 * p.layers.count)
        if packets > 0 { Digits.put(",\n", &o) }
        packets += 1
        frame = p.record.data
        Digits.put("{\"number\":", &o); Digits.decimal(p.number, &o)
        Digits.put(",\"timestamp\":\"", &o)
        Digits.decimal(Int(p.timestamp.seconds), &o); Digits.put(0x2e, &o)
        var d: UInt32 = 100_000_000
        while d > 0 { Digits.put(0x30 &+ UInt8(p.timestamp.nanoseconds / d % 10), &o); d /= 10 }
        Digits.put("\",\"link_type\":", &o); Digits.decimal(UInt64(p.linkType.rawValue), &o)
        Digits.put(",\"layers\":[", &o)
        for (k, l) in p.layers.enumerated() {
            if k > 0 { Digits.put(0x2c, &o) }
            Digits.put(0x22, &o); Digits.put(l.staticName, &o); Digits.put(0x22, &o)
        }
        Digits.put("],\"summary\":\"", &o)
        buffer.commit(o)
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

    /// Packets written so far.
    public var count: Int { packets }

    /// Starts over as if new (no comma before the next packet), keeping the buffer's memory.
    mutating func restart() {
        buffer.removeAll()
        packets = 0
    }

    /// Writes `{"name":…,"value":…,"offset":…,"length":…` (and the note), then `tail`.
    @inline(__always)
    private mutating func field(_ name: StaticString, _ value: FieldValue, _ offset: Int, _ length: Int,
                                _ note: FieldNote?, _ tail: StaticString) {
        var p = buffer.tail(reserving: name.utf8CodeUnitCount + JSONPacketWriter.fixedRoom)
        if needComma { Digits.put(0x2c, &p) }
        Digits.put("{\"name\":\"", &p); Digits.put(name, &p); Digits.put("\",\"value\":\"", &p)
        switch value {
        case .none: break
        case .uint(let x): Digits.decimal(x, &p)
        case .hex(let x, let d) where d <= 16: Digits.put("0x", &p); Digits.hex(x, digits: d, &p)
        case .ipv4(let a): Digits.ipv4(a, &p)
        case .mac(let m): Digits.mac(m, &p)
        default:
            buffer.commit(p)
            openEndedValue(value)
            p = buffer.tail(reserving: JSONPacketWriter.fixedRoom)
        }
        Digits.put("\",\"offset\":", &p); Digits.decimal(offset, &p)
        Digits.put(",\"length\":", &p); Digits.decimal(length, &p)
        if let note {
            buffer.commit(p)
            self.note(note)
            p = buffer.tail(reserving: 16)
        }
        Digits.put(tail, &p)
        buffer.commit(p)
    }

    private func openEndedValue(_ value: FieldValue) {
        if case .text(let t) = value { buffer.appendJSONEscaped(t) } else { buffer.append(value, frame: frame) }
    }

    private func note(_ note: FieldNote) {
        buffer.append(",\"note\":\"" as StaticString)
        if case .text(let t) = note { buffer.appendJSONEscaped(t) } else { note.write(into: buffer) }
        buffer.append(0x22)
    }

    public mutating func open(_ name: StaticString, _ label: StaticString, _ value: FieldValue,
                              offset: Int, length: Int, note: FieldNote?) {
        field(name, value, offset, length, note, ",\"children\":[")
        needComma = false
    }

    public mutating func close() {
        buffer.append("]}" as StaticString)
        needComma = true
    }

    public mutating func leaf(_ name: StaticString, _ label: StaticString, _ value: FieldValue,
                              offset: Int, length: Int, note: FieldNote?) {
        field(name, value, offset, length, note, ",\"children\":[]}")
        needComma = true
    }
}
