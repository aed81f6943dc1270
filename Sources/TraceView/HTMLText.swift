/// Escaping for everything a capture or a facts file puts on a page: payload bytes, field
/// values and labels are attacker-controlled text as far as the page is concerned.
enum HTMLText {
    /// Escapes `& < > " '` so the result is safe both as element text and inside a quoted attribute.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Two lowercase hex digits, as tcpdump and tshark print bytes.
    static func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 0x0f)]])
    }

    /// The printable-ASCII view of a byte, `.` for anything else (tcpdump `-X` style).
    static func asciiChar(_ b: UInt8) -> String {
        (0x20...0x7e).contains(b) ? escape(String(UnicodeScalar(b))) : "."
    }
}
