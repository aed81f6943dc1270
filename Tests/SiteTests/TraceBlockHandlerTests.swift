import Foundation
import Testing
@testable import Site

/// The ```` ```trace ```` block through the whole build: the repository's own content (the
/// DSR lab and its seed capture), and errors located in the page.
@Suite struct TraceBlockHandlerTests {
    static let repositoryContent = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("content")

    func copyOfContent() throws -> URL {
        let target = try Fixture.temporaryDirectory().appendingPathComponent("content")
        try FileManager.default.copyItem(at: Self.repositoryContent, to: target)
        return target
    }

    @Test func theDSRLabEmbedsItsCapture() async throws {
        let content = try copyOfContent()
        let out = content.deletingLastPathComponent().appendingPathComponent("site")
        try await Fixture.build(content, out: out).run()
        let page = String(decoding: try Data(contentsOf: out.appendingPathComponent("labs/01-ebpf-dsr.html")), as: UTF8.self)
        // Asset URLs are fingerprinted at render time (issue 6): `assets/trace.<hash>.css`.
        let assets = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("assets").path)
        let css = try #require(assets.first { $0.hasPrefix("trace.") && $0.hasSuffix(".css") })
        let js = try #require(assets.first { $0.hasPrefix("trace.") && $0.hasSuffix(".js") })
        #expect(page.contains("<link rel=\"stylesheet\" href=\"../assets/\(css)\">"))
        #expect(page.contains("<script src=\"../assets/\(js)\" defer></script>"))
        #expect(page.contains("data-name=\"cilium.dsr\" data-offset=\"34\" data-length=\"8\""))
        #expect(page.contains("class=\"trace-lane-name\">kind-worker3</text>"))
        #expect(!page.contains("language-trace"))
        #expect(css != "trace.css" && js != "trace.js")
    }

    @Test func badBlocksFailTheBuildAtTheirLine() async throws {
        let content = try copyOfContent()
        let page = content.appendingPathComponent("labs/01-ebpf-dsr.md")
        let text = try String(contentsOf: page, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let fileLine = try #require(lines.firstIndex { $0.hasPrefix("file: ../captures/seed-dsr.pcap") }) + 1
        try text.replacingOccurrences(of: "file: ../captures/seed-dsr.pcap", with: "file: ../../../etc/passwd")
            .write(to: page, atomically: true, encoding: .utf8)
        let out = content.deletingLastPathComponent().appendingPathComponent("site")
        await #expect {
            try await Fixture.build(content, out: out).run()
        } throws: { error in
            guard let failure = error as? BuildFailure, let d = failure.diagnostics.first else { return false }
            return d.file == "content/labs/01-ebpf-dsr.md" && d.line == fileLine && d.column == 7
                && d.message.contains("leaves the content root")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
