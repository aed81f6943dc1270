/// What a page is in the course, read from where its file is (the content tree is the
/// course's outline, so nothing else has to record it):
///
/// ```text
/// index.md                      home       the sommaire
/// labs/01-intro.md              lab        a lab outside any part
/// labs/02-bases/index.md        part       a part's own page (title and introduction)
/// labs/02-bases/01-pods.md      lab        a lab of that part
/// pages/aide-memoire.md         page       an extra page, outside the lab sequence
/// ```
///
/// Works on source paths (`.md`) and output paths (`.html`) alike.
public enum PageKind: Sendable, Equatable {
    case home, lab, part, page

    /// The folder of the labs and parts, and that of the extra pages.
    public static let labsFolder = "labs"
    public static let pagesFolder = "pages"

    /// - Parameters:
    ///   - path: a page's path relative to the content root or the site root.
    public init(path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        if segments.count == 1, segments[0].hasPrefix("index.") {
            self = .home
        } else if segments.count == 2, segments[0] == Self.pagesFolder {
            self = .page
        } else if segments.count == 3, segments[0] == Self.labsFolder, segments[2].hasPrefix("index.") {
            self = .part
        } else {
            self = .lab
        }
    }

    /// Whether previous/next walk through it: the home page, parts and labs, not extra pages.
    public var isInSequence: Bool { self != .page }

    /// The part a lab belongs to, as the part page's path with the same extension:
    /// `labs/02-bases/01-pods.html` → `labs/02-bases/index.html`; nil outside a part (and for the part page itself).
    /// - Parameters:
    ///   - path: the lab's path (`.md` or `.html`).
    public static func part(of path: String) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == 3, segments[0] == labsFolder, !segments[2].hasPrefix("index."), let dot = segments[2].lastIndex(of: ".") else { return nil }
        return "\(labsFolder)/\(segments[1])/index" + segments[2][dot...]
    }
}
