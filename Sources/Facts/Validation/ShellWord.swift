/// The one rule for what a fact may hold, because a fact lands in shell commands: the copy
/// button of a page's command block (`data-copy`), a downloadable `.sh`, a line an attendee
/// types. A value is one plain shell word — characters the shell gives no meaning to — so
/// `cd ${{ lab.directory }}` copies `cd /home/lab/basic` and can never copy
/// `cd /home/lab; touch X`. The facts loader refuses any other value at its line and column,
/// so no page and no download can be built from it (a value is never quoted for the shell:
/// a quote would be wrong inside the lab's own quotes).
public enum ShellWord {
    /// Letters and digits (ASCII) and `._:/@%+=,-`: nothing a shell expands, splits, quotes,
    /// redirects or separates commands with.
    public static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        case ".", "_", ":", "/", "@", "%", "+", "=", ",", "-": true
        default: false
        }
    }

    /// nil when `value` is one plain shell word (or empty), else why not, naming the value.
    ///
    /// - Parameters:
    ///   - value: a fact's value.
    public static func check(_ value: String) -> String? {
        let shown = value.debugDescription
        let allowed = "a fact must be one plain shell word (A-Z a-z 0-9 and ._:/@%+=,-) because pages copy it into commands"
        if let bad = value.unicodeScalars.first(where: { !isPlain($0) }) {
            return "\(shown) contains \(describe(bad)); \(allowed)"
        }
        if value.hasPrefix("-") {
            return "\(shown) starts with `-`, which a command would read as an option; \(allowed)"
        }
        return nil
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "'", "\"", "`": "a quote (\(scalar))"
        case _ where scalar.isASCII && scalar.value >= 0x21 && scalar.value < 0x7F: "`\(scalar)`"
        default: CommandArgument.describe(scalar)
        }
    }
}
