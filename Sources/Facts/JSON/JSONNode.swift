import LabgenCore

/// A JSON value that remembers where it was written, so facts errors can point at the
/// offending value or key (`facts.json:12:15: error: …`) rather than at a coding path.
public struct JSONNode: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case object([Member])
        case array([JSONNode])
        case string(String)
        /// Kept as written; the decoder converts it to the requested numeric type.
        case number(String)
        case bool(Bool)
        case null
    }

    public struct Member: Sendable, Equatable {
        public var key: String
        public var keyLocation: SourcePosition
        public var value: JSONNode
    }

    public var kind: Kind
    public var location: SourcePosition

    /// The value of `key` in an object (the first one if the key is repeated).
    public subscript(key: String) -> JSONNode? {
        guard case .object(let members) = kind else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var stringValue: String? {
        if case .string(let s) = kind { return s }
        return nil
    }

    /// What a human calls this kind of value, for error messages.
    var typeName: String {
        switch kind {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}
