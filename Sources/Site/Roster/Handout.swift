import Foundation
import Markdown

/// One page with every lab of the course, for printing: page breaks between labs, each lab
/// a section `#lab-<name>` whose links and ids are rewritten for the handout (`HandoutLinks`).
/// A part's page (its introduction) comes before its labs, the extra pages after the labs.
struct Handout {
    var templates: Templates
    var codeBlockRenderer: any CodeBlockRenderer

    func render(_ pages: [FilledPage], course: CourseConfig, attendee: String) -> String {
        render(bodies: pages.map { ($0, Self.body($0, codeBlockRenderer: codeBlockRenderer, course: course)) },
               course: course, attendee: attendee)
    }

    /// A lab's part of the handout, before the template.
    static func body(_ page: FilledPage, codeBlockRenderer: any CodeBlockRenderer, course: CourseConfig) -> String {
        let strings = UIStrings.forLanguage(course.language)
        var root = RenderStep.rewriteLinks(page)
        if FrenchTypography.applies(to: course.language) { root = FrenchTypography.apply(root) }
        return HTMLRenderer(codeBlockRenderer: AccessibleCodeBlocks.wrapping(codeBlockRenderer, strings: strings),
                            footnoteBackLabel: strings.footnoteBack).render(root)
    }

    /// The handout from each page's body: every page in course order (parts' pages before
    /// their labs, then the extra pages) but the home page and those whose front matter says
    /// `handout: false`.
    func render(bodies: [(FilledPage, String)], course: CourseConfig, attendee: String) -> String {
        let labPages = bodies.filter { !$0.0.source.isHome && $0.0.source.handout }
        let links = HandoutLinks(labs: labPages.map(\.0.source.outputPath))
        let labs = labPages.map { page, body -> [String: Any] in
            let path = page.source.outputPath
            return ["title": page.title, "id": links.sections[path] ?? "",
                    "body": HandoutLinks.markAway(links.rewrite(body, page: path))]
        }
        let strings = UIStrings.forLanguage(course.language)
        let context: [String: Any] = [
            "lang": course.language ?? "fr", "courseTitle": course.title, "attendee": attendee,
            "labs": labs, "ui": strings.templateValues,
        ]
        // The template links `assets/style.css`, a trace figure its stylesheet: the
        // published names are fingerprinted.
        return String(decoding: templates.fingerprintReferences(templates.render(context, template: "handout")), as: UTF8.self)
    }
}
