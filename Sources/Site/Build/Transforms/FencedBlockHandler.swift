import LabgenCore
import Facts
import Foundation
import Markdown

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
