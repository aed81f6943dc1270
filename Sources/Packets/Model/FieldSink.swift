/// Receives the fields of a packet in order, depth-first. Layers emit into a sink instead of
/// building a tree, so the JSON writer, the filter and the tree builder share one code path and
/// the fast ones allocate nothing per field.
public protocol FieldSink {
    /// Opens a node whose following fields are children, until the matching `close()`.
    mutating func open(_ name: StaticString, _ label: StaticString, _ value: FieldValue,
                       offset: Int, length: Int, note: FieldNote?)
    mutating func close()
    mutating func leaf(_ name: StaticString, _ label: StaticString, _ value: FieldValue,
                       offset: Int, length: Int, note: FieldNote?)
}

extension FieldSink {
    @inline(__always)
    mutating func leaf(_ name: StaticString, _ label: StaticString, _ value: FieldValue, _ offset: Int, _ length: Int) {
        leaf(name, label, value, offset: offset, length: length, note: nil)
    }
    @inline(__always)
    mutating func open(_ name: StaticString, _ label: StaticString, _ value: FieldValue, _ offset: Int, _ length: Int) {
        open(name, label, value, offset: offset, length: length, note: nil)
    }
}

/// One node of a packet's field tree, as the HTML renderer draws it.
public struct Field: Sendable, Equatable {
    /// Wireshark display-filter name (`ip.ttl`), or labgen's own in the same style (`cilium.dsr.svc_port`).
    public var name: String
    /// Human label, e.g. "Time to Live".
    public var label: String
    /// The value as tshark shows it (empty for grouping nodes).
    public var value: String
    /// Byte offset in the frame and length, for the hex view.
    public var offset: Int
    public var length: Int
    /// An explanation worth showing next to the value (bad checksum, malformed option…).
    public var note: String?
    /// The same note unformatted, for a page that words it in its own language.
    public var explanation: FieldNote?
    public var children: [Field]

    public init(name: String, label: String, value: String, offset: Int, length: Int,
                note: String? = nil, explanation: FieldNote? = nil, children: [Field] = []) {
        self.name = name
        self.label = label
        self.value = value
        self.offset = offset
        self.length = length
        self.note = note
        self.explanation = explanation
        self.children = children
    }

    /// Depth-first search by name.
    public func first(_ name: String) -> Field? {
        if self.name == name { return self }
        for c in children { if let f = c.first(name) { return f } }
        return nil
    }
}

extension Array where Element == Field {
    /// First field of that name anywhere in the forest, depth-first.
    public func first(_ name: String) -> Field? {
        for f in self { if let x = f.first(name) { return x } }
        return nil
    }

    /// Every field of that name anywhere in the forest, depth-first.
    public func all(_ name: String) -> [Field] {
        var out: [Field] = []
        func walk(_ fs: [Field]) { for f in fs { if f.name == name { out.append(f) }; walk(f.children) } }
        walk(self)
        return out
    }
}

/// Builds the `Field` tree for the API.
struct TreeBuilder: FieldSink {
    let frame: [UInt8]
    var stack: [[Field]] = [[]]
    var open: [Field] = []

    init(frame: [UInt8]) { self.frame = frame }

    mutating func open(_ name: StaticString, _ label: StaticString, _ value: FieldValue,
                       offset: Int, length: Int, note: FieldNote?) {
        open.append(Field(name: name.description, label: label.description,
                          value: value.display(frame: frame), offset: offset, length: length, note: note?.text,
                          explanation: note))
        stack.append([])
    }

    mutating func close() {
        guard var f = open.popLast(), let kids = stack.popLast() else { return }
        f.children = kids
        stack[stack.count - 1].append(f)
    }

    mutating func leaf(_ name: StaticString, _ label: StaticString, _ value: FieldValue,
                       offset: Int, length: Int, note: FieldNote?) {
        stack[stack.count - 1].append(Field(name: name.description, label: label.description,
                                            value: value.display(frame: frame), offset: offset,
                                            length: length, note: note?.text, explanation: note))
    }

    mutating func finish() -> [Field] {
        while !open.isEmpty { close() }
        return stack[0]
    }
}
