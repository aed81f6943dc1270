import Foundation
import Mustache
import Testing
@testable import Site

@Suite struct AssetContextTests {
    /// The byte loop `fingerprintReferences` was before its search was vectorised: the oracle.
    static func reference(_ html: String, _ assetURLs: [String: String]) -> String {
        var renames: [ArraySlice<UInt8>: [UInt8]] = [:]
        for (name, published) in assetURLs where published != "assets/" + name {
            renames[ArraySlice(Array(name.utf8))] = Array(published.utf8)
        }
        guard !renames.isEmpty else { return html }
        let bytes = Array(html.utf8)
        let prefix = Array("assets/".utf8)
        let quote = UInt8(ascii: "\""), slash = UInt8(ascii: "/")
        var out: [UInt8] = []
        var copied = 0
        var i = 0
        let n = bytes.count
        while i + prefix.count < n {
            guard bytes[i] == prefix[0], i > 0, bytes[i - 1] == quote || bytes[i - 1] == slash,
                  bytes[i..<(i + prefix.count)].elementsEqual(prefix) else { i += 1; continue }
            let nameStart = i + prefix.count
            var j = nameStart
            while j < n, j - nameStart < 128, bytes[j] != quote, bytes[j] != UInt8(ascii: "<"), bytes[j] != slash { j += 1 }
            if j < n, bytes[j] == quote, let published = renames[bytes[nameStart..<j]] {
                out += bytes[copied..<i]
                out += published
                copied = j
            }
            i = j
        }
        if copied == 0 { return html }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }

    static let longName = String(repeating: "n", count: 124) + ".css"

    static let templates = Templates(library: MustacheLibrary(), assets: [], assetURLs: [
        "style.css": "assets/style.0123abcd.css", "site.js": "assets/site.89abcdef.js", "logo.png": "assets/logo.png",
        longName: "assets/long.css", "a.css": "assets/a.1.css",
    ])

    /// Attribute values, text, the ends of the page, nested and broken names, a name of
    /// exactly 128 bytes, and positions on both sides of each 16-byte block of the search.
    static var corpus: [String] {
        var all = ["", "assets/style.css", "\"assets/style.css\"", "\"assets/style.css", "x\"assets/", "\"assets/a.css\"",
                   "<link href=\"../assets/style.css\"><script src=\"assets/site.js\"></script> assets/style.css",
                   "\"assets/assets/style.css\" /assets/style.css\" 'assets/style.css' \"assets/style.css/\" \"assets/style<.css\"",
                   "\"assets/\(longName)\" \"assets/\(longName)x\" \"assets/logo.png\" «\"assets/style.css\"» é\"assets/a.css\"",
                   String(repeating: "\"assets/a.css\"", count: 40)]
        for pad in 0..<40 {
            all.append(String(repeating: "é", count: pad / 2) + String(repeating: "a", count: pad) + "/assets/style.css\"" + String(repeating: "s", count: pad % 7))
        }
        return all
    }

    @Test func fingerprintedBytesMatchTheByteLoop() {
        for html in Self.corpus {
            let expected = Self.reference(html, Self.templates.assetURLs)
            #expect(Self.templates.fingerprintReferences(Array(html.utf8)) == Data(expected.utf8), "\(html)")
            #expect(Self.templates.fingerprintReferences(html) == expected, "\(html)")
        }
        #expect(Self.templates.fingerprintReferences("<a href=\"assets/style.css\">") == "<a href=\"assets/style.0123abcd.css\">")
    }
}
