// libFuzzer entry point for a content page through the build's steps: markdown parse,
// `${{ }}` parameters filled from facts, heading anchors, HTML rendering with highlighting,
// and the checks (links, anchors, inline HTML). The input is the page's text, optionally
// followed by a NUL byte and a facts file (JSON) to fill it with; without one, or when that
// is invalid, the course's default facts fill it. Nothing may crash, hang or run out of
// memory: hostile pages must end as diagnostics. Built by fuzz/run against the Site module
// and its dependencies compiled with -sanitize=fuzzer,address.

import Facts
import Foundation
import Markdown
import Site

/// Everything that does not depend on the input, made once.
private let setup: (content: ContentRoot, course: CourseConfig, facts: Facts, fill: FillStep) = {
    let content = ContentRoot(URL(fileURLWithPath: "content"), displayPath: "content")
    let facts = try! Facts.load(contentsOf: URL(fileURLWithPath: "content/facts/default.json"))
    return (content, CourseConfig(title: "Fuzz"), facts, FillStep(transforms: [ParameterSubstitution()]))
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = bytes.firstIndex(of: 0) ?? size
    let markdown = String(decoding: bytes[..<split], as: UTF8.self)
    var facts = setup.facts
    if split < size, let given = try? FactsLoader().load(bytes: Array(bytes[(split + 1)...]), file: "facts.json") {
        facts = given
    }
    let page = SourcePage(path: "labs/01-fuzz.md", markdown: markdown)
    let parsed = ParseStep.parse(page)
    let result = setup.fill.fill(parsed, course: setup.course, content: setup.content, facts: facts,
                                 parameters: FactsContext(facts))
    guard case .success(let filled) = result else { return 0 }
    _ = filled.document.html(renderer: HTMLRenderer(codeBlockRenderer: HighlightingCodeBlockRenderer()))
    _ = CheckStep().run([filled], content: setup.content)
    return 0
}
