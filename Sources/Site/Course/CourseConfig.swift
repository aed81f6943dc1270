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
