import LabgenCore
import Testing
import Yams
@testable import Facts

/// YAML deeper than `YAMLNesting.maxDepth` never reaches Yams (whose recursion overflowed
/// the stack on 100,000 brackets); YAML at the limit reads as before.
@Suite struct YAMLNestingTests {
    func refusal(_ text: String) -> Diagnostic? {
        do { try YAMLNesting.check(text, file: "x.yaml", firstLine: 2); return nil } catch { return error }
    }

    @Test func flowCollectionsUpToTheLimit() throws {
        let depth = YAMLNesting.maxDepth
        let atLimit = "title: " + String(repeating: "[", count: depth) + "x" + String(repeating: "]", count: depth) + "\n"
        #expect(refusal(atLimit) == nil)
        #expect(try Yams.compose(yaml: atLimit) != nil)
        let deep = "title: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"
        #expect(refusal(deep)?.description == "x.yaml:2:\(8 + depth): error: YAML nested deeper than 64 levels (indentation, `- ` and brackets): flatten it")
        let mappings = "title: " + String(repeating: "{a: ", count: 50_000) + "1" + String(repeating: "}", count: 50_000)
        #expect(refusal(mappings)?.position == SourcePosition(line: 2, column: 8 + 4 * depth))
    }

    @Test func indentationAndSequencesCount() {
        let indented = (0..<100).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " x\n"
        #expect(refusal(indented)?.position.line == 2 + YAMLNesting.maxDepth + 1)
        #expect(refusal(String(repeating: "- ", count: 1_000) + "x\n")?.line == 2)
        #expect(refusal("a:\n  - b: 1\n    c: [1, 2, {d: e}]\n") == nil)
    }

    @Test func bracketsInQuotesAndCommentsDoNotHideNesting() {
        // Closing brackets in strings or comments must not cancel real openings…
        let hidden = String(repeating: "[ \"]\", ", count: 100) + "x" + String(repeating: "]", count: 100)
        #expect(refusal("k: " + hidden + "\n") != nil)
        let commented = "k: " + (0..<100).map { _ in "[ # ]\n" }.joined() + "x" + String(repeating: "]", count: 100) + "\n"
        #expect(refusal(commented) != nil)
        // …and openings in them are not nesting.
        #expect(refusal("title: \"" + String(repeating: "[", count: 500) + "\" # " + String(repeating: "{", count: 500) + "\n") == nil)
        #expect(refusal("title: l'atelier [1] de l'été\n") == nil)
    }

    @Test func aDeepRosterIsRefusedBeforeYams() {
        let yaml = "secret: s\nattendees: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"
        #expect(throws: DiagnosticsError.self) { try Roster.parse(yaml: yaml, file: "roster.yaml") }
        do { _ = try Roster.parse(yaml: yaml, file: "roster.yaml") } catch {
            #expect(error.description.hasPrefix("roster.yaml:2:\(12 + 64): error: YAML nested deeper than 64 levels"), "\(error)")
        }
    }
}
