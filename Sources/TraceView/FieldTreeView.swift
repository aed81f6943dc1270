import LabgenCore
import Packets

/// The collapsible field tree of one packet: `<details>` for fields with children, a focusable
/// row for leaves; every field element carries `data-offset`/`data-length` so the script can
/// light up its bytes, and shows its byte range in text so the page reads without the script.
/// Labels and notes are in the course's language (`TraceStrings`), ids and values as tshark's.
struct FieldTreeView {
    var highlights: Highlights
    var strings: TraceStrings

    func render(_ fields: [Field], into out: inout String) {
        out += "<div class=\"trace-tree\" role=\"group\" aria-label=\"\(HTMLEscaping.escape(strings.fieldsLabel, apostrophe: true))\">\n"
        for f in fields { render(f, depth: 0, into: &out) }
        out += "</div>\n"
    }

    private func render(_ f: Field, depth: Int, into out: inout String) {
        let hl = highlights.matches(f.name)
        var classes = "trace-field"
        if hl { classes += " trace-hl" }
        let attrs = " class=\"\(classes)\" data-name=\"\(HTMLEscaping.escape(f.name, apostrophe: true))\""
            + " data-offset=\"\(f.offset)\" data-length=\"\(f.length)\""
        if f.children.isEmpty {
            out += "<div\(attrs) tabindex=\"0\">"
            row(f, into: &out)
            out += "</div>\n"
        } else {
            // Layers start open (not the frame's metadata), deeper groups only when they lead
            // to a highlighted field.
            let open = (depth == 0 && f.name != "frame") || highlights.reaches(f)
            out += "<details\(attrs)\(open ? " open" : "")><summary>"
            row(f, into: &out)
            out += "</summary>\n"
            for c in f.children { render(c, depth: depth + 1, into: &out) }
            out += "</details>\n"
        }
    }

    private func row(_ f: Field, into out: inout String) {
        out += "<span class=\"trace-label\">\(HTMLEscaping.escape(strings.label(f), apostrophe: true))</span>"
        if !f.value.isEmpty {
            // A malformed layer's value is the decoder's reason, in words.
            let value = f.name == "_ws.malformed" ? strings.decoderText(f.value) : f.value
            out += " <span class=\"trace-value\">\(HTMLEscaping.escape(value, apostrophe: true))</span>"
        }
        out += " <code class=\"trace-fname\">\(HTMLEscaping.escape(f.name, apostrophe: true))</code>"
        out += " <span class=\"trace-range\">\(strings.range(f))</span>"
        if let note = f.explanation.map(strings.note) ?? f.note.map(strings.decoderText), !note.isEmpty {
            out += " <span class=\"trace-note\">\(HTMLEscaping.escape(note, apostrophe: true))</span>"
        }
    }
}

extension TraceStrings {
    /// "[octets 34–41]", "[octet 14]", or nothing for zero-length (computed) fields.
    func range(_ f: Field) -> String {
        switch f.length {
        case ..<1: return ""
        case 1: return byte(f.offset)
        default: return bytes(f.offset, f.offset + f.length - 1)
        }
    }
}
