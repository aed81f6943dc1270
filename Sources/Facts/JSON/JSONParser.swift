import LabgenCore
import Foundation

/// A strict RFC 8259 JSON parser that records the line and column of every value and key.
///
/// Foundation's JSONSerialization reports errors by byte offset at best and forgets where
/// values were; facts files are hand-edited by instructors, so every error must say where.
public struct JSONParser {
    private let bytes: [UInt8]
    private let file: String
    private var offset = 0
    private var line = 1
    private var lineStart = 0
    /// Deep nesting is not a facts file; stop before the stack does.
    private var depth = 0
    private static let maxDepth = 256

    public init(_ bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    /// Parses one JSON document (a UTF-8 byte order mark is tolerated).
    public static func parse(_ bytes: [UInt8], file: String) throws(Diagnostic) -> JSONNode {
        var parser = JSONParser(bytes, file: file)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.offset = 3; parser.lineStart = 3 }
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.offset < bytes.count {
            throw parser.error("unexpected \(parser.describeCurrent()) after the JSON document")
        }
        return value
    }

    private var location: SourcePosition {
        SourcePosition(line: line, column: SourcePosition.column(in: bytes, lineStart: lineStart, offset: offset))
    }

    private func error(_ message: String, at location: SourcePosition? = nil) -> Diagnostic {
        Diagnostic(file: file, location ?? self.location, message)
    }

    private func describeCurrent() -> String {
        guard offset < bytes.count else { return "end of file" }
        let b = bytes[offset]
        if b >= 0x21 && b < 0x7F { return "`\(Character(UnicodeScalar(b)))`" }
        return String(format: "byte 0x%02X", b)
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0D: offset += 1
            case 0x0A: offset += 1; line += 1; lineStart = offset
            default: return
            }
        }
    }

    private mutating func parseValue() throws(Diagnostic) -> JSONNode {
        let start = location
        guard offset < bytes.count else { throw error("expected a value, found end of file") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return JSONNode(kind: .string(try parseString()), location: start)
        case UInt8(ascii: "t"): try literal("true"); return JSONNode(kind: .bool(true), location: start)
        case UInt8(ascii: "f"): try literal("false"); return JSONNode(kind: .bool(false), location: start)
        case UInt8(ascii: "n"): try literal("null"); return JSONNode(kind: .null, location: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(kind: .number(try parseNumber()), location: start)
        default:
            throw error("expected a value, found \(describeCurrent())")
        }
    }

    private mutating func literal(_ word: String) throws(Diagnostic) {
        let w = Array(word.utf8)
        guard bytes.count - offset >= w.count, Array(bytes[offset..<offset + w.count]) == w else {
            throw error("expected a value, found \(describeCurrent())")
        }
        offset += w.count
    }

    private mutating func enter() throws(Diagnostic) {
        depth += 1
        if depth > Self.maxDepth { throw error("nesting deeper than \(Self.maxDepth) levels") }
    }

    private mutating func parseObject() throws(Diagnostic) -> JSONNode {
        let start = location
        try enter()
        offset += 1
        var members: [JSONNode.Member] = []
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
            offset += 1; depth -= 1
            return JSONNode(kind: .object(members), location: start)
        }
        while true {
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
                throw error("expected a key (a string in double quotes), found \(describeCurrent())")
            }
            let keyLocation = location
            let key = try parseString()
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
                throw error("expected `:` after key \"\(key)\", found \(describeCurrent())")
            }
            offset += 1
            skipWhitespace()
            let value = try parseValue()
            members.append(.init(key: key, keyLocation: keyLocation, value: value))
            skipWhitespace()
            guard offset < bytes.count else { throw error("unterminated object (opened at \(start))") }
            if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
            if bytes[offset] == UInt8(ascii: "}") { offset += 1; break }
            throw error("expected `,` or `}` in object, found \(describeCurrent())")
        }
        depth -= 1
        return JSONNode(kind: .object(members), location: start)
    }

    private mutating func parseArray() throws(Diagnostic) -> JSONNode {
        let start = location
        try enter()
        offset += 1
        var items: [JSONNode] = []
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
            offset += 1; depth -= 1
            return JSONNode(kind: .array(items), location: start)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            guard offset < bytes.count else { throw error("unterminated array (opened at \(start))") }
            if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
            if bytes[offset] == UInt8(ascii: "]") { offset += 1; break }
            throw error("expected `,` or `]` in array, found \(describeCurrent())")
        }
        depth -= 1
        return JSONNode(kind: .array(items), location: start)
    }

    private mutating func parseNumber() throws(Diagnostic) -> String {
        let start = offset
        func digits() -> Int {
            let s = offset
            while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) { offset += 1 }
            return offset - s
        }
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        let intStart = offset
        let n = digits()
        if n == 0 { throw error("expected a digit, found \(describeCurrent())") }
        if n > 1, bytes[intStart] == UInt8(ascii: "0") {
            throw error("numbers cannot have leading zeros", at: SourcePosition(line: line, column: intStart - lineStart + 1))
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            if digits() == 0 { throw error("expected a digit after `.`, found \(describeCurrent())") }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            if digits() == 0 { throw error("expected a digit in the exponent, found \(describeCurrent())") }
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    private mutating func parseString() throws(Diagnostic) -> String {
        let start = location
        offset += 1
        var out: [UInt8] = []
        while true {
            guard offset < bytes.count else { throw error("unterminated string (opened at \(start))", at: start) }
            let b = bytes[offset]
            switch b {
            case UInt8(ascii: "\""):
                offset += 1
                guard let s = String(validating: out, as: UTF8.self) else {
                    throw error("string is not valid UTF-8", at: start)
                }
                return s
            case UInt8(ascii: "\\"):
                offset += 1
                guard offset < bytes.count else { continue }
                let e = bytes[offset]
                offset += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard bytes.count - offset >= 6, bytes[offset] == UInt8(ascii: "\\"),
                              bytes[offset + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired UTF-16 surrogate in \\u escape")
                        }
                        offset += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired UTF-16 surrogate in \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw error("unpaired UTF-16 surrogate in \\u escape")
                    }
                    out.append(contentsOf: Array(String(Character(UnicodeScalar(scalar)!)).utf8))
                default:
                    offset -= 1
                    throw error("invalid escape `\\\(Character(UnicodeScalar(e)))` in string")
                }
            case 0x0A:
                throw error("unterminated string (a newline must be written \\n)", at: start)
            case 0x00..<0x20:
                throw error(String(format: "control character 0x%02X in string (escape it)", b))
            default:
                out.append(b)
                offset += 1
            }
        }
    }

    private mutating func hex4() throws(Diagnostic) -> UInt32 {
        guard bytes.count - offset >= 4 else { throw error("expected 4 hex digits after \\u") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[offset]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("expected 4 hex digits after \\u")
            }
            v = v * 16 + d
            offset += 1
        }
        return v
    }
}
