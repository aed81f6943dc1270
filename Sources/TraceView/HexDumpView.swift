import LabgenCore
/// Hex + ASCII dump of a frame, one `<span data-i>` per byte in both columns so the script can
/// join bytes and fields; bytes of highlighted fields are marked here already, so the emphasis
/// shows without the script.
struct HexDumpView {
    static let bytesPerRow = 16
    var strings: TraceStrings

    func render(_ frame: [UInt8], highlighted: Set<Int>, into out: inout String) {
        // Not focusable itself: one byte at a time is (a roving tabindex, see trace.js), and
        // focusing a byte scrolls the dump to it.
        out += "<div class=\"trace-hex\">"
        out += "<pre role=\"group\" aria-label=\"\(HTMLEscaping.escape(strings.hexLabel, apostrophe: true))\">"
        var row = 0
        while row < frame.count {
            let end = min(row + Self.bytesPerRow, frame.count)
            out += "<span class=\"trace-off\">\(Self.offset(row))</span>  "
            for i in row ..< row + Self.bytesPerRow {
                if i == row + 8 { out += " " }
                if i < end {
                    out += "<span\(cls(i, highlighted)) data-i=\"\(i)\"\(i == 0 ? " tabindex=\"0\"" : "")>"
                    out += HTMLText.hex2(frame[i]) + "</span>"
                } else {
                    out += "  "
                }
                if i + 1 < row + Self.bytesPerRow { out += " " }
            }
            out += "   <span class=\"trace-ascii\">"
            for i in row ..< end {
                out += "<span\(cls(i, highlighted)) data-i=\"\(i)\">\(HTMLText.asciiChar(frame[i]))</span>"
            }
            out += "</span>\n"
            row += Self.bytesPerRow
        }
        out += "</pre></div>\n"
    }

    private func cls(_ i: Int, _ highlighted: Set<Int>) -> String {
        highlighted.contains(i) ? " class=\"trace-hl\"" : ""
    }

    /// Four hex digits like tshark (`0000`, `0010`), more for frames past 64 KiB.
    static func offset(_ n: Int) -> String {
        let s = String(n, radix: 16)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}
