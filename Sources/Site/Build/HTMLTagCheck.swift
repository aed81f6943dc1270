import LabgenCore
import Markdown

/// Inline HTML must open and close within its paragraph, heading or cell: the seed's
/// `<ins>**KinD**<ins>` underlined the rest of the page on GitHub.
enum HTMLTagCheck {
    struct Problem: Sendable, Codable, Equatable { var message: String; var position: SourcePosition? }

    static let voidElements: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input",
                                             "link", "meta", "source", "track", "wbr"]

    static func run(_ root: Node) -> [Problem] {
        var problems: [Problem] = []
        root.forEach { node in
            guard node.kind.isBlock, node.children.contains(where: { !$0.kind.isBlock }) else { return }
            var open: [(String, SourcePosition?)] = []
            func scan(_ n: Node) {
                if case .htmlInline(let literal) = n.kind, let tag = Tag(literal) {
                    if tag.closing {
                        if let i = open.lastIndex(where: { $0.0 == tag.name }) {
                            for unclosed in open[(i + 1)...] {
                                problems.append(Problem(message: "<\(unclosed.0)> is not closed before </\(tag.name)>", position: unclosed.1))
                            }
                            open.removeSubrange(i...)
                        } else {
                            problems.append(Problem(message: "</\(tag.name)> closes nothing", position: n.position))
                        }
                    } else if !tag.selfClosing && !voidElements.contains(tag.name) {
                        open.append((tag.name, n.position))
                    }
                }
                for child in n.children where !child.kind.isBlock { scan(child) }
            }
            for child in node.children where !child.kind.isBlock { scan(child) }
            for (name, position) in open {
                problems.append(Problem(message: "<\(name)> is never closed (expected </\(name)> in the same paragraph)", position: position))
            }
        }
        return problems
    }

    struct Tag {
        var name: String
        var closing: Bool
        var selfClosing: Bool

        init?(_ literal: String) {
            guard literal.hasPrefix("<"), !literal.hasPrefix("<!"), !literal.hasPrefix("<?") else { return nil }
            var body = literal.dropFirst()
            closing = body.hasPrefix("/")
            if closing { body = body.dropFirst() }
            let name = body.prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            guard !name.isEmpty else { return nil }
            self.name = name.lowercased()
            selfClosing = literal.hasSuffix("/>")
        }
    }
}
