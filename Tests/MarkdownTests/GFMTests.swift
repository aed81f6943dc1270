import LabgenCore
import Testing
@testable import Markdown

/// GitHub-flavoured features, through the real libcmark-gfm, and the Swift renderer held to
/// cmark's own output byte for byte.
@Suite struct GFMTests {
    static let sample = """
    # Titre `code` é

    Texte[^n] et encore[^n] puis[^b]. ~~barré~~ et <ins>**souligné**</ins>.

    [^b]: B note
    [^n]: Une *note*.

        second para

    | a | b | c |
    |:-|-:|:-:|
    | x | ~~y~~ | `z|` |
    | 1 |

    - [ ] à faire
    - [x] fait

    1. un
    2. deux

    3) trois

    > cité
    > > imbriqué

    www.example.com, https://kind.sigs.k8s.io/ et contact@example.com <script>alert(1)</script>

    <div>
    <style>x</style>
    </div>

    ```bash extra
    echo "<a>" & 'b'
    ```

        indenté

    ![alt *x* `y`](../img/a b.png "t&t") [lien](x.md#ancre "titre") [vide]()
    ligne\\
    cassée  
    encore

    ---
    * a

    * b
    """

    @Test func rendersLikeCmark() {
        let doc = Document(parsing: Self.sample)
        #expect(doc.html() == Document.referenceHTML(Self.sample))
    }

    @Test func table() {
        let html = Document(parsing: "| a | b |\n|:-|-:|\n| x | y |\n").html()
        #expect(html.contains("<th align=\"left\">a</th>"))
        #expect(html.contains("<td align=\"right\">y</td>"))
        #expect(html.contains("<tbody>"))
    }

    @Test func taskList() {
        let doc = Document(parsing: "- [ ] a\n- [x] b\n")
        #expect(doc.root.children[0].children.map(\.kind) == [.item(task: false), .item(task: true)])
        let html = doc.html()
        #expect(html.contains("<li><input type=\"checkbox\" disabled=\"\" /> a</li>"))
        #expect(html.contains("<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> b</li>"))
    }

    @Test func strikethroughAndAutolink() {
        let html = Document(parsing: "~~non~~ voir www.cilium.io\n").html()
        #expect(html == "<p><del>non</del> voir <a href=\"http://www.cilium.io\">www.cilium.io</a></p>\n")
    }

    @Test func rawInlineHTMLPassesAndTagFilterApplies() {
        let html = Document(parsing: "un <ins>**KinD**</ins> <script>x</script>\n").html()
        #expect(html == "<p>un <ins><strong>KinD</strong></ins> &lt;script>x&lt;/script></p>\n")
    }

    @Test func footnotes() {
        let doc = Document(parsing: "Voir[^dsr].\n\n[^dsr]: Direct Server Return.\n")
        #expect(doc.root.children.last?.kind == .footnoteDefinition(label: "dsr"))
        let html = doc.html()
        #expect(html.contains("<a href=\"#fn-dsr\" id=\"fnref-dsr\" data-footnote-ref>1</a>"))
        #expect(html.contains("<li id=\"fn-dsr\">"))
    }

    @Test func fencedCodeKeepsLanguageClassAndEscapes() {
        let html = Document(parsing: "```bash\necho <a> && ls\n```\n").html()
        #expect(html == "<pre><code class=\"language-bash\">echo &lt;a&gt; &amp;&amp; ls\n</code></pre>\n")
    }

    @Test func positions() {
        let source = "# Titre\n\nUn [lien](a.md) et\n<ins>x<ins>\n\n```trace captures/a.pcap\nx\n```\n"
        let doc = Document(parsing: source)
        var found: [String: SourcePosition] = [:]
        doc.root.forEach { node in
            switch node.kind {
            case .heading: found["heading"] = node.position
            case .link: found["link"] = node.position
            case .htmlInline: if found["html"] == nil { found["html"] = node.position }
            case .codeBlock(let block):
                found["code"] = node.position
                #expect(block.language == "trace")
                #expect(block.arguments == "captures/a.pcap")
                #expect(block.literal == "x\n")
            default: break
            }
        }
        #expect(found["heading"] == SourcePosition(line: 1, column: 1))
        #expect(found["link"] == SourcePosition(line: 3, column: 4))
        #expect(found["html"] == SourcePosition(line: 4, column: 1))
        #expect(found["code"] == SourcePosition(line: 6, column: 1))
    }
}

