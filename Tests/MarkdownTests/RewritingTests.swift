import Testing
@testable import Markdown

@Suite struct RewritingTests {
    @Test func replaceBlockAndLinks() {
        let doc = Document(parsing: "[a](x.md) ![i](img/p.png)\n\n```trace\nz\n```\n")
        let root = doc.root.rewritten { node in
            var node = node
            switch node.kind {
            case .link(let d, let t): node.kind = .link(destination: d.replacingSuffix(".md", with: ".html"), title: t)
            case .image(_, let t): node.kind = .image(source: "other.png", title: t)
            case .codeBlock(let b) where b.language == "trace": node.kind = .customBlock(html: "<div class=\"trace\"></div>")
            default: break
            }
            return [node]
        }
        #expect(HTMLRenderer().render(root) ==
                "<p><a href=\"x.html\">a</a> <img src=\"other.png\" alt=\"i\" /></p>\n<div class=\"trace\"></div>\n")
    }

    /// `replacing` puts nodes in place of the matched ones (none, one or several), leaves the
    /// subtree of a replaced node unvisited and everything else as it was.
    @Test func replacingSplicesOnlyWhatMatches() {
        let doc = Document(parsing: "# T\n\n- un [lien](a.md)\n- deux\n\n```trace\nz\n```\n\n```sh\nls\n```\n\nfin\n")
        #expect(doc.root.replacing { _ in nil } == doc.root)
        var visitedInsideLinks = 0
        func change(_ node: Node) -> [Node]? {
            switch node.kind {
            case .link(let d, let t):
                var copy = node
                copy.kind = .link(destination: d.replacingSuffix(".md", with: ".html"), title: t)
                return [copy]
            case .text("lien"): visitedInsideLinks += 1; return nil
            case .codeBlock(let b) where b.language == "trace": return [Node(.customBlock(html: "<div>1</div>")), Node(.customBlock(html: "<div>2</div>"))]
            case .codeBlock: return []
            default: return nil
            }
        }
        let root = doc.root.replacing(change)
        #expect(visitedInsideLinks == 0)
        #expect(HTMLRenderer().render(root) ==
                "<h1>T</h1>\n<ul>\n<li>un <a href=\"a.html\">lien</a></li>\n<li>deux</li>\n</ul>\n<div>1</div>\n<div>2</div>\n<p>fin</p>\n")
        // The same result as rebuilding the whole tree with `rewritten` (which does visit
        // the link's text, after the link's children were rewritten).
        #expect(root == doc.root.rewritten { change($0) ?? [$0] })
    }

    @Test func headingIdAndCustomInline() {
        var root = Document(parsing: "## Déploiement\n\nvaleur 31400\n").root
        root = root.rewritten { node in
            var node = node
            if case .heading(let level, _) = node.kind { node.kind = .heading(level: level, id: "deploiement") }
            if case .text("valeur 31400") = node.kind {
                return [Node(.text("valeur ")),
                        Node(.customInline(open: "<span class=\"fact\">", close: "</span>"), children: [Node(.text("<31400>"))])]
            }
            return [node]
        }
        #expect(HTMLRenderer().render(root) ==
                "<h2 id=\"deploiement\">Déploiement</h2>\n<p>valeur <span class=\"fact\">&lt;31400&gt;</span></p>\n")
    }

    @Test func codeBlockRendererIsTheExtensionPointAndMarksAreEscaped() {
        struct Upper: CodeBlockRenderer {
            func render(_ block: CodeBlock) -> String { "<pre>" + block.literal.uppercased() + "</pre>\n" }
        }
        let doc = Document(parsing: "```sh\nls\n```\n")
        #expect(doc.html(renderer: HTMLRenderer(codeBlockRenderer: Upper())) == "<pre>LS\n</pre>\n")
        let marked = CodeBlock(info: "bash", literal: "curl 172.18.0.2:31400\n",
                               marks: [CodeBlock.Mark(range: 5..<15, attributes: [("class", "fact"), ("title", "nodes[1].ip \"<x>\"")])])
        #expect(PlainCodeBlockRenderer().render(marked) ==
                "<pre><code class=\"language-bash\">curl <span class=\"fact\" title=\"nodes[1].ip &quot;&lt;x&gt;&quot;\">172.18.0.2</span>:31400\n</code></pre>\n")
    }
}

extension String {
    func replacingSuffix(_ suffix: String, with new: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + new : self
    }
}
