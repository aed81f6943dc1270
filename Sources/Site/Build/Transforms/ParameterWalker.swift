import LabgenCore
import Facts
import Foundation
import Markdown

/// The walk of `ParameterSubstitution` over a page's tree: containers of blocks may hold block-level tags (a paragraph that is only
/// `${{ if … }}`); containers of inlines form one template over their children.
struct ParameterWalker {
    let file: String
    let cache: TemplateCache
    var problems: [Diagnostic] = []
    /// Loop work left for the page, shared by all its templates (block-level loops nest
    /// templates inside each other's repetitions).
    var budget = FillBudget()

    init(file: String, cache: TemplateCache) {
        self.file = file
        self.cache = cache
    }

    static let paramClass = "param"

    mutating func fill(_ node: Node, _ scope: ParameterScope) -> [Node] {
        switch node.kind {
        case .codeBlock(let block):
            return [fillCodeBlock(node, block, scope)]
        case .text(let text):
            // Texts are filled by their container; one alone is filled by itself.
            guard Template.mayContainPlaceholders(text) else { return [node] }
            return inlineNodes(text, at: node.position, scope) ?? [node]
        case .code(let code):
            guard Template.mayContainPlaceholders(code) else { return [node] }
            // cmark places a code span at its content, after the backticks.
            guard let children = inlineNodes(code, at: node.position, scope) else { return [node] }
            return [Node(.customInline(open: "<code>", close: "</code>"), children: children, position: node.position)]
        case .document, .blockQuote, .item, .footnoteDefinition:
            guard Self.mayHoldPlaceholders(node) else { return [node] }
            var copy = node
            copy.children = fillChildren(node.children, of: node, blockLevel: true, scope)
            return [copy]
        case .link(let destination, let title) where Template.mayContainPlaceholders(destination):
            var copy = node
            copy.kind = .link(destination: fillDestination(destination, of: node, scope), title: title)
            if Self.mayHoldPlaceholders(Node(.paragraph, children: node.children)) {
                copy.children = fillChildren(node.children, of: node, blockLevel: false, scope)
            }
            return [copy]
        case .image(let source, let title) where Template.mayContainPlaceholders(source):
            var copy = node
            copy.kind = .image(source: fillDestination(source, of: node, scope), title: title)
            return [copy]
        default:
            guard !node.children.isEmpty, Self.mayHoldPlaceholders(node) else { return [node] }
            var copy = node
            copy.children = fillChildren(node.children, of: node, blockLevel: node.kind.isBlock && !Self.holdsInlines(node), scope)
            return [copy]
        }
    }

    /// A link's or image's address written with placeholders, filled (`PlaceholderLinks`);
    /// as written when it cannot be (the problem is reported). cmark gives no position for
    /// the address: errors point at the link.
    private mutating func fillDestination(_ destination: String, of node: Node, _ scope: ParameterScope) -> String {
        let at = Self.location(node.position)
        guard let filled = run([.text(TemplateText(destination, at: at))], scope) else { return destination }
        return PlaceholderLinks.destination(filled.segments, file: file, at: at, validate: !scope.isChecking, problems: &problems) ?? destination
    }

    /// Whether a placeholder may sit anywhere below `node`: without a `$` in its texts and
    /// code, or `${{` in its code blocks, the subtree is kept as it is instead of being copied
    /// node by node (most blocks of a page; the copies were most of the fill step).
    static func mayHoldPlaceholders(_ node: Node) -> Bool {
        switch node.kind {
        case .text(let s), .code(let s):
            return s.utf8.withContiguousStorageIfAvailable { $0.contains(0x24) } ?? s.utf8.contains(0x24)
        case .codeBlock(let block): return Template.mayContainPlaceholders(block.literal)
        case .link(let address, _), .image(let address, _):
            return Template.mayContainPlaceholders(address) || node.children.contains(where: mayHoldPlaceholders)
        default: return node.children.contains(where: mayHoldPlaceholders)
        }
    }

    static func holdsInlines(_ node: Node) -> Bool {
        switch node.kind {
        case .paragraph, .heading, .tableCell: true
        default: !node.kind.isBlock
        }
    }

    private mutating func fillChildren(_ children: [Node], of parent: Node, blockLevel: Bool, _ scope: ParameterScope) -> [Node] {
        if blockLevel {
            return fillBlocks(children, scope)
        }
        let merged = Self.placingUnpositioned(Self.mergingTexts(children), in: parent)
        let hasPlaceholder = merged.contains {
            if case .text(let s) = $0.kind { Template.mayContainPlaceholders(s) } else { false }
        }
        guard hasPlaceholder else { return merged.flatMap { fill($0, scope) } }
        var pieces: [TemplatePiece] = []
        for (i, child) in merged.enumerated() {
            if case .text(let s) = child.kind {
                let at = child.position ?? parent.position
                pieces.append(.text(TemplateText(s, at: Self.location(at), continuationColumn: 1)))
            } else {
                pieces.append(.opaque(i))
            }
        }
        guard let filled = run(pieces, scope) else { return merged }
        // Links whose address is a placeholder are rebuilt (markdown could not see them).
        var linkProblems: [Diagnostic] = []
        let out = PlaceholderLinks.inlines(filled.segments, file: file, validate: !scope.isChecking, problems: &linkProblems) { segment in
            switch segment {
            case .text(let s): return s.isEmpty ? [] : [Node(.text(s))]
            case .value(let v): return [Self.span(for: v)]
            case .opaque(let i, let inner): return fill(merged[i], inner)
            }
        }
        problems += linkProblems
        return out
    }

