import LabgenCore

/// Bytes of a capture as a page shows them. Payload bytes, field values and labels are
/// attacker-controlled text as far as the page is concerned: everything is escaped with
/// `HTMLEscaping.escape(_:apostrophe: true)`.
enum HTMLText {
    /// Two lowercase hex digits, as tcpdump and tshark print bytes.
    static func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 0x0f)]])
    }

    /// The printable-ASCII view of a byte, `.` for anything else (tcpdump `-X` style).
    static func asciiChar(_ b: UInt8) -> String {
        (0x20...0x7e).contains(b) ? HTMLEscaping.escape(String(UnicodeScalar(b)), apostrophe: true) : "."
    }
}
