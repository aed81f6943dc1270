import LabgenCore
import Packets

/// The figure that replaces the seed's three screenshots (IPOption.png, zoom.png,
/// hex2dec.png), drawn from the packet's own bytes: the IPv4 header with Cilium's option
/// marked, the byte swap of the port and the address, and the hex → decimal conversions.
struct DSRFigure {
    var id: String
    /// The frame holding the option; nil for an option computed from facts.
    var packetNumber: Int?
    var frame: [UInt8]
    /// Where the IPv4 header carrying the option starts in the frame (IPv4 option only).
    var ipOffset: Int?
    var dsr: DSRExplanation
    /// The caption's text when not the captured frame's (plain text).
    var caption: String? = nil
    var strings: TraceStrings = .french

    func render(into out: inout String) {
        let o = dsr.offset
        out += "<figure class=\"trace-dsr\" id=\"\(HTMLEscaping.escape(id, apostrophe: true))\""
        out += " data-offset=\"\(o)\" data-length=\"\(dsr.raw.count)\">\n"
        let lead = caption ?? strings.dsrCaption(packetNumber ?? 0, o, o + dsr.raw.count - 1)
        out += "<figcaption>" + HTMLEscaping.escape(lead + strings.colon, apostrophe: true) + " \(HTMLEscaping.escape(strings.service, apostrophe: true)) <strong>"
        out += HTMLEscaping.escape(dsr.service, apostrophe: true) + "</strong></figcaption>\n"
        var step = 1
        if let ipOffset, ipOffset < frame.count, frame[ipOffset] >> 4 == 4 {
            header(ipOffset, step: step, into: &out)
            step += 1
        }
        swap(step: step, into: &out)
        decimal(step: step + 1, into: &out)
        out += "</figure>\n"
    }

    // MARK: 1. The IPv4 header, 32 bits per row, the option's parts marked.

    private struct Segment {
        var start: Int
        var length: Int
        var label: String
        var kind: String
    }

    private func segments(_ ip: Int, headerLength: Int) -> [Segment] {
        var s: [Segment] = [
            Segment(start: ip, length: 1, label: strings.segmentVersion, kind: "base"),
            Segment(start: ip + 1, length: 1, label: strings.segmentDSCP, kind: "base"),
            Segment(start: ip + 2, length: 2, label: strings.segmentLength, kind: "base"),
            Segment(start: ip + 4, length: 2, label: strings.segmentID, kind: "base"),
            Segment(start: ip + 6, length: 2, label: strings.segmentFlags, kind: "base"),
            Segment(start: ip + 8, length: 1, label: strings.segmentTTL, kind: "base"),
            Segment(start: ip + 9, length: 1, label: strings.segmentProtocol, kind: "base"),
            Segment(start: ip + 10, length: 2, label: strings.segmentChecksum, kind: "base"),
            Segment(start: ip + 12, length: 4, label: strings.segmentSource, kind: "base"),
            Segment(start: ip + 16, length: 4, label: strings.segmentDestination, kind: "base"),
        ]
        let o = dsr.offset
        if o > ip + 20 { s.append(Segment(start: ip + 20, length: o - ip - 20, label: strings.segmentOther, kind: "other")) }
        s.append(Segment(start: o, length: 1, label: "\(strings.optionType) 0x\(HTMLText.hex2(dsr.raw[0])) (\(dsr.raw[0]))", kind: "type"))
        s.append(Segment(start: o + 1, length: 1, label: "\(strings.optionLength) \(dsr.raw[1])", kind: "len"))
        s.append(Segment(start: dsr.portOffset, length: 2, label: strings.servicePort, kind: "port"))
        s.append(Segment(start: dsr.addressOffset, length: dsr.addressWire.count, label: strings.serviceAddress, kind: "addr"))
        let end = o + dsr.raw.count
        if end < ip + headerLength {
            s.append(Segment(start: end, length: ip + headerLength - end, label: strings.segmentOther, kind: "other"))
        }
        return s
    }

