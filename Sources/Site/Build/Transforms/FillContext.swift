import LabgenCore
import Facts
import Foundation
import Markdown

/// What a transform may look at while filling one page for one edition of the course.
public struct FillContext: Sendable {
    public var facts: Facts
    public var course: CourseConfig
    public var content: ContentRoot
    public var page: SourcePage
    /// The facts prepared for the parameter language, built once per edition.
    public var parameters: FactsContext

    public init(facts: Facts, course: CourseConfig, content: ContentRoot, page: SourcePage,
                parameters: FactsContext? = nil) {
        self.facts = facts
        self.parameters = parameters ?? FactsContext(facts)
        self.course = course
        self.content = content
        self.page = page
    }

    /// A diagnostic at `position` in this page.
    public func diagnostic(_ message: String, at position: SourcePosition?, severity: Diagnostic.Severity = .error) -> Diagnostic {
        Diagnostic(file: content.display(page.path), line: position?.line ?? 1, column: position?.column ?? 1,
                   severity: severity, message: message)
    }
}
