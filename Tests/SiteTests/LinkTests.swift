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

/// Fast paths of link handling agree with the general ones.
@Suite struct LinkFastPathTests {
    @Test func joiningEqualsSegmentResolution() {
        let pages = ["", "index.md", "labs/01.md", "labs/sous/02.md", "./labs/x.md", "labs//x.md", "/abs/x.md", ".cache/x.md", "labs/.x/y.md"]
        let references = ["a.md", "img/x.png", "../index.md", "./a.md", "a/./b", "a//b", "a/", "/a", ".hidden", "a/.b", "a/..", "..", ".",
                          "é/ü.png", "a b.md", "a/b/c/d.txt", "a..b", "a.b/c"]
        for page in pages {
            for reference in references {
                #expect(ContentRoot.resolve(reference, from: page) == ContentRoot.resolveBySegments(reference, from: page), "\(reference) from \(page)")
            }
        }
    }

    @Test func javaScriptStrings() {
        #expect(Navigation.javaScriptString("a\"b\\c\n\r\t</x>\u{2028}\u{2029}\u{0B}\u{1F}é<a>/") ==
                "\"a\\\"b\\\\c\\n\\r\\t<\\/x>\\u2028\\u2029\\u000b\\u001fé<a>/\"")
    }
}
