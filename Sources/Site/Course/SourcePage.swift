import Facts
import Markdown

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
