/// Every word the templates show that is not content, per course language (issue 6 adds
/// English here; templates read them as `{{ui.key}}`).
public struct UIStrings: Sendable, Equatable {
    public var language: String
    public var home: String
    public var contents: String
    public var onThisPage: String
    public var previous: String
    public var next: String
    public var labs: String
    public var skipToContent: String
    public var download: String
    public var pager: String

    public static let french = UIStrings(
        language: "fr", home: "Sommaire", contents: "Sommaire du cours", onThisPage: "Sur cette page",
        previous: "Précédent", next: "Suivant", labs: "Travaux pratiques",
        skipToContent: "Aller au contenu", download: "Télécharger",
        pager: "Navigation entre les pages")

    /// The strings for `language` (`fr` when unknown).
    public static func forLanguage(_ language: String?) -> UIStrings {
        switch language {
        default: return .french
        }
    }

    var templateValues: [String: String] {
        ["language": language, "home": home, "contents": contents, "onThisPage": onThisPage,
         "previous": previous, "next": next, "labs": labs, "skipToContent": skipToContent, "download": download,
         "pager": pager]
    }
}