    private func header(_ ipOffset: Int, step: Int, into out: inout String) {
        let headerLength = Int(frame[ipOffset] & 0x0f) * 4
        out += "<div class=\"trace-dsr-part\"><p class=\"trace-dsr-step\">"
        out += HTMLEscaping.escape(strings.headerStep(step, headerLength / 4, headerLength, dsr.raw.count), apostrophe: true) + "</p>\n"
        out += "<div class=\"trace-ipgrid\" role=\"table\" aria-label=\"\(HTMLEscaping.escape(strings.gridLabel, apostrophe: true))\">\n"
        // Cut segments at 32-bit row boundaries so each row of the grid is one word, and
        // one ARIA row.
        var row = -1
        for seg in segments(ipOffset, headerLength: headerLength) {
            var start = seg.start
            let end = min(seg.start + seg.length, frame.count)
            while start < end {
                let rowIndex = (start - ipOffset) / 4
                if rowIndex != row {
                    if row >= 0 { out += "</div>\n" }
                    out += "<div class=\"trace-iprow\" role=\"row\">\n"
                    row = rowIndex
                }
                let rowEnd = ipOffset + (rowIndex + 1) * 4
                let pieceEnd = min(end, rowEnd)
                let bytes = (start ..< pieceEnd).map { HTMLText.hex2(frame[$0]) }.joined(separator: " ")
                out += "<div class=\"trace-cell trace-cell-\(seg.kind)\" style=\"grid-column: span \(pieceEnd - start)\""
                out += " data-offset=\"\(start)\" data-length=\"\(pieceEnd - start)\" role=\"cell\">"
                out += "<span class=\"trace-cell-label\">\(HTMLEscaping.escape(seg.label, apostrophe: true))</span>"
                out += "<code>\(bytes)</code></div>\n"
                start = pieceEnd
            }
        }
        if row >= 0 { out += "</div>\n" }
        out += "</div></div>\n"
    }

    // MARK: 2. The swap: bytes on the wire, and the same bytes put back in network order.

    private func swap(step: Int, into out: inout String) {
        out += "<div class=\"trace-dsr-part\"><p class=\"trace-dsr-step\">\(step). "
        out += (dsr.byteSwapped ? strings.swapStep : HTMLEscaping.escape(strings.noSwapStep, apostrophe: true)) + "</p>\n"
        let box = 34, step = 40, left = 112, groupGap = 40
        let portX = left
        let addrX = left + dsr.portWire.count * step + groupGap
        let width = addrX + dsr.addressWire.count * step + 8
        let wireY = 26, fixedY = 104, h = 26
        out += "<svg class=\"trace-swap\" viewBox=\"0 0 \(width) 166\" width=\"\(width)\" height=\"166\""
        var label = strings.swapLabel(hex(dsr.portWire), hex(dsr.addressWire))
        if dsr.byteSwapped { label += strings.swapLabelSwapped(hex(dsr.portBytes), hex(dsr.addressBytes)) }
        out += " role=\"img\" aria-label=\"\(HTMLEscaping.escape(label, apostrophe: true))\">\n"
        out += "<text x=\"0\" y=\"\(wireY + 18)\" class=\"trace-svg-label\">\(HTMLEscaping.escape(strings.onTheWire, apostrophe: true))</text>\n"
        out += "<text x=\"0\" y=\"\(fixedY + 18)\" class=\"trace-svg-label\">\(HTMLEscaping.escape(dsr.byteSwapped ? strings.putBack : strings.value, apostrophe: true))</text>\n"
        func group(_ x: Int, _ wire: [UInt8], _ fixed: [UInt8], _ offset: Int, _ title: String, _ result: String, _ kind: String) {
            let center = x + (wire.count * step - (step - box)) / 2
            out += "<g class=\"trace-swap-\(kind)\" data-offset=\"\(offset)\" data-length=\"\(wire.count)\">\n"
            out += "<text x=\"\(center)\" y=\"14\" text-anchor=\"middle\" class=\"trace-svg-label\">\(title)</text>\n"
            for (i, b) in wire.enumerated() {
                let bx = x + i * step
                // Swapped: the i-th byte on the wire is the (n-1-i)-th once put back.
                let j = dsr.byteSwapped ? wire.count - 1 - i : i
                let tx = x + j * step
                out += "<rect x=\"\(bx)\" y=\"\(wireY)\" width=\"\(box)\" height=\"\(h)\" rx=\"3\" class=\"trace-byte\"><title>\(HTMLEscaping.escape(strings.byteTitle(offset + i), apostrophe: true))</title></rect>"
                out += "<text x=\"\(bx + box / 2)\" y=\"\(wireY + 18)\" text-anchor=\"middle\" class=\"trace-svg-hex\">\(HTMLText.hex2(b))</text>\n"
                out += "<line x1=\"\(bx + box / 2)\" y1=\"\(wireY + h)\" x2=\"\(tx + box / 2)\" y2=\"\(fixedY)\" class=\"trace-swap-line\"/>\n"
            }
            for (i, b) in fixed.enumerated() {
                let bx = x + i * step
                out += "<rect x=\"\(bx)\" y=\"\(fixedY)\" width=\"\(box)\" height=\"\(h)\" rx=\"3\" class=\"trace-byte trace-byte-fixed\"/>"
                out += "<text x=\"\(bx + box / 2)\" y=\"\(fixedY + 18)\" text-anchor=\"middle\" class=\"trace-svg-hex\">\(HTMLText.hex2(b))</text>\n"
            }
            out += "<text x=\"\(center)\" y=\"158\" text-anchor=\"middle\" class=\"trace-svg-result\">\(HTMLEscaping.escape(result, apostrophe: true))</text>\n"
            out += "</g>\n"
        }
        group(portX, dsr.portWire, dsr.portBytes, dsr.portOffset, HTMLEscaping.escape(strings.portWord, apostrophe: true), "\(dsr.portHex) = \(dsr.port)", "port")
        group(addrX, dsr.addressWire, dsr.addressBytes, dsr.addressOffset, HTMLEscaping.escape(strings.addressWord, apostrophe: true), dsr.address, "addr")
        out += "</svg></div>\n"
    }