    private mutating func inlineNodes(_ text: String, at position: SourcePosition?, _ scope: ParameterScope) -> [Node]? {
        guard let filled = run([.text(TemplateText(text, at: Self.location(position)))], scope) else { return nil }
        return filled.segments.compactMap { segment in
            switch segment {
            case .text(let s): s.isEmpty ? nil : Node(.text(s))
            case .value(let v): Self.span(for: v)
            case .opaque: nil
            }
        }
    }

    /// Blocks: paragraphs holding only control tags are the tags; other blocks are opaque.
    private mutating func fillBlocks(_ children: [Node], _ scope: ParameterScope) -> [Node] {
        var pieces: [TemplatePiece] = []
        var hasTags = false
        for (i, child) in children.enumerated() {
            if case .paragraph = child.kind {
                let merged = Self.mergingTexts(child.children)
                if merged.count == 1, case .text(let s) = merged[0].kind, Template.isControlOnly(s) {
                    pieces.append(.text(TemplateText(s, at: Self.location(merged[0].position ?? child.position))))
                    hasTags = true
                    continue
                }
            }
            pieces.append(.opaque(i))
        }
        guard hasTags else { return children.flatMap { fill($0, scope) } }
        guard let filled = run(pieces, scope) else { return children }
        var out: [Node] = []
        for case .opaque(let i, let inner) in filled.segments { out += fill(children[i], inner) }
        return out
    }

    private mutating func fillCodeBlock(_ node: Node, _ block: CodeBlock, _ scope: ParameterScope) -> Node {
        guard Template.mayContainPlaceholders(block.literal) else { return node }
        let position = node.position.map { SourcePosition(line: $0.line + (block.fenced ? 1 : 0), column: $0.column) }
        let start = Self.location(position)
        guard let filled = run([.text(TemplateText(block.literal, at: start, continuationColumn: start.column))], scope) else {
            return node
        }
        var literal: [UInt8] = []
        var marks: [CodeBlock.Mark] = []
        for segment in filled.segments {
            switch segment {
            case .text(let s): literal += s.utf8
            case .value(let v):
                let begin = literal.count
                literal += v.text.utf8
                marks.append(CodeBlock.Mark(range: begin..<literal.count, attributes: Self.attributes(for: v)))
            case .opaque: break
            }
        }
        var copy = block
        copy.literal = String(decoding: literal, as: UTF8.self)
        copy.marks = marks
        var result = node
        result.kind = .codeBlock(copy)
        return result
    }

    private mutating func run(_ pieces: [TemplatePiece], _ scope: ParameterScope) -> Template.Filled? {
        switch cache.template(pieces, file: file) {
        case .success(let template):
            let filled = template.fill(scope, budget: &budget)
            problems += filled.diagnostics
            return filled
        case .failure(let error):
            problems += error.diagnostics
            return nil
        }
    }

    /// Nodes cmark-gfm's extensions create (an autolinked URL) carry no source position: each
    /// is placed right after its preceding text on the same line, or at its parent, so that
    /// a `${{` inside it is reported at its own line (and, after plain text, its column).
    static func placingUnpositioned(_ nodes: [Node], in parent: Node) -> [Node] {
        guard nodes.contains(where: { $0.position == nil }) else { return nodes }
        var out = nodes
        for i in out.indices where out[i].position == nil {
            var at = parent.position
            if i > 0, let previous = out[i - 1].position, case .text(let text) = out[i - 1].kind, !text.contains("\n") {
                at = SourcePosition(line: previous.line, column: previous.column + text.unicodeScalars.count)
            }
            out[i].position = at
        }
        return out
    }

    /// cmark splits text at characters that might have been markup (`[`, `]`, `!`…): put
    /// them back together so `nodes[0].ip` is one placeholder.
    static func mergingTexts(_ nodes: [Node]) -> [Node] {
        var out: [Node] = []
        out.reserveCapacity(nodes.count)
        for node in nodes {
            if case .text(let s) = node.kind, let last = out.last, case .text(let previous) = last.kind {
                out[out.count - 1].kind = .text(previous + s)
            } else {
                out.append(node)
            }
        }
        return out
    }

    static func location(_ position: SourcePosition?) -> SourcePosition {
        position.map { SourcePosition(line: $0.line, column: $0.column) } ?? .start
    }

    static func title(for value: FilledValue) -> String {
        "provenance : " + value.provenanceSummary
    }

    static func attributes(for value: FilledValue) -> [(String, String)] {
        [("class", paramClass), ("title", title(for: value))]
    }

    /// `<span class="param" title="provenance : …">value</span>`, the value a text node.
    static func span(for value: FilledValue) -> Node {
        let open = "<span class=\"\(paramClass)\" title=\"" + HTMLEscaping.escape(title(for: value)) + "\">"
        return Node(.customInline(open: open, close: "</span>"), children: [Node(.text(value.text))])
    }
}
