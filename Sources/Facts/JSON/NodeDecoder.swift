import LabgenCore

/// Decodes any `Decodable` from a `JSONNode`, with two things JSONDecoder cannot give:
/// errors at the line and column of the offending value, and the set of keys the type
/// actually asked for in each object, so unknown keys are reported (strict facts) without
/// keeping a second, hand-written list of fields that would drift from the model.
struct NodeDecoding {
    /// Keys requested per object (by the object's location), and objects read as open maps.
    final class Recorder {
        var requested: [SourcePosition: Set<String>] = [:]
        var open: Set<SourcePosition> = []
        /// Objects whose type finished decoding: only there is the set of requested keys
        /// complete, so only there can a key be called unknown.
        var completed: Set<SourcePosition> = []
    }

    let file: String
    let recorder = Recorder()

    init(file: String) { self.file = file }

    func decode<T: Decodable>(_ type: T.Type, from node: JSONNode) throws -> T {
        try NodeDecoder(node: node, path: [], context: self).decode(T.self)
    }

    /// Every key that no decoder asked for, with the keys that would have been accepted.
    func unknownKeys(in root: JSONNode) -> [Diagnostic] {
        var found: [Diagnostic] = []
        func walk(_ node: JSONNode) {
            switch node.kind {
            case .object(let members):
                if let known = recorder.requested[node.location], recorder.completed.contains(node.location),
                   !recorder.open.contains(node.location) {
                    for m in members where !known.contains(m.key) {
                        let list = known.sorted().map { "`\($0)`" }.joined(separator: ", ")
                        let close = Suggestion.closest(to: m.key, among: Array(known))
                        let hint = close.isEmpty ? "" : "did you mean `\(close[0])`? "
                        found.append(Diagnostic(file: file, m.keyLocation,
                                                "unknown key \"\(m.key)\"; \(hint)known keys here: \(list)"))
                    }
                }
                members.forEach { walk($0.value) }
            case .array(let items): items.forEach(walk)
            default: break
            }
        }
        walk(root)
        return found
    }

    func mismatch(_ node: JSONNode, expected: String, path: [CodingKey]) -> Diagnostic {
        Diagnostic(file: file, node.location, "\(Self.describe(path)): expected \(expected), found \(node.typeName)")
    }

    static func describe(_ path: [CodingKey]) -> String {
        var s = ""
        for key in path {
            if let i = key.intValue { s += "[\(i)]" } else { s += (s.isEmpty ? "" : ".") + key.stringValue }
        }
        return s.isEmpty ? "document" : s
    }
}

private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String
    init(_ i: Int) { intValue = i; stringValue = String(i) }
    init?(intValue: Int) { self.init(intValue) }
    init?(stringValue: String) { return nil }
}

private struct NodeDecoder: Decoder {
    let node: JSONNode
    let path: [CodingKey]
    let context: NodeDecoding
    var codingPath: [CodingKey] { path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try T(from: self)
        context.recorder.completed.insert(node.location)
        return value
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = node.kind else {
            throw context.mismatch(node, expected: "an object", path: path)
        }
        var byKey: [String: JSONNode] = [:]
        for m in members where byKey[m.key] == nil { byKey[m.key] = m.value }
        context.recorder.requested[node.location, default: []].formUnion([])
        return KeyedDecodingContainer(KeyedContainer<Key>(object: node, members: byKey, path: path, context: context))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .array(let items) = node.kind else {
            throw context.mismatch(node, expected: "an array", path: path)
        }
        return UnkeyedContainer(array: node, items: items, path: path, context: context)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        SingleContainer(node: node, path: path, context: context)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: JSONNode
    let members: [String: JSONNode]
    let path: [CodingKey]
    let context: NodeDecoding
    var codingPath: [CodingKey] { path }

    var allKeys: [Key] {
        context.recorder.open.insert(object.location)
        return members.keys.sorted().compactMap { Key(stringValue: $0) }
    }

    private func note(_ key: Key) { context.recorder.requested[object.location, default: []].insert(key.stringValue) }

    func contains(_ key: Key) -> Bool {
        note(key)
        return members[key.stringValue] != nil
    }

    private func child(_ key: Key) throws -> NodeDecoder {
        note(key)
        guard let value = members[key.stringValue] else {
            throw Diagnostic(file: context.file, object.location,
                             "\(NodeDecoding.describe(path)): missing key \"\(key.stringValue)\"")
        }
        return NodeDecoder(node: value, path: path + [key], context: context)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        note(key)
        guard let value = members[key.stringValue] else { return true }
        return value.kind == .null
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decode(T.self) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try Bool(from: child(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try String(from: child(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try Double(from: child(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try Float(from: child(key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try Int(from: child(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try Int8(from: child(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try Int16(from: child(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try Int32(from: child(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try Int64(from: child(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try UInt(from: child(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try UInt8(from: child(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try UInt16(from: child(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try UInt32(from: child(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try UInt64(from: child(key)) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }
    func superDecoder() throws -> Decoder { NodeDecoder(node: object, path: path, context: context) }
    func superDecoder(forKey key: Key) throws -> Decoder { try child(key) }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let array: JSONNode
    let items: [JSONNode]
    let path: [CodingKey]
    let context: NodeDecoding
    var currentIndex = 0
    var codingPath: [CodingKey] { path }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> NodeDecoder {
        guard !isAtEnd else {
            throw Diagnostic(file: context.file, array.location, "\(NodeDecoding.describe(path)): too few items")
        }
        defer { currentIndex += 1 }
        return NodeDecoder(node: items[currentIndex], path: path + [IndexKey(currentIndex)], context: context)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].kind == .null else { return false }
        currentIndex += 1
        return true
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(T.self) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> Decoder { try next() }
}

private struct SingleContainer: SingleValueDecodingContainer {
    let node: JSONNode
    let path: [CodingKey]
    let context: NodeDecoding
    var codingPath: [CodingKey] { path }

    func decodeNil() -> Bool { node.kind == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = node.kind else { throw context.mismatch(node, expected: "true or false", path: path) }
        return b
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let s) = node.kind else { throw context.mismatch(node, expected: "a string", path: path) }
        return s
    }

    private func floating<F: BinaryFloatingPoint & LosslessStringConvertible>(_ type: F.Type) throws -> F {
        guard case .number(let text) = node.kind, let v = F(text) else {
            throw context.mismatch(node, expected: "a number", path: path)
        }
        return v
    }

    private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        guard case .number(let text) = node.kind else {
            throw context.mismatch(node, expected: "an integer", path: path)
        }
        guard let v = I(text) else {
            throw Diagnostic(file: context.file, node.location,
                             "\(NodeDecoding.describe(path)): expected an integer in \(I.min)…\(I.max), found \(text)")
        }
        return v
    }

    func decode(_ type: Double.Type) throws -> Double { try floating(type) }
    func decode(_ type: Float.Type) throws -> Float { try floating(type) }
    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: NodeDecoder(node: node, path: path, context: context))
    }
}
