import LabgenCore
import Facts
import Markdown

/// `${{ … }}` as a link's address. Markdown sees a link only when its destination has no
/// space, so `[dépôt](${{ vars.repo }})` reaches the fill as text, `[`, the placeholder, `)`;
/// `[dépôt](<${{ vars.repo }}>)` and `[dépôt](${{vars.repo}})` reach it as a link whose
/// destination holds the placeholder; `<${{ vars.repo }}>` as text between `<` and `>`. All
/// become links to the filled value: the value stays text (the renderer percent-encodes it in
/// `href` and HTML-escapes it), and a value with a scheme that runs code (`javascript:`…) is
/// refused at the placeholder. A link shape the fill cannot rebuild (markup in the label of
/// a space-holding destination) is an error saying how to write it.
enum PlaceholderLinks {
    /// Schemes a value may not give a link (as cmark-gfm's safe mode): they run code or embed
    /// content in the page.
    static let refusedSchemes: Set<String> = ["javascript", "vbscript", "data", "file"]

    /// Why `url` cannot be a link's address, or nil.
    /// - Parameters:
    ///   - url: the filled address.
    static func problem(_ url: String) -> String? {
        let trimmed = url.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
        guard let colon = trimmed.firstIndex(of: ":") else { return nil }
        let scheme = trimmed[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }) else { return nil }
        guard refusedSchemes.contains(scheme.lowercased()) else { return nil }
        return "a link to a `\(scheme.lowercased()):` address would run code or embed content in the page; "
            + "give this parameter an http(s) URL or a relative path"
    }

    /// A destination written with placeholders (`${{vars.repo}}/tree/main`), filled: text as
    /// written, values as they are; nil when a value is refused (the diagnostic is appended).
    /// - Parameters:
    ///   - segments: the filled destination.
    ///   - file: the page, for diagnostics.
    ///   - at: where the link starts (cmark gives no position for the address: a refused
    ///     value is reported there).
    ///   - problems: where a refused value is reported.
    ///   - validate: whether to judge the values (not in the check mode's scope, whose values
    ///     are stand-ins).
    static func destination(_ segments: [Segment], file: String, at: SourcePosition, validate: Bool,
                            problems: inout [Diagnostic]) -> String? {
        var out = ""
        for segment in segments {
            switch segment {
            case .text(let s): out += s
            case .value(let v):
                if validate, let problem = problem(v.text) {
                    problems.append(Diagnostic(file: file, at, problem))
                    return nil
                }
                out += v.text
            case .opaque: break
            }
        }
        return out
    }

    /// Inline segments with the links markdown could not see rebuilt: `[label](` value `)`,
    /// `![alt](` value `)` and `<` value `>`. Other segments are handed to `node` unchanged.
    /// - Parameters:
    ///   - segments: a paragraph's (or heading's, cell's) filled inlines.
    ///   - file: the page, for diagnostics.
    ///   - validate: whether to judge the values (not in the check mode's stand-ins).
    ///   - problems: where refused values and unbuildable links are reported.
    ///   - node: builds the nodes of one segment (texts, value spans, opaque children).
    static func inlines(_ segments: [Segment], file: String, validate: Bool, problems: inout [Diagnostic],
                        node: (Segment) -> [Node]) -> [Node] {
        var out: [Node] = []
        var k = 0
        while k < segments.count {
            if k + 2 < segments.count, case .text(let before) = segments[k], case .value(let value) = segments[k + 1],
               case .text(let after) = segments[k + 2] {
                if after.hasPrefix(")"), before.hasSuffix("](") {
                    guard let (kept, label, isImage) = opening(before) else {
                        problems.append(Diagnostic(file: file, value.location ?? .start,
                            "a link whose address is a parameter is written `[label](<${{ … }}>)` when its label holds markup; "
                            + "or keep the label plain: `[dépôt](${{ vars.repo }})`"))
                        out += node(segments[k]); k += 1; continue
                    }
                    if validate, let problem = problem(value.text) {
                        problems.append(Diagnostic(file: file, value.location ?? .start, problem))
                    }
                    if !kept.isEmpty { out.append(Node(.text(kept))) }
                    // Placed at the placeholder, so the link check reports a missing file there.
                    out.append(isImage
                        ? Node(.image(source: value.text, title: ""), children: [Node(.text(label))], position: value.location)
                        : Node(.link(destination: value.text, title: ""), children: label.isEmpty ? [] : [Node(.text(label))],
                               position: value.location))
                    let rest = String(after.dropFirst())
                    if !rest.isEmpty { out.append(Node(.text(rest))) }
                    k += 3
                    continue
                }
                if before.hasSuffix("<"), after.hasPrefix(">") {
                    if validate, !value.text.contains(":") {
                        problems.append(Diagnostic(file: file, value.location ?? .start,
                            "`<${{ … }}>` is a link only to an absolute address (`https://…`), and this value is `\(value.text)`: "
                            + "write `[label](${{ … }})` for a relative one"))
                    } else if validate, let problem = problem(value.text) {
                        problems.append(Diagnostic(file: file, value.location ?? .start, problem))
                    }
                    let kept = String(before.dropLast())
                    if !kept.isEmpty { out.append(Node(.text(kept))) }
                    out.append(Node(.link(destination: value.text, title: ""), children: [ParameterWalker.span(for: value)],
                                    position: value.location))
                    let rest = String(after.dropFirst())
                    if !rest.isEmpty { out.append(Node(.text(rest))) }
                    k += 3
                    continue
                }
            }
            out += node(segments[k])
            k += 1
        }
        return out
    }

    /// `text` split before the `[label](` (or `![alt](`) it ends with: the text before, the
    /// label, whether it is an image; nil when the label is not all in `text` or holds a
    /// bracket.
    private static func opening(_ text: String) -> (String, String, Bool)? {
        let body = text.dropLast(2)
        guard let open = body.lastIndex(of: "[") else { return nil }
        let label = body[body.index(after: open)...]
        guard !label.contains("]") else { return nil }
        let isImage = open > body.startIndex && body[body.index(before: open)] == "!"
        let kept = body[..<(isImage ? body.index(before: open) : open)]
        return (String(kept), String(label), isImage)
    }
}
