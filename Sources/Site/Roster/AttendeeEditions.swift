import Foundation

/// What the attendees' editions of one roster build share, handed once to every transform
/// and fenced-block handler (`forAttendees`) before the attendees are filled: each may
/// return a version of itself for attendees (parameter substitution skips the branch check
/// the shared course already did; the trace handler draws each distinct figure once).
public final class AttendeeEditions: Sendable {
    /// Trace figures shared between attendees; nil when each attendee's are drawn (the
    /// reference the shared figures are tested against).
    let traceFigures: TraceFigureCache?

    /// - Parameters:
    ///   - sharingFigures: whether attendees with the same figure share one render.
    init(sharingFigures: Bool) {
        traceFigures = sharingFigures ? TraceFigureCache() : nil
    }
}
