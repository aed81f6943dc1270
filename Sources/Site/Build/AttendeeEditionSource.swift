import LabgenCore
import Foundation

/// The attendees' editions a roster build adds after the shared course, as `Pipeline` runs
/// them: each one's facts (stage 1), the transforms' attendee versions (stage 3), what it
/// adds to its render (stage 5: a handout), and the files made from every outcome (the
/// instructor index). The pipeline fills, checks and renders them as it does the shared
/// course; `RosterEditions` is the roster's.
protocol AttendeeEditionSource: Sendable {
    /// The number of editions, in roster order.
    var count: Int { get }

    /// Before the first edition: checks what the editions need (a template) and makes what
    /// they share.
    /// - Parameters:
    ///   - templates: the loaded templates.
    ///   - course: the course.
    func prepare(templates: Templates, course: CourseConfig) throws

    /// What progress prints when edition `i` starts.
    /// - Parameters:
    ///   - i: the edition, in roster order.
    func label(_ i: Int) -> String

    /// Edition `i`: its facts, with the course's vars resolved, and its folder.
    /// - Parameters:
    ///   - i: the edition, in roster order.
    ///   - config: the course (its vars).
    ///   - content: the content root (for the course file's name in messages).
    func edition(_ i: Int, config: CourseConfig, content: ContentRoot) throws -> CourseEdition

    /// The transforms as they run in the attendees' editions (`PageTransform.forAttendees`).
    /// - Parameters:
    ///   - transforms: the site's.
    func transforms(_ transforms: [any PageTransform]) -> [any PageTransform]

    /// What edition `i` adds to its render (stage 5): the handout and its PDF.
    /// - Parameters:
    ///   - i: the edition, in roster order.
    ///   - pages: its filled pages.
    ///   - rendered: its files as the pipeline rendered them (pages, search, assets,
    ///     downloads), under its prefix.
    ///   - edition: its facts and prefix.
    ///   - course: the course they come from.
    ///   - templates: the loaded templates.
    func additions(_ i: Int, pages: [FilledPage], rendered: [OutputFile], edition: CourseEdition, course: ParsedCourse,
                   templates: Templates) throws -> [OutputFile]

    /// The files made from every edition's outcome, once all are done.
    /// - Parameters:
    ///   - outcomes: per edition, in order: the edition, or why it failed.
    ///   - course: the course.
    ///   - templates: the loaded templates.
    func closing(_ outcomes: [Result<CourseEdition, BuildFailure>], course: CourseConfig, templates: Templates) throws -> [OutputFile]
}
