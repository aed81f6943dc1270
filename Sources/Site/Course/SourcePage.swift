import Facts
import Markdown

/// A markdown page as read from the content directory.
public struct SourcePage: Sendable, Equatable {
    /// Relative to the content root: `index.md`, `labs/01-dsr.md`, `labs/02-bases/index.md`,
    /// `pages/annexe.md`.
    public var path: String
    /// The markdown, with any front matter blanked out (lines kept, so positions stay true).
    public var markdown: String
    /// `title:` from the front matter.
    public var title: String?
    /// False with `handout: false` in the front matter: not in the attendees' handouts.
    public var handout: Bool

    public init(path: String, markdown: String, title: String? = nil, handout: Bool = true) {
        self.path = path
        self.markdown = markdown
        self.title = title
        self.handout = handout
    }

    /// Home, lab, part or extra page, from where the file is.
    public var kind: PageKind { PageKind(path: path) }

    /// `labs/01-dsr.html`.
    public var outputPath: String { SourcePage.outputPath(for: path) }

    public static func outputPath(for markdownPath: String) -> String {
        String(markdownPath.dropLast(3)) + ".html"
    }

    public var isHome: Bool { path == "index.md" }
}
