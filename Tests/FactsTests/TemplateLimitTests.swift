import LabgenCore
import Foundation
import Testing
@testable import Facts

/// Input that could drive the parser or the evaluator deep or long is refused with an
/// error at its place, just past each limit, and accepted at the limit.
@Suite struct TemplateLimitTests {
    let context: FactsContext
    init() throws { context = try defaultContext() }

    /// Column of the `n`-th (1-based) occurrence of `needle` on a one-line template at 1:1.
    func column(of needle: String, _ n: Int, in text: String) -> Int {
        var count = 0, column = 1
        var rest = Substring(text)
        while let range = rest.range(of: needle) {
            count += 1
            column += rest[..<range.lowerBound].utf8.count
            if count == n { return column }
            column += needle.utf8.count
            rest = rest[range.upperBound...]
        }
        return -1
    }

    @Test func parenthesesNestUpToTheLimit() {
        let inside = String(repeating: "(", count: TagParser.maxDepth) + "host.ip" + String(repeating: ")", count: TagParser.maxDepth)
        let (out, problems) = fill("${{ \(inside) }}", context)
        #expect(problems == [])
        #expect(out == "172.18.0.1")

        let deeper = "${{ " + String(repeating: "(", count: 5_000) + "host.ip" + String(repeating: ")", count: 5_000) + " }}"
        let (_, refused) = fill(deeper, context)
        #expect(refused.map(\.description) == [
            "lab.md:1:\(column(of: "(", TagParser.maxDepth + 1, in: deeper)): error: expression nested deeper than 64 levels: split it, or compute the value in the facts",
        ])
    }

    @Test(arguments: [
        // (repeated unit, tail): chains read in a loop still make deep trees.
        ("true and ", "true"),
        ("not ", "true"),
        ("len(", "nodes"),
    ])
    func chainsAndCallsCountTowardTheDepth(_ unit: String, _ tail: String) {
        let closing = unit.hasSuffix("(") ? ")" : ""
        func tag(_ n: Int) -> String {
            "${{ " + String(repeating: unit, count: n) + tail + String(repeating: closing, count: n) + " }}"
        }
        // len(len(…)) is an evaluation error (len of a number), but it parses: only parse
        // errors about depth matter here.
        let atLimit = fill(tag(TagParser.maxDepth - 1), context).1
        #expect(!atLimit.contains { $0.message.contains("nested deeper") }, "\(atLimit)")
        let over = fill(tag(20_000), context).1
        #expect(over.count == 1 && over[0].message.hasPrefix("expression nested deeper than 64 levels"), "\(over)")
    }

    @Test func memberChainsCountTowardTheDepth() {
        let long = "${{ host" + String(repeating: ".ip", count: 30_000) + " }}"
        let problems = fill(long, context).1
        #expect(problems.count == 1 && problems[0].message.hasPrefix("expression nested deeper than 64 levels"), "\(problems)")
        #expect(problems.first?.position == SourcePosition(line: 1, column: column(of: ".ip", TagParser.maxDepth, in: long) + 1))
    }

    @Test func forAndIfNestUpToTheLimit() {
        func nested(_ n: Int) -> String {
            String(repeating: "${{ if true }}", count: n) + "x" + String(repeating: "${{ end }}", count: n)
        }
        let (out, problems) = fill(nested(Template.maxNesting), context)
        #expect(problems == [])
        #expect(out == "x")

        let deep = nested(100_000)
        let refused = fill(deep, context).1
        #expect(refused.map(\.description) == [
            "lab.md:1:\(column(of: "${{ if", Template.maxNesting + 1, in: deep)): error: `for`/`if` nested deeper than 64 levels: flatten the loops and conditions",
        ])
    }

    func loops(_ n: Int, body: String = "x") -> String {
        (0..<n).map { "${{ for n\($0) in nodes }}" }.joined() + body + String(repeating: "${{ end }}", count: n)
    }

    @Test func nestedLoopsStopAtTheBudget() {
        // Six loops over the 4 nodes: 4 + 16 + … + 4096 = 5,460 iterations, under the budget.
        let (six, fine) = fill(loops(6), context)
        #expect(fine == [])
        #expect(six.count == 4096)

        // Ten (1,398,100 iterations) took 37 s; refused at the budget, at the loop running out.
        let ten = loops(10)
        let clock = ContinuousClock()
        var problems: [Diagnostic] = []
        let elapsed = clock.measure { problems = fill(ten, context).1 }
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.message == "loops expand to more than 10000 repetitions or 8 MiB of text in this page: nest fewer loops, or compute the list in the facts")
        let loopColumns = (1...10).map { column(of: "${{ for", $0, in: ten) }
        #expect(problems.first.map { loopColumns.contains($0.column) } == true, "\(problems)")
        #expect(elapsed < .seconds(10), "\(elapsed)")
    }

    @Test func loopOutputStopsAtTheBudget() {
        // One loop over 4 nodes of a 3 MiB body: 12 MiB.
        let body = String(repeating: "abcdefgh", count: 3 << 17)
        let problems = fill(loops(1, body: body), context).1
        #expect(problems.map(\.description) == [
            "lab.md:1:1: error: loops expand to more than 10000 repetitions or 8 MiB of text in this page: nest fewer loops, or compute the list in the facts",
        ])
        // The same body once, outside any loop, is only the page's own size.
        #expect(fill(body, context).1 == [])
    }

    @Test func oneBudgetIsSharedByAPagesTemplates() throws {
        let template = try Template(parsing: TemplateText(loops(6)), file: "lab.md")
        var budget = FillBudget()
        #expect(template.fill(ParameterScope(context), budget: &budget).diagnostics == [])
        #expect(budget.iterations == 5_460)
        let second = template.fill(ParameterScope(context), budget: &budget)
        #expect(second.diagnostics.map(\.message) == [
            "loops expand to more than 10000 repetitions or 8 MiB of text in this page: nest fewer loops, or compute the list in the facts",
        ])
    }

    @Test func checkingExploresOneItemPerLoop() throws {
        // `labgen check` takes each loop once: deep nesting costs it nothing.
        let template = try Template(parsing: TemplateText(loops(Template.maxNesting)), file: "lab.md")
        #expect(template.check() == [])
    }
}
