import LabgenCore
import Foundation
import Markdown

/// The instructor's page: every attendee, their folder and handout, and who failed.
enum InstructorIndex {
    /// The page with `assets/style.css` as written (the caller fingerprints it), in the
    /// course's language.
    static func render(course: CourseConfig, built: [RosterBuild.Built], failures: [RosterBuild.Failure], pdf: Bool) -> String {
        let e = { HTMLEscaping.escape($0) }
        let ui = UIStrings.forLanguage(course.language)
        var rows = ""
        for a in built {
            rows += "<tr><td>\(e(a.id))</td><td>\(e(a.name))</td><td><a href=\"\(a.token)/index.html\">\(a.token)/</a></td>"
            rows += "<td><a href=\"\(a.token)/handout.html\">\(e(ui.handoutLink))</a>"
            if pdf { rows += " · <a href=\"\(a.token)/handout.pdf\">PDF</a>" }
            rows += "</td></tr>\n"
        }
        var failed = ""
        for f in failures {
            failed += "<li><strong>\(e(f.id))</strong> (\(e(f.name)))\(e(ui.colon))<pre tabindex=\"0\">\(e(f.diagnostics.map(\.description).joined(separator: "\n")))</pre></li>\n"
        }
        let columns = ui.instructorColumns.map { "<th scope=\"col\">\(e($0))</th>" }.joined()
        return """
        <!DOCTYPE html>
        <html lang="\(e(course.language ?? "fr"))">
        <head>
        <meta charset="utf-8">
        <meta name="robots" content="noindex">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(ui.instructor)) · \(e(course.title))</title>
        <link rel="icon" href="assets/favicon.svg" type="image/svg+xml">
        <link rel="stylesheet" href="assets/style.css">
        </head>
        <body>
        <main class="instructor">
        <h1>\(e(course.title))\(e(ui.colon)) \(e(ui.instructorHeading))</h1>
        <p>\(e(ui.instructorWarning))</p>
        <table>
        <thead><tr>\(columns)</tr></thead>
        <tbody>
        \(rows)</tbody>
        </table>
        \(failures.isEmpty ? "" : "<h2>\(e(ui.failed)) (\(failures.count))</h2>\n<ul>\n\(failed)</ul>")
        </main>
        </body>
        </html>

        """
    }
}
