/// Byte classes shared by the lexers.
enum Bytes {
    static let newline = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")
    static let hash = UInt8(ascii: "#")
    static let slash = UInt8(ascii: "/")
    static let star = UInt8(ascii: "*")
    static let dollar = UInt8(ascii: "$")
    static let colon = UInt8(ascii: ":")
    static let dash = UInt8(ascii: "-")

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == space || c == tab || c == 13 }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    @inline(__always) static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
    /// Letters, digits, `_`, and any non-ASCII byte (so identifiers keep whole characters).
    @inline(__always) static func isIdent(_ c: UInt8) -> Bool { isLetter(c) || isDigit(c) || c == 95 || c >= 0x80 }

    /// The end of the line starting at or after `i` (index of the `\n`, or `end`).
    @inline(__always) static func lineEnd(_ b: [UInt8], _ i: Int, _ end: Int) -> Int {
        var j = i
        while j < end && b[j] != newline { j += 1 }
        return j
    }

    /// Index after a quoted string starting at `i` (on the opening quote); `\` escapes when asked.
    static func stringEnd(_ b: [UInt8], _ i: Int, _ end: Int, quote: UInt8, escapes: Bool, multiline: Bool = true) -> Int {
        var j = i + 1
        while j < end {
            let c = b[j]
            if escapes && c == backslash { j += 2; continue }
            if c == quote { return j + 1 }
            if !multiline && c == newline { return j }
            j += 1
        }
        return end
    }

    static func words(_ list: [String]) -> Set<ArraySlice<UInt8>> {
        Set(list.map { ArraySlice(Array($0.utf8)) })
    }
}