/// A code block's language is the info string's first word as cmark-gfm cuts it: at a space,
/// tab or line end only (a no-break space, an em space, a form feed are part of the word).
@Suite struct InfoStringTests {
    @Test func languageIsCutAsCmarkCutsIt() {
        for info in ["bash", "trace captures/a.pcap", "bash\tx", "a\u{0B}b", "a\u{0C}b", "é x", "x\u{00A0}y", "x\u{2003}y z",
                     "console  ", "c++ -x", "日本 語", "a\u{00A0}b"] {
            let source = "```\(info)\nx\n```\n"
            #expect(Document(parsing: source).html() == Document.referenceHTML(source), "\(info.unicodeScalars.map(\.value))")
            let block = CodeBlock(info: info, literal: "")
            let asciiSpace: Set<Character> = [" ", "\t", "\n", "\r"]
            #expect(block.language == String(info.prefix { !asciiSpace.contains($0) }))
        }
        #expect(CodeBlock(info: "a\u{00A0}b", literal: "").language == "a\u{00A0}b")
        #expect(CodeBlock(info: "trace  captures/a.pcap \t", literal: "").arguments == "captures/a.pcap")
        #expect(CodeBlock(info: "trace", literal: "").arguments == "")
    }
}

/// Footnotes as cmark-gfm numbers and links them, in the cases where reading labels back
/// from source columns went wrong.
@Suite struct FootnoteTests {
    @Test(arguments: [
        "foo\n   bar[^1]\n\n[^1]: note\n",                      // reference on an indented continuation line
        "> a\nlazy[^1]\n\n[^1]: note\n",                         // on a lazy continuation line of a quote
        "- item\n  suite[^x] et[^x]\n\n[^x]: note\n",
        "x[^Straße] y[^STRASSE]\n\n[^STRASSE]: note\n",          // labels match by Unicode case folding
        "x[^ǅ] y[^ǆ]\n\n[^Ǆ]: note\n",
        "[^a]: see[^b]\n\nx[^b] y[^a]\n\n[^b]: bb\n",           // repeat ids in source order
        "![a[^1] b](x.png) y[^1]\n\n[^1]: n\n",                  // a reference in an image description counts
        "a[^1]\n\n[^1]: un\n[^1]: deux\n\n[^2]: jamais\n",
        "| a | b |\n|---|---|\n| x[^t] | y[^t] |\n\n[^t]: table\n",
        "  [^a]: indentée\n\n> [^b]: citée\n\nx[^b][^a] [^c]\n",
    ])
    func rendersLikeCmark(_ source: String) {
        #expect(Document(parsing: source).html() == Document.referenceHTML(source))
    }

    @Test func indentedContinuationKeepsItsLabelAndNumber() {
        let html = Document(parsing: "foo\n   bar[^1]\n\n[^1]: note\n").html()
        #expect(html.contains("<a href=\"#fn-1\" id=\"fnref-1\" data-footnote-ref>1</a>"))
        #expect(!html.contains(">0<"))
    }
}

/// GFM's tag filter, inline and in HTML blocks, in every case, equals cmark-gfm's.
@Suite struct TagFilterTests {
    @Test func filteredTagsLikeCmark() {
        let tags = ["title", "TEXTAREA", "Style", "xmp", "iframe", "noembed", "noFrames", "script", "plaintext",
                    "ins", "T", "ti", "titles", "s", "x", "i", "n", "p", "div", "pre", "span"]
        var source = ""
        for tag in tags {
            source += "Un <\(tag)>x</\(tag)> et <\(tag) a=\"1\"/> ou <\(tag)/> <\(tag)\tb>.\n\n"
            source += "<\(tag)>\nbloc <\(tag)> </\(tag)>\n</\(tag)>\n\n"
            source += "<div>\n<\(tag)>dans un div</\(tag)> <\(tag)\n</div>\n\n"
        }
        let doc = Document(parsing: source)
        #expect(doc.html() == Document.referenceHTML(source))
    }
}
