import LabgenCore
import Facts
import Foundation

/// The roster's attendees as editions of the course (`AttendeeEditionSource`): each under
/// `<token>/` with its own facts, its pages rendered as the shared course's, a printable
/// handout (and its PDF with `--pdf`); after them all, the instructor index no attendee page
/// links to.
struct RosterEditions: AttendeeEditionSource {
    let site: SiteBuild
    let roster: Roster
    let secret: RosterSecret
    /// Where the roster is, and its name in messages: attendees' facts files are beside it.
    let rosterFile: URL
    let rosterDisplayPath: String
    /// Prints handouts to PDF (`--pdf`), or nil.
    let chromium: Chromium?
    /// What the transforms and handlers share between attendees (trace figures).
    let shared: AttendeeEditions

    /// - Parameters:
    ///   - site: the build.
    ///   - roster: the attendees, in order.
    ///   - secret: the instructor's secret (the tokens).
    ///   - rosterFile: the roster file.
    ///   - rosterDisplayPath: its name in messages.
    ///   - sharingFigures: whether attendees whose trace figures read the same values share
    ///     one render (false: the reference each attendee's own are tested against).
    ///   - chromium: the PDF printer, or nil.
    init(site: SiteBuild, roster: Roster, secret: RosterSecret, rosterFile: URL, rosterDisplayPath: String, sharingFigures: Bool,
         chromium: Chromium?) {
        self.site = site
        self.roster = roster
        self.secret = secret
        self.rosterFile = rosterFile
        self.rosterDisplayPath = rosterDisplayPath
        self.chromium = chromium
        self.shared = AttendeeEditions(sharingFigures: sharingFigures)
    }

    var count: Int { roster.attendees.count }

    func label(_ i: Int) -> String { "attendee \(roster.attendees[i].id)" }

    /// The handout template is there.
    func prepare(templates: Templates, course: CourseConfig) throws {
        guard templates.library.getTemplate(named: "handout") != nil else {
            throw Diagnostic(file: site.templatesDirectory.appendingPathComponent("handout.mustache").path, message: "missing template")
        }
    }

    func edition(_ i: Int, config: CourseConfig, content: ContentRoot) throws -> CourseEdition {
        let attendee = roster.attendees[i]
        let factsURL = URL(fileURLWithPath: attendee.facts, relativeTo: rosterFile.deletingLastPathComponent()).standardizedFileURL
        let factsName = RosterBuild.display(attendee.facts, relativeTo: rosterDisplayPath)
        let facts = try config.resolvingVars(in: try FactsFileReader.load(file: factsURL, displayPath: factsName),
                                             factsFile: factsName, courseFile: content.display("course.yaml"))
        return CourseEdition(facts: facts, prefix: secret.token(for: attendee.id) + "/")
    }

    /// Each transform and handler says how it runs for attendees (no casts here).
    func transforms(_ transforms: [any PageTransform]) -> [any PageTransform] {
        transforms.map { $0.forAttendees(shared) }
    }

    /// The handout: every lab on one page for printing, and its PDF with `--pdf`.
    func additions(_ i: Int, pages: [FilledPage], rendered: [OutputFile], edition: CourseEdition, course: ParsedCourse,
                   templates: Templates) throws -> [OutputFile] {
        let prefix = edition.prefix
        let handout = Handout(templates: templates, codeBlockRenderer: site.codeBlockRenderer)
            .render(pages, course: course.config, attendee: roster.attendees[i].name)
        var files = [OutputFile(path: prefix + "handout.html", contents: Data(handout.utf8))]
        if let chromium {
            // The handout's images, stylesheets and scripts, where it links them.
            let beside = rendered.filter { !$0.path.hasSuffix(".html") }
                .map { OutputFile(path: String($0.path.dropFirst(prefix.count)), contents: $0.contents) }
            files.append(OutputFile(path: prefix + "handout.pdf", contents: try chromium.printToPDF(html: handout, assets: beside)))
        }
        return files
    }

    /// The instructor index: every attendee's link, or why their edition failed.
    func closing(_ outcomes: [Result<CourseEdition, BuildFailure>], course: CourseConfig, templates: Templates) throws -> [OutputFile] {
        // Its stylesheet link is fingerprinted like every page's.
        let page = InstructorIndex.render(course: course, built: built(outcomes), failures: failures(outcomes), pdf: chromium != nil)
        return [OutputFile(path: instructorIndex, contents: Data(templates.fingerprintReferences(page).utf8))]
    }

    /// `instructor-<token>.html`, relative to the output.
    var instructorIndex: String { "instructor-\(secret.instructorToken).html" }

    /// The attendees whose edition was built, in roster order.
    /// - Parameters:
    ///   - outcomes: per attendee, their edition or failure.
    func built(_ outcomes: [Result<CourseEdition, BuildFailure>]) -> [RosterBuild.Built] {
        zip(roster.attendees, outcomes).compactMap { attendee, outcome in
            guard case .success = outcome else { return nil }
            return RosterBuild.Built(id: attendee.id, name: attendee.name, token: secret.token(for: attendee.id))
        }
    }

    /// The attendees whose edition failed, and why.
    /// - Parameters:
    ///   - outcomes: per attendee, their edition or failure.
    func failures(_ outcomes: [Result<CourseEdition, BuildFailure>]) -> [RosterBuild.Failure] {
        zip(roster.attendees, outcomes).compactMap { attendee, outcome in
            guard case .failure(let failure) = outcome else { return nil }
            return RosterBuild.Failure(id: attendee.id, name: attendee.name, diagnostics: failure.diagnostics)
        }
    }
}
