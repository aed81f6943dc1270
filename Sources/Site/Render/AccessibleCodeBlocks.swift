import LabgenCore
import Markdown

/// Code blocks reachable and named for keyboard and screen-reader users: a block wider than
/// the window scrolls sideways, which only works from the keyboard if the `<pre>` can take
/// focus (`tabindex="0"`), and a focusable element needs a name (`role="group"`,
/// `aria-label="Bloc de code shell"`, in the course's language). Wraps the renderer that
/// writes the block, so every path (pages, handouts) gets the same
/// bytes.
struct AccessibleCodeBlocks: CodeBlockRenderer {
    var inner: any CodeBlockRenderer
    /// "Bloc de code", followed by the block's language when it has one.
    var label: String

    /// `renderer` wrapped once: wrapping a wrapped renderer returns it as it is.
    static func wrapping(_ renderer: any CodeBlockRenderer, strings: UIStrings) -> any CodeBlockRenderer {
        if renderer is AccessibleCodeBlocks { return renderer }
        return AccessibleCodeBlocks(inner: renderer, label: strings.codeBlock)
    }

    func render(_ block: CodeBlock) -> String {
        var out: [UInt8] = []
        render(block, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func render(_ block: CodeBlock, into out: inout [UInt8]) {
        let start = out.count
        inner.render(block, into: &out)
        let open = Array("<pre".utf8)
        guard out.count >= start + 5, out[start..<(start + 4)].elementsEqual(open),
              out[start + 4] == UInt8(ascii: " ") || out[start + 4] == UInt8(ascii: ">") else { return }
        let name = block.language.isEmpty ? label : label + " " + block.language
        var attributes = Array(" tabindex=\"0\" role=\"group\" aria-label=\"".utf8)
        attributes += Array(HTMLEscaping.escape(name).utf8)
        attributes.append(UInt8(ascii: "\""))
        out.insert(contentsOf: attributes, at: start + 4)
    }
}
