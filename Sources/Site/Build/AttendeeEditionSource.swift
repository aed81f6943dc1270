import LabgenCore
import Foundation

/// The attendees' editions a roster build adds after the shared course, as `Pipeline` runs
/// them: each one's facts (stage 1), the transforms' attendee versions (stage 3), its render
/// (stage 5: pages, search index, handout), and the files made from every outcome (the
/// instructor index). The pipeline fills and checks them; `RosterEditions` is the roster's.
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

    /// Stage 5 for edition `i`: every file of it, under its prefix.
    /// - Parameters:
    ///   - i: the edition, in roster order.
    ///   - pages: its filled pages.
    ///   - edition: its facts and prefix.
    ///   - assets: the content files its pages link to.
    ///   - course: the course they come from.
    ///   - templates: the loaded templates.
    func render(_ i: Int, pages: [FilledPage], edition: CourseEdition, assets: [String], course: ParsedCourse,
                templates: Templates) async throws -> [OutputFile]

    /// The files made from every edition's outcome, once all are done.
    /// - Parameters:
    ///   - outcomes: per edition, in order: the edition, or why it failed.
    ///   - course: the course.
    ///   - templates: the loaded templates.
    func closing(_ outcomes: [Result<CourseEdition, BuildFailure>], course: CourseConfig, templates: Templates) throws -> [OutputFile]
}
