import LabgenCore

/// The one place code blocks become HTML: highlighting (issue 6) and marking values filled
/// from facts (issue 3) plug in here by wrapping or replacing the default.
public protocol CodeBlockRenderer: Sendable {
    /// The complete HTML for `block`, from `<pre>` to `</pre>` plus a final newline.
    func render(_ block: CodeBlock) -> String
    /// The same HTML appended to `out`: the page renderer works in bytes, and a String per
    /// block cost a UTF-8 check and a copy.
    func render(_ block: CodeBlock, into out: inout [UInt8])
}

extension CodeBlockRenderer {
    public func render(_ block: CodeBlock, into out: inout [UInt8]) {
        out += render(block).utf8
    }
}

/// cmark-gfm's own output, `<pre><code class="language-x">escaped</code></pre>`, with marks
/// wrapped in `<span>`s (no marks: byte-identical to cmark).
public struct PlainCodeBlockRenderer: CodeBlockRenderer {
    public init() {}

    public func render(_ block: CodeBlock) -> String {
        var out: [UInt8] = []
        render(block, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public func render(_ block: CodeBlock, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + block.literal.utf8.count + 40)
        let language = block.language
        if language.isEmpty {
            out += Array("<pre><code>".utf8)
        } else {
            out += Array("<pre><code class=\"language-".utf8)
            HTMLEscaping.appendEscaped(language, to: &out)
            out += Array("\">".utf8)
        }
        Self.appendBody(block, to: &out)
        out += Array("</code></pre>\n".utf8)
    }

    /// The escaped literal with each mark wrapped in a span: reusable by other renderers.
    public static func appendBody(_ block: CodeBlock, to out: inout [UInt8]) {
        let bytes = Array(block.literal.utf8)
        var cursor = 0
        for mark in block.marks where mark.range.lowerBound >= cursor && mark.range.upperBound <= bytes.count {
            HTMLEscaping.appendEscaped(bytes[cursor..<mark.range.lowerBound], to: &out)
            out += Array("<span".utf8)
            for (name, value) in mark.attributes {
                out.append(UInt8(ascii: " "))
                HTMLEscaping.appendEscaped(name, to: &out)
                out += Array("=\"".utf8)
                HTMLEscaping.appendEscaped(value, to: &out)
                out.append(UInt8(ascii: "\""))
            }
            out.append(UInt8(ascii: ">"))
            HTMLEscaping.appendEscaped(bytes[mark.range], to: &out)
            out += Array("</span>".utf8)
            cursor = mark.range.upperBound
        }
        HTMLEscaping.appendEscaped(bytes[cursor...], to: &out)
    }
}
