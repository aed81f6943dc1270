import LabgenCore
import Foundation
import Markdown

/// The instructor's page: every attendee, their folder and handout, and who failed.
enum InstructorIndex {
    static func render(course: CourseConfig, built: [RosterBuild.Built], failures: [RosterBuild.Failure], pdf: Bool) -> String {
        let e = { HTMLEscaping.escape($0) }
        var rows = ""
        for a in built {
            rows += "<tr><td>\(e(a.id))</td><td>\(e(a.name))</td><td><a href=\"\(a.token)/index.html\">\(a.token)/</a></td>"
            rows += "<td><a href=\"\(a.token)/handout.html\">support</a>"
            if pdf { rows += " · <a href=\"\(a.token)/handout.pdf\">PDF</a>" }
            rows += "</td></tr>\n"
        }
        var failed = ""
        for f in failures {
            failed += "<li><strong>\(e(f.id))</strong> (\(e(f.name))) :<pre>\(e(f.diagnostics.map(\.description).joined(separator: "\n")))</pre></li>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="\(e(course.language ?? "fr"))">
        <head>
        <meta charset="utf-8">
        <meta name="robots" content="noindex">
        <title>Animateur · \(e(course.title))</title>
        <link rel="stylesheet" href="assets/style.css">
        </head>
        <body>
        <main class="instructor">
        <h1>\(e(course.title)) : supports des participants</h1>
        <p>Page réservée à l'animateur : ne la partagez pas. Chaque participant reçoit le lien de son propre dossier.</p>
        <table>
        <thead><tr><th>id</th><th>nom</th><th>dossier</th><th>support imprimable</th></tr></thead>
        <tbody>
        \(rows)</tbody>
        </table>
        \(failures.isEmpty ? "" : "<h2>En échec (\(failures.count))</h2>\n<ul>\n\(failed)</ul>")
        </main>
        </body>
        </html>

        """
    }
}