    // MARK: 3. Hex → decimal, digit by digit.

    private func decimal(step: Int, into out: inout String) {
        out += "<div class=\"trace-dsr-part\"><p class=\"trace-dsr-step\">\(HTMLEscaping.escape(strings.decimalStep(step), apostrophe: true))</p>\n"
        out += "<table class=\"trace-hex2dec\">\n<tbody>\n"
        // Port: positional expansion of the 16-bit value.
        let digits = dsr.portBytes.flatMap { [Int($0 >> 4), Int($0 & 0x0f)] }
        let terms = digits.enumerated().map { i, d -> (String, Int) in
            let power = digits.count - 1 - i
            let weight = 1 << (4 * power)
            let text = power == 0 ? "\(d)" : power == 1 ? "\(d)×16" : "\(d)×16<sup>\(power)</sup>"
            return (text, d * weight)
        }
        out += "<tr data-offset=\"\(dsr.portOffset)\" data-length=\"\(dsr.portBytes.count)\"><th scope=\"row\">\(HTMLEscaping.escape(strings.port, apostrophe: true))</th>"
        out += "<td><code>\(dsr.portHex)</code></td><td>= \(terms.map(\.0).joined(separator: " + "))"
        out += " = \(terms.map { String($0.1) }.joined(separator: " + ")) = <strong>\(dsr.port)</strong></td></tr>\n"
        if dsr.byteSwapped {
            let naive = Int(dsr.portWire[0]) << 8 | Int(dsr.portWire[1])
            out += "<tr class=\"trace-wrong\"><th scope=\"row\">\(HTMLEscaping.escape(strings.naivePort, apostrophe: true))</th>"
            out += "<td><code>0x\(dsr.portWire.map(HTMLText.hex2).joined())</code></td>"
            out += "<td>\(HTMLEscaping.escape(strings.notTheNodePort(naive), apostrophe: true))</td></tr>\n"
        }
        if dsr.addressBytes.count == 4 {
            let parts = dsr.addressBytes.map { b in
                "<code>\(HTMLText.hex2(b))</code> = \(b >> 4)×16 + \(b & 0x0f) = \(b)"
            }
            out += "<tr data-offset=\"\(dsr.addressOffset)\" data-length=\"4\"><th scope=\"row\">\(HTMLEscaping.escape(strings.address, apostrophe: true))</th>"
            out += "<td><code>\(dsr.addressBytes.map(HTMLText.hex2).joined(separator: "."))</code></td>"
            out += "<td>\(parts.joined(separator: strings.listSeparator)) → <strong>\(HTMLEscaping.escape(dsr.address, apostrophe: true))</strong></td></tr>\n"
        } else {
            out += "<tr data-offset=\"\(dsr.addressOffset)\" data-length=\"\(dsr.addressBytes.count)\"><th scope=\"row\">\(HTMLEscaping.escape(strings.address, apostrophe: true))</th>"
            out += "<td><code>\(hex(dsr.addressBytes))</code></td><td>→ <strong>\(HTMLEscaping.escape(dsr.address, apostrophe: true))</strong></td></tr>\n"
        }
        out += "</tbody>\n</table></div>\n"
    }

    private func hex(_ bytes: [UInt8]) -> String { bytes.map(HTMLText.hex2).joined(separator: " ") }
}
