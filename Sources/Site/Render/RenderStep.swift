import LabgenCore
import Foundation
import Markdown
import Mustache

/// A file of the generated site: a path relative to the site root and its bytes.
public struct OutputFile: Sendable, Equatable {
    public var path: String
    public var contents: Data

    public init(path: String, contents: Data) {
        self.path = path
        self.contents = contents
    }
}

/// The theme: mustache templates (`page` uses the `layout` and its partials) and the static
/// files under `assets/`, published as `assets/`; built in, overridden file by file by a
/// course's `templates/` (see `ThemeFiles`).
public struct Templates: Sendable {
    /// Fixed once loaded: `shapes` caches renders made with it.
    public let library: MustacheLibrary
    /// `assets/style.<hash>.css` → bytes (CSS and JS fingerprinted, other files as named).
    public var assets: [OutputFile]
    /// `style.css` → `assets/style.<hash>.css`: what templates link to.
    public var assetURLs: [String: String]
    /// nil: every render goes through mustache (see `render(_:template:)`).
    let shapes: ShapeCompiler?

    public static let requiredTemplates = ["page", "layout", Navigation.entryTemplate]

    /// Renders with mustache alone: only `load` sees the template texts and can tell whether
    /// they allow rendering by shape.
    public init(library: MustacheLibrary, assets: [OutputFile], assetURLs: [String: String] = [:]) {
        self.init(library: library, assets: assets, assetURLs: assetURLs, shapes: nil)
    }

    private init(library: MustacheLibrary, assets: [OutputFile], assetURLs: [String: String], shapes: ShapeCompiler?) {
        self.library = library
        self.assets = assets
        self.assetURLs = assetURLs
        self.shapes = shapes
    }

    /// The built-in theme (`DefaultTheme`, embedded from labgen's `templates/`) with the
    /// files of `directory` over it: a course's `templates/` replaces any subset of files
    /// (a partial, one asset), and a missing `directory` means the built-in theme alone.
    /// `shapeCompiled: false` renders every page with mustache alone (the tests compare both);
    /// it is also off when a template uses a feature a shape cannot follow
    /// (`ShapeCompiler.allows`).
    public static func load(from directory: URL, shapeCompiled: Bool = true) async throws -> Templates {
        let files = try ThemeFiles(overriding: directory)
        // Every `.mustache` is named by its path without the extension (`page`, `partials/x`),
        // as `MustacheLibrary(directory:)` names them; each text is kept to vet it for
        // shape-compiled rendering.
        var library = MustacheLibrary()
        var allowsShapes = shapeCompiled
        for (path, file) in files.files where path.hasSuffix(".mustache") {
            let text = String(decoding: file.data, as: UTF8.self)
            do {
                library.register(try MustacheTemplate(string: text), named: String(path.dropLast(".mustache".count)))
            } catch let error as MustacheTemplate.ParserError {
                var (line, column) = (error.context.lineNumber, error.context.columnNumber)
                if case .expectedSectionEnd? = error.error as? MustacheTemplate.Error,
                   let opened = TemplateErrorText.unclosedSection(in: text) {
                    (line, column) = (opened.line, opened.column)
                }
                throw Diagnostic(file: file.display, line: line, column: column,
                                 message: "template: \(TemplateErrorText.describe(error.error)); fix the template, or delete it to use the built-in one")
            }
            allowsShapes = allowsShapes && ShapeCompiler.allows(text)
        }
        for name in requiredTemplates where library.getTemplate(named: name) == nil {
            throw Diagnostic(file: directory.appendingPathComponent(name + ".mustache").path, message: "missing template")
        }
        var assets: [OutputFile] = []
        var urls: [String: String] = [:]
        for (path, file) in files.files where path.hasPrefix("assets/") {
            let name = String(path.dropFirst("assets/".count))
            guard !name.contains("/") else { continue }
            let published = "assets/" + (Fingerprint.isFingerprinted(name) ? Fingerprint.name(name, data: file.data) : name)
            assets.append(OutputFile(path: published, contents: file.data))
            urls[name] = published
        }
        return Templates(library: library, assets: assets, assetURLs: urls, shapes: allowsShapes ? ShapeCompiler() : nil)
    }

    /// `library.render(context, withTemplate: name)` (nothing for a missing template) as
    /// UTF-8, byte for byte, by shape when allowed.
    func render(_ context: [String: Any], template name: String) -> [UInt8] {
        if let shapes, let bytes = shapes.render(context, template: name, library: library) { return bytes }
        return Array((library.render(context, withTemplate: name) ?? "").utf8)
    }
}

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
        if index > 0 { context["previous"] = link(links[index - 1]) }
        if index + 1 < links.count { context["next"] = link(links[index + 1]) }
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
