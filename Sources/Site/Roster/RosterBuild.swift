import LabgenCore
import Facts
import Foundation
import Markdown

/// `labgen build --roster FILE`: the shared course once, then one personalised copy per
/// attendee under `<token>/` (token = HMAC-SHA256 of the id with the instructor's secret),
/// each with a printable handout, and an instructor index no attendee page links to.
///
/// The course is loaded and parsed once; each attendee only costs fill → check → render.
/// An attendee whose facts are bad is reported and skipped; the others are built.
public struct RosterBuild: Sendable {
    public var site: SiteBuild
    public var rosterFile: URL
    public var rosterDisplayPath: String
    /// Also print each handout to `<token>/handout.pdf` with headless Chromium.
    public var pdf: Bool
    /// Attendees whose trace figures read the same values share one render of it
    /// (`TraceFigureCache`); false draws every attendee's figures (the reference the shared
    /// figures are tested against).
    public var sharingFigures = true

    public init(site: SiteBuild, rosterFile: URL, rosterDisplayPath: String? = nil, pdf: Bool = false) {
        self.site = site
        self.rosterFile = rosterFile
        self.rosterDisplayPath = rosterDisplayPath ?? rosterFile.path
        self.pdf = pdf
    }

    public struct Built: Sendable, Equatable {
        public var id: String
        public var name: String
        public var token: String
    }

    public struct Failure: Sendable {
        public var id: String
        public var name: String
        public var diagnostics: [Diagnostic]
    }

    /// Who was built, who failed and why, and where the instructor index is.
    public struct Report: Sendable {
        public var built: [Built]
        public var failures: [Failure]
        /// `instructor-<token>.html`, relative to the output.
        public var instructorIndex: String
        public var files: Int
    }

    /// Builds the shared course and every attendee's edition (`Pipeline`, with
    /// `RosterEditions`), written as one site; no rebuild record is kept.
    /// - Parameters:
    ///   - progress: told each step (what `--verbose` shows).
    ///   - waiting: told once when another build holds the output's lock (shown by default).
    @discardableResult
    public func run(progress: @escaping @Sendable (String) -> Void = { _ in },
                    waiting: @Sendable (String) -> Void = { _ in }) async throws -> Report {
        try site.checkOutputIsSafe()
        // Held from the start: a second build into the same output waits before any work.
        let outputLock = try await OutputLock.acquire(for: site.output.standardizedFileURL, waiting: waiting)
        defer { outputLock.release() }
        let (roster, secret) = try loadRoster()
        let editions = RosterEditions(site: site, roster: roster, secret: secret, rosterFile: rosterFile,
                                      rosterDisplayPath: rosterDisplayPath, sharingFigures: sharingFigures, chromium: pdf ? try Chromium.find() : nil)
        let outcome = try await Pipeline(site: site, progress: progress)
            .run(Pipeline.Request(recording: false), attendees: editions, lock: outputLock)
        return Report(built: editions.built(outcome.attendees), failures: editions.failures(outcome.attendees),
                      instructorIndex: editions.instructorIndex, files: outcome.files)
    }

    func loadRoster() throws -> (Roster, RosterSecret) {
        let roster: Roster
        do {
            roster = try Roster.load(from: rosterFile, displayPath: rosterDisplayPath)
        } catch {
            throw BuildFailure(error.diagnostics)
        }
        let problems = Roster.problems(in: roster, file: rosterDisplayPath)
        if !problems.isEmpty { throw BuildFailure(problems) }
        let secretPath = roster.secret ?? ""
        let url = URL(fileURLWithPath: secretPath, relativeTo: rosterFile.deletingLastPathComponent()).standardizedFileURL
        do {
            return (roster, try RosterSecret.load(from: url, displayPath: Self.display(secretPath, relativeTo: rosterDisplayPath)))
        } catch {
            throw BuildFailure(error.diagnostics)
        }
    }

    static func display(_ path: String, relativeTo roster: String) -> String {
        if path.hasPrefix("/") { return path }
        let dir = (roster as NSString).deletingLastPathComponent
        return dir.isEmpty ? path : dir + "/" + path
    }
}
