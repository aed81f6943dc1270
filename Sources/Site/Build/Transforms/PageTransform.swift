import LabgenCore
import Facts
import Foundation
import Markdown

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
