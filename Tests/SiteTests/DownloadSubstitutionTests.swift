import Foundation
import Testing
import Facts
@testable import Site

@Suite struct DownloadSubstitutionTests {
    static let realContent = ParameterSubstitutionTests.repo.appendingPathComponent("content")

    /// A copy of the real course (tests may edit it), and a build of it into `site/`.
    static func copy() throws -> (URL, URL) {
        let dir = try Fixture.temporaryDirectory()
        let content = dir.appendingPathComponent("content")
        try FileManager.default.copyItem(at: realContent, to: content)
        return (content, dir.appendingPathComponent("site"))
    }

    static func text(_ out: URL, _ path: String) throws -> String {
        try String(contentsOf: out.appendingPathComponent(path), encoding: .utf8)
    }

    static func lines(_ s: String) -> Int { s.split(separator: "\n", omittingEmptySubsequences: false).count }

    @Test func defaultBuildGivesTheSeedsValues() async throws {
        let (content, out) = try Self.copy()
        try await Fixture.build(content, out: out).run(clean: true)
        let web = try Self.text(out, "files/ebpf-dsr/webserver.yml")
        #expect(web.contains("      nodePort: 31400\n") && web.contains("sur le port 31400 de chaque Node"))
        #expect(try Self.text(out, "files/ebpf-dsr/ebpf-values.yaml").contains("\nk8sServiceHost: kind-control-plane\n"))
        let script = try Self.text(out, "files/ebpf-dsr/01-install-cluster.sh")
        #expect(script.contains("CLUSTER_NAME=\"${CLUSTER_NAME:-kind}\"") && script.contains("kindest/node:v1.25.3}\"") && script.contains("\nexpected=4\n"))
        let kind = try Self.text(out, "files/ebpf-dsr/kind-config.yaml")
        #expect(kind.contains("  - role: control-plane\n  - role: worker\n  - role: worker\n  - role: worker\nnetworking:"))
        for (path, text) in try RosterBuildTests.texts(out, "files") { #expect(!text.contains("${{"), "\(path)") }
    }

    @Test func otherFactsFillTheDownloads() async throws {
        let (content, out) = try Self.copy()
        var site = Fixture.build(content, out: out)
        site.factsFile = ParameterSubstitutionTests.otherFacts
        try await site.run(clean: true)
        let web = try Self.text(out, "files/ebpf-dsr/webserver.yml")
        #expect(web.contains("      nodePort: 30080\n") && !web.contains("31400"))
        #expect(try Self.text(out, "files/ebpf-dsr/ebpf-values.yaml").contains("\nk8sServiceHost: lab-control-plane\n"))
        let kind = try Self.text(out, "files/ebpf-dsr/kind-config.yaml")
        #expect(kind.contains("  - role: control-plane\n  - role: worker\n  - role: worker\nnetworking:"))
        #expect(try Self.text(out, "files/ebpf-dsr/01-install-cluster.sh").contains("\nexpected=3\n"))
    }

    @Test func incrementalBuildRefillsDownloadsWhenFactsChange() async throws {
        let (content, out) = try Self.copy()
        try await Fixture.build(content, out: out).run()
        #expect(try Self.text(out, "files/ebpf-dsr/webserver.yml").contains("nodePort: 31400"))
        var site = Fixture.build(content, out: out)
        site.factsFile = ParameterSubstitutionTests.otherFacts
        try await site.run()
        #expect(try Self.text(out, "files/ebpf-dsr/webserver.yml").contains("nodePort: 30080"))
        try await Fixture.build(content, out: out).run()
        #expect(try Self.text(out, "files/ebpf-dsr/webserver.yml").contains("nodePort: 31400"))
    }

    @Test func rosterDownloadsCarryEachAttendeesValues() async throws {
        let (out, summary) = try await RosterBuildTests.build([("alice", "A", try RosterBuildTests.defaultText()),
                                                               ("bob", "B", try RosterBuildTests.otherText())])
        let secret = RosterSecret(Array(RosterBuildTests.secret.utf8))
        #expect(summary.failures.isEmpty)
        #expect(try Self.text(out, secret.token(for: "alice") + "/files/ebpf-dsr/webserver.yml").contains("nodePort: 31400"))
        #expect(try Self.text(out, secret.token(for: "bob") + "/files/ebpf-dsr/webserver.yml").contains("nodePort: 30080"))
    }

    /// Scripts and pages follow one rule (`ShellWord`, applied to the facts when they are
    /// loaded, see `CopyTextSafetyTests`): what a page's command block may hold, a script may
    /// too, e.g. the node list joined with spaces for a `for` loop.
    @Test func scriptsTakeWhatCommandBlocksTake() async throws {
        let (content, out) = try Self.copy()
        let script = content.appendingPathComponent("files/ebpf-dsr/clean-kind.sh")
        let before = try String(contentsOf: script, encoding: .utf8)
        try Data((before + "for ip in ${{ join(nodes.ip, \" \") }} ; do echo $ip ; done\n").utf8).write(to: script)
        try await Fixture.build(content, out: out).run(clean: true)
        #expect(try Self.text(out, "files/ebpf-dsr/clean-kind.sh").hasSuffix("for ip in 172.18.0.3 172.18.0.2 172.18.0.4 172.18.0.5 ; do echo $ip ; done\n"))
        // In a YAML file a value is just text.
        let web = content.appendingPathComponent("files/ebpf-dsr/webserver.yml")
        try Data((try String(contentsOf: web, encoding: .utf8) + "# ${{ \"x; rm -rf ~ <b>\" }}\n").utf8).write(to: web)
        try await Fixture.build(content, out: out).run(clean: true)
        #expect(try Self.text(out, "files/ebpf-dsr/webserver.yml").hasSuffix("# x; rm -rf ~ <b>\n"))
    }

    /// A filled script keeps its bytes but the filled values: its final newline or the lack
    /// of one, blank lines at its end, CRLF line ends (a standalone loop tag takes its whole
    /// `\r\n` line with it, as it takes a `\n` one).
    @Test(arguments: [
        ("echo ${{ nodes[0].ip }}\n", "echo 172.18.0.3\n"),
        ("echo ${{ nodes[0].ip }}", "echo 172.18.0.3"),
        ("echo ${{ nodes[0].ip }}\n\n\n", "echo 172.18.0.3\n\n\n"),
        ("x\n${{ for n in nodes }}\necho ${{ n.ip }}\n${{ end }}\n", "x\necho 172.18.0.3\necho 172.18.0.2\necho 172.18.0.4\necho 172.18.0.5\n"),
        ("x\n${{ if true }}\necho ${{ nodes[0].ip }}\n${{ end }}", "x\necho 172.18.0.3\n"),
        ("echo ${{ nodes[0].ip }}\r\n", "echo 172.18.0.3\r\n"),
        ("x\r\n${{ for n in nodes }}\r\necho ${{ n.ip }}\r\n${{ end }}\r\nfin\r\n",
         "x\r\necho 172.18.0.3\r\necho 172.18.0.2\r\necho 172.18.0.4\r\necho 172.18.0.5\r\nfin\r\n"),
        ("x\r\n  ${{ if true }}  \r\ny\r\n${{ end }}\r\n", "x\r\ny\r\n"),
    ])
    func aFilledScriptKeepsItsBytes(source: String, expected: String) async throws {
        let (content, out) = try Self.copy()
        try Data(source.utf8).write(to: content.appendingPathComponent("files/ebpf-dsr/clean-kind.sh"))
        try await Fixture.build(content, out: out).run(clean: true)
        let published = try Data(contentsOf: out.appendingPathComponent("files/ebpf-dsr/clean-kind.sh"))
        #expect(published == Data(expected.utf8), "\(String(decoding: published, as: UTF8.self).debugDescription)")
    }

    @Test func checkReportsUnknownNamesInDownloads() async throws {
        let (content, out) = try Self.copy()
        let web = content.appendingPathComponent("files/ebpf-dsr/webserver.yml")
        let before = try String(contentsOf: web, encoding: .utf8)
        try Data((before + "# ${{ nodse.ip }}\n").utf8).write(to: web)
        let diagnostics = await Fixture.build(content, out: out).check()
        let line = Self.lines(before)
        #expect(diagnostics.contains { $0.description.hasPrefix("content/files/ebpf-dsr/webserver.yml:\(line):7: error:") && $0.description.contains("nodse") },
                "\(diagnostics.map(\.description))")
        await #expect(throws: BuildFailure.self) { try await Fixture.build(content, out: out).run(clean: true) }
    }
}
