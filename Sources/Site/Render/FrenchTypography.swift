import Markdown

/// French typography, applied at build time to French pages: the space before `;`, `!`, `?`
/// and inside « » becomes a narrow no-break space (U+202F), the space before `:` a no-break
/// space (U+00A0), so a line never starts with the mark. Only prose changes: code (spans and
/// blocks), raw HTML, images' alt text (an attribute), values filled from facts (their span)
/// and link destinations are left exactly as written.
enum FrenchTypography {
    static let narrow: Character = "\u{202F}"
    static let noBreak: Character = "\u{00A0}"

    /// Whether a page of `language` gets it: French, the default language.
    static func applies(to language: String?) -> Bool {
        UIStrings.forLanguage(language).language == "fr"
    }

    /// The tree with every prose text node set; subtrees without a change are shared.
    static func apply(_ root: Node) -> Node {
        root.replacing { node in
            switch node.kind {
            case .text(let s):
                guard needsWork(s) else { return [node] }
                var copy = node
                copy.kind = .text(text(s))
                return [copy]
            case .code, .codeBlock, .htmlInline, .htmlBlock, .image, .customInline, .customBlock:
                return [node]
            default:
                return nil
            }
        }
    }

    /// One run of prose (a title, a table-of-contents entry), set.
    static func text(_ s: String) -> String {
        guard needsWork(s) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        let chars = Array(s)
        for (i, c) in chars.enumerated() {
            if c == " " {
                let next = i + 1 < chars.count ? chars[i + 1] : nil
                let previous = i > 0 ? chars[i - 1] : nil
                if next == ":" { out.append(noBreak); continue }
                if next == ";" || next == "!" || next == "?" || next == "»" || previous == "«" {
                    out.append(narrow)
                    continue
                }
            }
            out.append(c)
        }
        return out
    }

    /// A cheap test on the bytes: a space before one of the marks (» is C2 BB) or after «
    /// (C2 AB); `text` then does the exact work.
    private static func needsWork(_ s: String) -> Bool {
        var previous: UInt8 = 0
        for b in s.utf8 {
            if previous == 0x20, b == 0x3A || b == 0x3B || b == 0x21 || b == 0x3F || b == 0xC2 { return true }
            if b == 0x20, previous == 0xAB { return true }
            previous = b
        }
        return false
    }
}
