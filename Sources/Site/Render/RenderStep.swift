import LabgenCore
import Foundation
import Markdown
import Mustache

/// Step 5, render: each filled page through the markdown renderer and the templates, with
/// links to `.md` pages pointed at `.html`, a table of contents and navigation.
public struct RenderStep: Sendable {
    public var templates: Templates
    public var codeBlockRenderer: any CodeBlockRenderer

    public init(templates: Templates, codeBlockRenderer: any CodeBlockRenderer = PlainCodeBlockRenderer()) {
        self.templates = templates
        self.codeBlockRenderer = codeBlockRenderer
    }

    /// Renders every page; `prefix` (`""` or `"<token>/"`) is prepended to output paths so an
    /// edition can live in its own folder.
    public func run(_ pages: [FilledPage], course: CourseConfig, prefix: String = "") async -> [OutputFile] {
        let navigation = self.navigation(for: pages.map(\.link), course: course)
        let search = SearchIndex.files(pages: pages)
        let rendered = await parallelMap(Array(pages.indices)) { [self] index in
            OutputFile(path: prefix + pages[index].source.outputPath,
                       contents: renderPage(pages[index], at: index, navigation: navigation, course: course, searchIndex: SearchIndex.path))
        }
        return rendered + (templates.assets + search + [navigation.script]).map { OutputFile(path: prefix + $0.path, contents: $0.contents) }
    }

    /// The course-wide links, built once per edition from every page's path and title.
    public func navigation(for links: [Navigation.Link], course: CourseConfig, listingLabs: Bool = true) -> Navigation {
        Navigation(links: links, templates: templates, course: course, strings: UIStrings.forLanguage(course.language),
                   listingLabs: listingLabs)
    }

    /// One page, `index` being its place in `navigation.links`; `searchIndex`: the index
    /// script's path in the site (see `SearchIndex.outputFile`).
    public func renderPage(_ page: FilledPage, at index: Int, navigation: Navigation, course: CourseConfig,
                           searchIndex: String? = nil) -> Data {
        let strings = UIStrings.forLanguage(course.language)
        let here = page.source.outputPath
        // The page title comes first, then the table of contents, then the rest: a leading
        // `# Title` is rendered apart; without one, the template writes the title.
        let from = page.source.path
        let renderer = HTMLRenderer(codeBlockRenderer: AccessibleCodeBlocks.wrapping(codeBlockRenderer, strings: strings),
                                    linkDestination: { LinkRewriter.rewrite($0, from: from) },
                                    footnoteBackLabel: strings.footnoteBack)
        let french = FrenchTypography.applies(to: course.language)
        let root = french ? FrenchTypography.apply(page.document.root) : page.document.root
        let prose = { (s: String) in french ? FrenchTypography.text(s) : s }
        var headingHTML: String?
        var bodyStart = 0
        if let first = root.children.first, case .heading(1, _) = first.kind {
            headingHTML = renderer.render(Node(.document, children: [first]))
            bodyStart = 1
        }
        let body = HTMLBytes(renderer.renderBytes(root, childrenFrom: bodyStart))
        let links = navigation.links
        func link(_ other: Navigation.Link) -> [String: Any] {
            ["href": relativeURL(from: here, to: other.path), "title": prose(other.title)]
        }
        var context: [String: Any] = [
            "lang": course.language ?? "fr",
            "courseTitle": prose(course.title),
            "courseDescription": course.description ?? "",
            "title": prose(page.title),
            "body": body,
            "hasHeading": headingHTML != nil,
            "headingHTML": headingHTML ?? "",
            "ui": strings.templateValues,
            "root": relativeURL(from: here, to: "index.html").dropLast("index.html".count).description,
            "isHome": page.source.isHome,
            "path": here,
            // Only the sommaire lists the labs in its HTML; lab pages get them from the script.
            "labsHTML": page.source.isHome ? navigation.labsHTML : "",
        ]
        if let home = links.first(where: \.isHome) { context["home"] = link(home) }
        context.merge(templates.assetContext(root: context["root"] as! String, searchIndex: searchIndex)) { $1 }
        let toc = page.headings.filter { $0.level == 2 || $0.level == 3 }
        if !toc.isEmpty {
            context["hasToc"] = true
            context["toc"] = toc.map { ["id": $0.id, "title": prose($0.title), "level": $0.level, "sub": $0.level == 3] as [String: Any] }
        }
        let (previous, next) = navigation.neighbours(of: index)
        if let previous { context["previous"] = link(links[previous]) }
        if let next { context["next"] = link(links[next]) }
        // Only a course with parts or extra pages adds these keys.
        let outline = navigation.outline
        if let part = outline.part[index] { context["part"] = link(links[part]) }
        if let labs = outline.labs[index], !labs.isEmpty {
            context["hasPartLabs"] = true
            context["partLabs"] = labs.map { link(links[$0]) }
        }
        if outline.hasPages {
            context["hasPages"] = true
            context["pagesHTML"] = page.source.isHome ? navigation.pagesHTML : ""
        }
        return templates.fingerprintReferences(templates.render(context, template: "page"))
    }

    /// `.md` destinations become `.html`; everything else is kept as written.
    static func rewriteLinks(_ page: FilledPage) -> Node {
        // A link's children hold no link (CommonMark does not nest them): not visited.
        page.document.root.replacing { node in
            guard case .link(let destination, let title) = node.kind else { return nil }
            var copy = node
            copy.kind = .link(destination: LinkRewriter.rewrite(destination, from: page.source.path), title: title)
            return [copy]
        }
    }
}
