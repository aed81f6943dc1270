import Foundation
import Mustache
import Testing
@testable import Site

@Suite struct MustacheEscapingTests {
    /// The oracle: what swift-mustache itself writes for `{{x}}`.
    static func mustache(_ s: String) -> String {
        try! MustacheTemplate(string: "{{x}}").render(["x": s])
    }

    static func ours(_ s: String) -> String {
        var out: [UInt8] = []
        MustacheEscaping.append(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Every ASCII character alone, after and before every other, and next to non-ASCII
    /// scalars that join a grapheme cluster (combining accent, ZWJ, variation selector, a
    /// prepended mark, a spacing mark) or not (é, CJK, emoji, a noncharacter).
    static var corpus: [String] {
        let ascii = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        let neighbours = ["é", "\u{301}", "\u{200D}", "\u{FE0F}", "\u{600}", "\u{903}", "日本", "👍🏽", "🇫🇷",
                          String(Unicode.Scalar(0xFDD0)!), "\r", "\n", "\r\n", "e\u{301}"]
        var all = ascii
        for a in ascii { for b in ["<", ">", "&", "\"", "'", "a"] { all.append(a + b); all.append(b + a) } }
        for special in ["<", ">", "&", "\"", "'"] {
            for n in neighbours {
                all += [n + special, special + n, n + special + n, "x" + special + n + "y", n + n + special + special]
            }
        }
        all += ["", "Déploiement d'une app", "a < b && c > \"d\"", "<script>alert('é')</script>",
                "«\u{A0}guillemets\u{A0}» & “autres” ’", String(repeating: "&é<", count: 100)]
        return all
    }

    @Test func matchesSwiftMustacheOnCorpus() {
        for s in Self.corpus {
            #expect(Self.ours(s) == Self.mustache(s), "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func appendsAfterExistingBytes() {
        var out = Array("avant ".utf8)
        MustacheEscaping.append("\"\u{301}<", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "avant " + Self.mustache("\"\u{301}<"))
    }
}
