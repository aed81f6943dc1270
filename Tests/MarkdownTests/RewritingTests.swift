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
