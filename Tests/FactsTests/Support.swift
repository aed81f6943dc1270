import LabgenCore
import Foundation
@testable import Facts

/// The repository's default facts, as text: tests derive broken variants from it.
let defaultFactsURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("content/facts/default.json")

func defaultFactsText() throws -> String { try String(contentsOf: defaultFactsURL, encoding: .utf8) }

/// Where `needle` first occurs in `text` (1-based line, column in characters), plus `shift` columns.
func location(of needle: String, in text: String, shift: Int = 0) -> SourcePosition? {
    guard let range = text.range(of: needle) else { return nil }
    let before = text[..<range.lowerBound]
    let line = before.filter { $0 == "\n" }.count + 1
    let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
    return SourcePosition(line: line, column: text[lineStart..<range.lowerBound].unicodeScalars.count + 1 + shift)
}

/// Loads facts from text; returns the diagnostics (empty when it loads).
func diagnostics(_ text: String, loader: FactsLoader = FactsLoader()) -> [Diagnostic] {
    do {
        _ = try loader.load(bytes: Array(text.utf8), file: "facts.json")
        return []
    } catch {
        return error.diagnostics
    }
}

/// Replaces exactly one occurrence (tests must change what they mean to change).
func replacingOnce(_ text: String, _ old: String, _ new: String) -> String {
    precondition(text.components(separatedBy: old).count == 2, "`\(old)` must occur exactly once")
    return text.replacingOccurrences(of: old, with: new)
}

func defaultContext() throws -> FactsContext {
    FactsContext(try Facts.load(contentsOf: defaultFactsURL))
}

/// Parses and fills `text` with `context`; returns the plain text and the diagnostics.
func fill(_ text: String, _ context: FactsContext, at: SourcePosition = .start) -> (String, [Diagnostic]) {
    do {
        let t = try Template(parsing: TemplateText(text, at: at), file: "lab.md")
        let filled = t.fill(context)
        return (filled.plainText, filled.diagnostics)
    } catch {
        return ("", error.diagnostics)
    }
}
