import Facts

/// One edition of the course: the facts its pages are filled with and the folder of the
/// site it is written to — the shared course (prefix `""`, the default facts) or one
/// attendee's copy (prefix `"<token>/"`, their facts). Stages 3–5 run once per edition.
public struct CourseEdition: Sendable {
    public var facts: Facts
    /// Prepended to every output path of the edition: `""` or `"<token>/"`.
    public var prefix: String

    /// - Parameters:
    ///   - facts: the values its pages are filled with.
    ///   - prefix: its folder in the site, `""` for the shared course.
    public init(facts: Facts, prefix: String = "") {
        self.facts = facts
        self.prefix = prefix
    }
}
