import LabgenCore
import Facts
import Foundation
import Markdown

/// Fills `${{ … }}` parameters from the facts (docs/parameters.md), on the parsed document:
/// text, inline code and code block contents. A value never becomes markdown or HTML: it is
/// a text node (escaped by the renderer) inside a marked span, or a marked range of a code
/// block (escaped by the code renderer).
public struct ParameterSubstitution: PageTransform {
    /// Also resolve every name in branches and loops these facts do not take, so a typo in a
    /// `snat`-only paragraph fails the build of a `dsr` cluster too. Per-attendee builds turn
    /// it off: the shared build has checked the names already.
    public var checkAllBranches: Bool
    let cache = TemplateCache()

    public init(checkAllBranches: Bool = true) {
        self.checkAllBranches = checkAllBranches
    }

    /// Parameters, loops and conditionals all open with `${{`.
    public func readsFacts(_ page: SourcePage) -> Bool { page.markdown.containsBytes("${{") }

    /// The shared course resolved every name in every branch already.
    public func forAttendees(_ editions: AttendeeEditions) -> any PageTransform {
        ParameterSubstitution(checkAllBranches: false)
    }

    public func transform(_ document: Document, context: FillContext) throws -> Document {
        // A placeholder is written `${{` in the source: without one, nothing to fill or check
        // (what `readsFacts` tells the build cache; `$\{{` is therefore text, as written).
        guard readsFacts(context.page) else { return document }
        let file = context.content.display(context.page.path)
        var problems: [Diagnostic] = []
        if checkAllBranches {
            var checker = ParameterWalker(file: file, cache: cache)
            _ = checker.fill(document.root, .checking(varsOf: context.parameters))
            problems += checker.problems
        }
        var filler = ParameterWalker(file: file, cache: cache)
        let root = filler.fill(document.root, ParameterScope(context.parameters)).first ?? Node(.document)
        problems += filler.problems
        if !problems.isEmpty {
            var seen: Set<Diagnostic> = []
            throw BuildFailure(problems.filter { seen.insert($0).inserted })
        }
        return Document(root: root)
    }
}
