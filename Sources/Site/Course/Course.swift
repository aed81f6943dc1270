import Facts
import Markdown

/// `content/course.yaml` (read by `CourseConfigLoader`).
public struct CourseConfig: Sendable, Equatable {
    public var title: String
    /// `fr` by default; selects the UI strings.
    public var language: String?
    /// One sentence about the course: the pages' `<meta name="description">`.
    public var description: String?
    /// The author's own parameters, `${{ vars.name }}`, by name.
    public var vars: [String: Var] = [:]

    /// A declaration and where it is in course.yaml (for errors about its values).
    public struct Var: Sendable, Equatable {
        public var declaration: VarDeclaration
        public var line: Int
        public var column: Int
    }

    /// The languages the UI and trace views are written in (`en-GB` reads as `en`).
    public static let languages = ["fr", "en"]

    public init(title: String, language: String? = "fr", description: String? = nil) {
        self.title = title
        self.language = language
        self.description = description
    }

    /// Of everything in it that pages show or read: title, language, description, vars.
    var digest: Digest {
        var parts = [title, language ?? "\u{0}", description ?? "\u{0}"]
        for (name, v) in vars.sorted(by: { $0.key < $1.key }) {
            parts += [name, v.declaration.type.rawValue, v.declaration.defaultValue.map { "\($0)" } ?? "\u{0}"]
        }
        return Digest.combining(parts)
    }
}

/// A markdown page as read from the content directory.
public struct SourcePage: Sendable, Equatable {
    /// Relative to the content root: `index.md`, `labs/01-dsr.md`.
    public var path: String
    /// The markdown, with any front matter blanked out (lines kept, so positions stay true).
    public var markdown: String
    /// `title:` from the front matter.
    public var title: String?

    public init(path: String, markdown: String, title: String? = nil) {
        self.path = path
        self.markdown = markdown
        self.title = title
    }

    /// `labs/01-dsr.html`.
    public var outputPath: String { SourcePage.outputPath(for: path) }

    public static func outputPath(for markdownPath: String) -> String {
        String(markdownPath.dropLast(3)) + ".html"
    }

    public var isHome: Bool { path == "index.md" }
}

/// Everything `load` found: the configuration and the pages, home first, then labs by name.
public struct Course: Sendable {
    public var config: CourseConfig
    public var content: ContentRoot
    public var pages: [SourcePage]

    public init(config: CourseConfig, content: ContentRoot, pages: [SourcePage]) {
        self.config = config
        self.content = content
        self.pages = pages
    }
}

/// A page after `parse`: facts-independent, parsed once and shared by every edition.
public struct ParsedPage: Sendable {
    public var source: SourcePage
    public var document: Document

    public init(source: SourcePage, document: Document) {
        self.source = source
        self.document = document
    }
}

public struct ParsedCourse: Sendable {
    public var config: CourseConfig
    public var content: ContentRoot
    public var pages: [ParsedPage]

    public init(config: CourseConfig, content: ContentRoot, pages: [ParsedPage]) {
        self.config = config
        self.content = content
        self.pages = pages
    }
}

/// A page after `fill`: values substituted, blocks expanded, headings given their ids.
public struct FilledPage: Sendable {
    public var source: SourcePage
    public var document: Document
    public var title: String
    /// Every heading in order, with its unique id.
    public var headings: [Heading]
    /// Content files the transforms and handlers read or looked for while filling it.
    public var dependencies: [FileDependency] = []

    /// Where this page sits in the course's navigation.
    public var link: Navigation.Link {
        Navigation.Link(path: source.outputPath, title: title, isHome: source.isHome)
    }

    public struct Heading: Sendable, Equatable, Codable {
        public var level: Int
        public var title: String
        public var id: String
    }
}
