import LabgenCore
import Foundation
import Markdown
import Mustache

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

    public static let requiredTemplates = ["page", "layout", Navigation.entryTemplate, Navigation.partTemplate]

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
