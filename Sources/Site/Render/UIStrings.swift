/// Every word the templates and the page scripts show that is not content, per course
/// language (`language:` in course.yaml; French unless it says `en`). Templates read them as
/// `{{ui.key}}`; scripts read the few they need from `data-` attributes on `<body>`.
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
    public var search: String
    public var searchPlaceholder: String
    public var searchResults: String
    public var noResults: String
    public var copy: String
    public var copied: String
    public var copyFailed: String
    public var copyLabel: String
    public var theme: String
    public var themeLight: String
    public var themeDark: String
    public var buildError: String
    /// Lab pages without scripts: their sidebar points to the sommaire, which lists the labs.
    public var labsOnHome: String = ""

    public static let french = UIStrings(
        language: "fr", home: "Sommaire", contents: "Sommaire du cours", onThisPage: "Sur cette page",
        previous: "Précédent", next: "Suivant", labs: "Travaux pratiques",
        skipToContent: "Aller au contenu", download: "Télécharger",
        pager: "Navigation entre les pages",
        search: "Rechercher", searchPlaceholder: "Rechercher dans les TP…", searchResults: "Résultats de la recherche",
        noResults: "Aucun résultat", copy: "Copier", copied: "Copié !", copyFailed: "Copie impossible : sélectionnez le texte",
        copyLabel: "Copier les commandes", theme: "Thème", themeLight: "Passer au thème clair",
        themeDark: "Passer au thème sombre", buildError: "Erreur de construction",
        labsOnHome: "La liste des travaux pratiques est sur le sommaire")

    public static let english = UIStrings(
        language: "en", home: "Contents", contents: "Course contents", onThisPage: "On this page",
        previous: "Previous", next: "Next", labs: "Hands-on labs",
        skipToContent: "Skip to content", download: "Download",
        pager: "Page navigation",
        search: "Search", searchPlaceholder: "Search the labs…", searchResults: "Search results",
        noResults: "No results", copy: "Copy", copied: "Copied!", copyFailed: "Cannot copy: select the text",
        copyLabel: "Copy the commands", theme: "Theme", themeLight: "Switch to the light theme",
        themeDark: "Switch to the dark theme", buildError: "Build error",
        labsOnHome: "The list of labs is on the contents page")

    /// The strings for `language` (`fr` when absent or unknown): `en`, `en-GB`… give English.
    public static func forLanguage(_ language: String?) -> UIStrings {
        let code = (language ?? "fr").lowercased().prefix { $0.isLetter }
        switch code {
        case "en": return .english
        default: return .french
        }
    }

    var templateValues: [String: String] {
        ["language": language, "home": home, "contents": contents, "onThisPage": onThisPage,
         "previous": previous, "next": next, "labs": labs, "skipToContent": skipToContent, "download": download,
         "pager": pager, "search": search, "searchPlaceholder": searchPlaceholder, "searchResults": searchResults,
         "noResults": noResults, "copy": copy, "copied": copied, "copyFailed": copyFailed, "copyLabel": copyLabel,
         "theme": theme, "themeLight": themeLight, "themeDark": themeDark, "buildError": buildError,
         "labsOnHome": labsOnHome]
    }
}
