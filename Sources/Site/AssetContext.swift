/// What templates need to link the site's assets by their fingerprinted names.
extension Templates {
    /// `stylesheets` and `scripts` (every CSS and JS file of `templates/assets/`, by name,
    /// then the search index), each `{href}` relative to the page; `asset.<name_ext>` for one
    /// file (`{{asset.style_css}}`); `searchIndex`.
    func assetContext(root: String, searchIndex: String?) -> [String: Any] {
        let names = assetURLs.keys.sorted()
        var byKey: [String: String] = [:]
        for name in names {
            byKey[String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })] = root + assetURLs[name]!
        }
        // The search index defines a global the page script reads: it comes first.
        var scripts: [[String: String]] = searchIndex.map { [["href": root + $0]] } ?? []
        scripts += names.filter { $0.hasSuffix(".js") }.map { ["href": root + assetURLs[$0]!] }
        let stylesheets = names.filter { $0.hasSuffix(".css") }.map { ["href": root + assetURLs[$0]!] }
        var context: [String: Any] = ["stylesheets": stylesheets, "scripts": scripts, "asset": byKey]
        if let searchIndex { context["searchIndex"] = root + searchIndex }
        return context
    }
}

extension Fingerprint {
    /// CSS and JS get content-hashed names; images and fonts keep theirs, so `url(…)` in a
    /// stylesheet still finds them.
    public static func isFingerprinted(_ name: String) -> Bool {
        name.hasSuffix(".css") || name.hasSuffix(".js")
    }
}
