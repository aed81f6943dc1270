import Testing
@testable import Site

@Suite struct LinkTests {
    @Test func markdownLinksPointAtGeneratedPages() {
        #expect(LinkRewriter.rewrite("02-deploiement.md", from: "labs/01.md") == "02-deploiement.html")
        #expect(LinkRewriter.rewrite("../index.md#sommaire", from: "labs/01.md") == "../index.html#sommaire")
        #expect(LinkRewriter.rewrite("labs/01.md?x=1#a", from: "index.md") == "labs/01.html?x=1#a")
        #expect(LinkRewriter.rewrite("https://example.com/a.md", from: "index.md") == "https://example.com/a.md")
        #expect(LinkRewriter.rewrite("../files/ebpf-values.yaml", from: "labs/01.md") == "../files/ebpf-values.yaml")
        #expect(LinkRewriter.rewrite("#ancre", from: "labs/01.md") == "#ancre")
    }

    @Test func classification() {
        #expect(LinkTarget.classify("../img/a%20b.png", from: "labs/01.md") == .file(path: "img/a b.png", fragment: nil))
        #expect(LinkTarget.classify("mailto:x@y.fr", from: "index.md") == .external)
        #expect(LinkTarget.classify("/sol/x.yaml", from: "index.md") == .absolute)
        #expect(LinkTarget.classify("../../etc/passwd", from: "labs/01.md") == .escapes)
        #expect(LinkTarget.classify("#cr%C3%A9ation", from: "index.md") == .anchor("création"))
    }

    @Test func relativeURLs() {
        #expect(relativeURL(from: "labs/01.html", to: "index.html") == "../index.html")
        #expect(relativeURL(from: "labs/01.html", to: "labs/02.html") == "02.html")
        #expect(relativeURL(from: "index.html", to: "labs/02.html") == "labs/02.html")
        #expect(relativeURL(from: "tok/labs/01.html", to: "tok/index.html") == "../index.html")
    }
}
