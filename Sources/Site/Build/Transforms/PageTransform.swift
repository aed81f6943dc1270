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

/// A document-to-document hook run per page and per edition (e.g. per attendee): parameter
/// substitution is one. Throw a `Diagnostic` or `BuildFailure` to stop the build.
///
/// A transform declares what it reads, so the pipeline never has to know it by type: the
/// facts (`readsFacts`, which tells a rebuild what a facts change makes stale) and content
/// files (read through `FillContext.content`, whose read log records them for the rebuild),
/// and how it runs for attendees once the shared course went through it (`forAttendees`).
public protocol PageTransform: Sendable {
    func transform(_ document: Document, context: FillContext) throws -> Document
    /// Whether the output for `page` may depend on the facts, told from its text alone.
    /// Default: true (a transform that does not say is assumed to read them everywhere).
    /// - Parameters:
    ///   - page: the page's source.
    func readsFacts(_ page: SourcePage) -> Bool
    /// This transform as the attendees' editions of a roster build run it, after the shared
    /// course was built with it. Default: itself.
    /// - Parameters:
    ///   - editions: what the attendees' editions share.
    func forAttendees(_ editions: AttendeeEditions) -> any PageTransform
}

extension PageTransform {
    public func readsFacts(_ page: SourcePage) -> Bool { true }
    public func forAttendees(_ editions: AttendeeEditions) -> any PageTransform { self }
}

/// Renders a fenced block whose info string starts with `language` (` ```trace … `).
public protocol FencedBlockHandler: Sendable {
    /// The first word of the info string this handler takes.
    var language: String { get }
    /// HTML for the block (escape what you emit), or nil to leave it as a code block.
    func render(_ block: CodeBlock, at position: SourcePosition?, context: FillContext) throws -> String?
    /// This handler as the attendees' editions run it. Default: itself.
    /// - Parameters:
    ///   - editions: what the attendees' editions share.
    func forAttendees(_ editions: AttendeeEditions) -> any FencedBlockHandler
}

extension FencedBlockHandler {
    public func forAttendees(_ editions: AttendeeEditions) -> any FencedBlockHandler { self }
}
