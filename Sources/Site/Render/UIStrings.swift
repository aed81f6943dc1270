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
    /// What comes between a word and what it introduces: U+00A0 and `:` in French.
    public var colon: String = ":"
    /// The footnote back-link's accessible name.
    public var footnoteBack: String = ""
    /// A code block's accessible name (it can be scrolled with the keyboard), before its language.
    public var codeBlock: String = ""
    /// The handout's cover: "Support personnel de <name>", and how filled values look.
    public var handoutFor: String = ""
    public var handoutNote: String = ""
    /// The instructor index.
    public var instructor: String = ""
    public var instructorHeading: String = ""
    public var instructorWarning: String = ""
    public var instructorColumns: [String] = []
    public var handoutLink: String = ""
    public var failed: String = ""
    /// The sidebar's list of extra pages (`pages/*.md`), the breadcrumb on a part's lab, and
    /// a part page's list of its labs.
    public var pages: String = ""
    public var breadcrumb: String = ""
    public var partLabs: String = ""

    public static let french = UIStrings(
        language: "fr", home: "Sommaire", contents: "Sommaire du cours", onThisPage: "Sur cette page",
        previous: "Précédent", next: "Suivant", labs: "Travaux pratiques",
        skipToContent: "Aller au contenu", download: "Télécharger",
        pager: "Navigation entre les pages",
        search: "Rechercher", searchPlaceholder: "Rechercher dans les TP…", searchResults: "Résultats de la recherche",
        noResults: "Aucun résultat", copy: "Copier", copied: "Copié\u{202F}!", copyFailed: "Copie impossible\u{00A0}: sélectionnez le texte",
        copyLabel: "Copier les commandes", theme: "Thème", themeLight: "Passer au thème clair",
        themeDark: "Passer au thème sombre", buildError: "Erreur de construction",
        labsOnHome: "La liste des travaux pratiques est sur le sommaire", colon: "\u{00A0}:",
        footnoteBack: "Revenir au texte", codeBlock: "Bloc de code",
        handoutFor: "Support personnel de", handoutNote: "Les valeurs soulignées en pointillé sont celles de votre cluster.",
        instructor: "Animateur", instructorHeading: "supports des participants",
        instructorWarning: "Page réservée à l’animateur\u{00A0}: ne la partagez pas. Chaque participant reçoit le lien de son propre dossier.",
        instructorColumns: ["id", "nom", "dossier", "support imprimable"], handoutLink: "support", failed: "En échec",
        pages: "Annexes", breadcrumb: "Fil d’Ariane", partLabs: "Dans cette partie")

    public static let english = UIStrings(
        language: "en", home: "Contents", contents: "Course contents", onThisPage: "On this page",
        previous: "Previous", next: "Next", labs: "Hands-on labs",
        skipToContent: "Skip to content", download: "Download",
        pager: "Page navigation",
        search: "Search", searchPlaceholder: "Search the labs…", searchResults: "Search results",
        noResults: "No results", copy: "Copy", copied: "Copied!", copyFailed: "Cannot copy: select the text",
        copyLabel: "Copy the commands", theme: "Theme", themeLight: "Switch to the light theme",
        themeDark: "Switch to the dark theme", buildError: "Build error",
        labsOnHome: "The list of labs is on the contents page", colon: ":",
        footnoteBack: "Back to content", codeBlock: "Code block",
        handoutFor: "Personal handout of", handoutNote: "Values underlined with dots are those of your cluster.",
        instructor: "Instructor", instructorHeading: "attendees’ handouts",
        instructorWarning: "For the instructor only: do not share this page. Each attendee gets the link to their own folder.",
        instructorColumns: ["id", "name", "folder", "printable handout"], handoutLink: "handout", failed: "Failed",
        pages: "More pages", breadcrumb: "Breadcrumb", partLabs: "In this part")

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
         "labsOnHome": labsOnHome, "colon": colon, "footnoteBack": footnoteBack, "codeBlock": codeBlock,
         "handoutFor": handoutFor, "handoutNote": handoutNote, "pages": pages, "breadcrumb": breadcrumb,
         "partLabs": partLabs]
    }
}
