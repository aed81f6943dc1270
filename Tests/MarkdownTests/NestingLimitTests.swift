import LabgenCore
import Testing
@testable import Markdown

/// Pages nested deeper than `Document.maxNesting` (6,000 lists, 100,000 quotes overflowed
/// the stack) give a tree cut at the limit and the place to report; pages at the limit are
/// rendered exactly as cmark-gfm renders them.
@Suite struct NestingLimitTests {
    /// The depth of the deepest node (the root is 0), walked with an explicit stack.
    func depth(_ root: Node) -> Int {
        var deepest = 0
        var stack = [(root, 0)]
        while let (node, level) = stack.popLast() {
            deepest = max(deepest, level)
            for child in node.children { stack.append((child, level + 1)) }
        }
        return deepest
    }

    @Test(arguments: [
        // (source, where the first node below the limit starts)
        ("# T\n\n" + String(repeating: ">", count: 100_000) + " x\n", SourcePosition(line: 3, column: 257)),
        ("# T\n\n" + String(repeating: "- ", count: 6_000) + "x\n", SourcePosition(line: 3, column: 257)),
        ((0..<600).map { String(repeating: "  ", count: $0) + "- x\n" }.joined(), SourcePosition(line: 128, column: 257)),
        (String(repeating: "*", count: 3_000) + "x" + String(repeating: "*", count: 3_000) + "\n", SourcePosition(line: 1, column: 1)),
    ])
    func tooDeepIsCutAndReported(_ source: String, _ position: SourcePosition) {
        let document = Document(parsing: source)
        #expect(document.tooDeep != nil)
        if !source.hasPrefix("*") { #expect(document.tooDeep == position) }
        #expect(depth(document.root) == Document.maxNesting)
        #expect(!document.html().isEmpty)
    }

    @Test func atTheLimitNothingIsLost() {
        // Quotes, then the paragraph, the emphasis and the text: 256 levels below the document.
        let source = String(repeating: ">", count: Document.maxNesting - 3) + " *x*\n"
        let document = Document(parsing: source)
        #expect(document.tooDeep == nil)
        #expect(depth(document.root) == Document.maxNesting)
        #expect(document.html() == Document.referenceHTML(source))
        #expect(Document(parsing: ">" + source).tooDeep == SourcePosition(line: 1, column: Document.maxNesting + 1))
    }
}
