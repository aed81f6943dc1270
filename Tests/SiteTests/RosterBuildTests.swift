import Foundation
import Testing
import Facts
import Packets
@testable import Site

@Suite struct RosterBuildTests {
    static let secret = "s3cr3t-for-tests-0123456789"

    /// The real course, a roster of attendees (id → facts JSON text), built into `site/`.
    static func build(_ attendees: [(String, String, String)], pdf: Bool = false,
                      content source: URL = ParameterSubstitutionTests.repo.appendingPathComponent("content"),
                      configure: (inout RosterBuild) -> Void = { _ in }) async throws -> (URL, RosterBuild.Report) {
        let dir = try Fixture.temporaryDirectory()
        let content = dir.appendingPathComponent("content")
        try FileManager.default.copyItem(at: source, to: content)
        let rosterDir = dir.appendingPathComponent("roster")
        try FileManager.default.createDirectory(at: rosterDir.appendingPathComponent("facts"), withIntermediateDirectories: true)
        try Data((secret + "\n").utf8).write(to: rosterDir.appendingPathComponent("roster.secret"))
        var yaml = "secret: roster.secret\nattendees:\n"
        for (id, name, facts) in attendees {
            try Data(facts.utf8).write(to: rosterDir.appendingPathComponent("facts/\(id).json"))
            yaml += "  - id: \(id)\n    name: \"\(name)\"\n    facts: facts/\(id).json\n"
        }
        let roster = rosterDir.appendingPathComponent("roster.yaml")
        try Data(yaml.utf8).write(to: roster)
        let out = dir.appendingPathComponent("site")
        let site = SiteBuild(content: ContentRoot(content, displayPath: "content"), output: out, templatesDirectory: Fixture.templates)
        var build = RosterBuild(site: site, rosterFile: roster, rosterDisplayPath: "roster/roster.yaml", pdf: pdf)
        configure(&build)
        let summary = try await build.run()
        return (out, summary)
    }

    static func defaultText() throws -> String {
        try String(contentsOf: ParameterSubstitutionTests.repo.appendingPathComponent("content/facts/default.json"), encoding: .utf8)
    }

    static func otherText() throws -> String {
        try String(contentsOf: ParameterSubstitutionTests.otherFacts, encoding: .utf8)
    }

    /// Every file under `dir/prefix`, as text.
    static func texts(_ root: URL, _ prefix: String) throws -> [String: String] {
        try Fixture.tree(root.appendingPathComponent(prefix)).mapValues { String(decoding: $0, as: UTF8.self) }
    }

    /// Each handout shows the DSR option its own attendee's SYN must carry (their contacted
    /// node, NodePort and Cilium version), never another attendee's.
    @Test func handoutsCarryTheirOwnComputedOptionBytes() async throws {
        let chloe = try Self.defaultText()
            .replacingOccurrences(of: "\"ip\": \"172.18.0.2\"", with: "\"ip\": \"172.19.4.2\"")
            .replacingOccurrences(of: "\"nodePort\": 31400", with: "\"nodePort\": 30999")
        let bob = try Self.otherText()
        let bobFacts = try FactsFileReader.load(file: ParameterSubstitutionTests.otherFacts, displayPath: "bob.json")
        let bobPod = try #require(bobFacts.pods.first { $0.labels["app"] == "echoserver" })
        let bobNode = try #require(bobFacts.contactNode(avoiding: bobPod.node))
        let bobPort = try #require(bobFacts.services[0].ports[0].nodePort)
        let bobHex = DSROptionLayout.text(try #require(CiliumDSR.expectedIPv4(address: bobNode.ip, port: UInt16(bobPort), ciliumVersion: bobFacts.cilium.version)).raw)
        let chloeHex = "9a08 1779 0204 13ac"
        #expect(bobHex != chloeHex && bobHex != "9a08 a87a 0200 12ac")
        let (out, summary) = try await Self.build([("chloe", "Chloé", chloe), ("bob", "Bob", bob)])
        #expect(summary.failures.isEmpty)
        let secret = RosterSecret(Array(Self.secret.utf8))
        let handouts = [("chloe", chloeHex, bobHex), ("bob", bobHex, chloeHex)]
        for (id, own, other) in handouts {
            let texts = try Self.texts(out, secret.token(for: id))
            for path in ["handout.html", "labs/01-ebpf-dsr.html"] {
                let text = try #require(texts[path])
                #expect(text.contains("<code class=\"trace-expected-bytes\">\(own)</code>"), "\(id)'s \(path) shows their bytes")
                #expect(!text.contains(other), "\(id)'s \(path) shows another attendee's bytes")
                #expect(!text.contains("valeurs-par-defaut"), "no default-facts banner for \(id)")
            }
        }
        // The shared course, built from the default facts: the recorded bytes and the banner.
        let shared = String(decoding: try Data(contentsOf: out.appendingPathComponent("labs/01-ebpf-dsr.html")), as: UTF8.self)
        #expect(shared.contains("<code class=\"trace-expected-bytes\">9a08 a87a 0200 12ac</code>"))
        #expect(shared.contains("class=\"valeurs-par-defaut\""))
    }

    @Test func attendeesGetTheirOwnValuesOnly() async throws {
        let alice = try Self.defaultText()
        let bob = try Self.otherText()
        let (out, summary) = try await Self.build([("alice", "Alice Martin", alice), ("bob", "Bob <script>x</script>", bob)])
        #expect(summary.failures.isEmpty)
        let secret = RosterSecret(Array(Self.secret.utf8))
        #expect(summary.built.map(\.token) == [secret.token(for: "alice"), secret.token(for: "bob")])
        let a = try Self.texts(out, secret.token(for: "alice"))
        let b = try Self.texts(out, secret.token(for: "bob"))
        #expect(a.keys.contains("labs/01-ebpf-dsr.html") && a.keys.contains("handout.html") && a.keys.contains("index.html"))
        // Values only Bob's cluster has, and only Alice's (outside the recorded example).
        let bobOnly = ["192.168.49.1", "192.168.49.12", "02:42:c0:a8:31:0c", "veth9a0b1c2", "30080", "/home/alice/tp-dsr", "lab-worker2", "alice@vm-alice"]
        let aliceOnly = ["172.18.0.5", "vethff61702", "02:42:ac:12:00:05", "31400", "/home/lab/basic", "valeurs par défaut"]
        for (path, text) in a where path.hasSuffix(".html") {
            for v in bobOnly { #expect(!text.contains(v), "alice's \(path) shows bob's \(v)") }
        }
        for (path, text) in b where path.hasSuffix(".html") {
            let shown = ParameterSubstitutionTests.withoutRecordedExample(text)
            for v in aliceOnly { #expect(!shown.contains(v), "bob's \(path) shows alice's \(v)") }
        }
        #expect(b["labs/01-ebpf-dsr.html"]!.contains(">192.168.49.12</span>"))
        // The handout: all labs, page breaks, the attendee's name escaped, no instructor link.
        let handout = try #require(b["handout.html"])
        #expect(handout.contains("Support personnel de Bob &lt;script&gt;x&lt;/script&gt;"))
        #expect(handout.contains("<section class=\"handout-lab\" id=\"lab-01-ebpf-dsr\">") && handout.contains(".handout-lab { break-before: page; }"))
        #expect(handout.components(separatedBy: "<section class=\"handout-lab\"").count == 2, "one lab in the course")
        for text in Array(a.values) + Array(b.values) { #expect(!text.contains("instructor-")) }
        let index = try String(contentsOf: out.appendingPathComponent(summary.instructorIndex), encoding: .utf8)
        #expect(summary.instructorIndex == "instructor-\(secret.instructorToken).html")
        #expect(index.contains("href=\"\(secret.token(for: "bob"))/handout.html\"") && index.contains("Bob &lt;script&gt;"))
        // The shared course is there too, with the default facts.
        #expect(try String(contentsOf: out.appendingPathComponent("labs/01-ebpf-dsr.html"), encoding: .utf8).contains(">vethff61702</span>"))
    }

    @Test func oneBadAttendeeFailsAloneAndTokensAreStable() async throws {
        let good = try Self.defaultText()
        let bad = good.replacingOccurrences(of: "\"02:42:ac:12:00:05\"", with: "\"02:42:ac:12:00\"")
        let (out, summary) = try await Self.build([("alice", "A", good), ("carol", "C", bad), ("dave", "D", try Self.otherText())])
        #expect(summary.built.map(\.id) == ["alice", "dave"])
        #expect(summary.failures.map(\.id) == ["carol"])
        let message = try #require(summary.failures.first?.diagnostics.first?.description)
        #expect(message.hasPrefix("roster/facts/carol.json:") && message.contains("nodes[3].mac: \"02:42:ac:12:00\" is not a MAC address"))
        let secret = RosterSecret(Array(Self.secret.utf8))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(secret.token(for: "carol")).path))
        let index = try String(contentsOf: out.appendingPathComponent(summary.instructorIndex), encoding: .utf8)
        #expect(index.contains("En échec (1)") && index.contains("is not a MAC address"))
        // A second build gives the same folders, byte for byte.
        let (again, _) = try await Self.build([("alice", "A", good), ("carol", "C", bad), ("dave", "D", try Self.otherText())])
        #expect(try Fixture.tree(out) == Fixture.tree(again))
    }

    /// Every `href`/`src` of a handout: a file of the attendee's folder or an id of the handout.
    static func unresolved(handout: String, folder: URL) -> [String] {
        func values(_ attribute: String) -> [String] {
            handout.components(separatedBy: " \(attribute)=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        }
        let ids = values("id")
        var problems = Set(ids.filter { id in ids.filter { $0 == id }.count > 1 }.map { "duplicate id \($0)" })
        let known = Set(ids)
        for url in values("href") + values("src") {
            let url = url.replacingOccurrences(of: "&amp;", with: "&")
            if url.hasPrefix("http:") || url.hasPrefix("https:") || url.hasPrefix("mailto:") { continue }
            if url.hasPrefix("#") {
                if !known.contains(url.dropFirst().removingPercentEncoding ?? "") { problems.insert("no id for \(url)") }
                continue
            }
            let path = String(url.prefix { $0 != "#" && $0 != "?" }).removingPercentEncoding ?? url
            var isDirectory: ObjCBool = false
            if path.hasPrefix("/") || path.contains("..")
                || !FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isDirectory)
                || isDirectory.boolValue {
                problems.insert("no file for \(url)")
            } else if let hash = url.firstIndex(of: "#"), path.hasSuffix(".html") {
                let page = (try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)) ?? ""
                if !page.contains(" id=\"\(url[url.index(after: hash)...])\"") { problems.insert("no id for \(url)") }
            }
        }
        return problems.sorted()
    }

    @Test func handoutLinksResolveFromTheHandout() async throws {
        // The test course: two labs, an image, a download, a link between labs with a
        // fragment, the same heading twice, a footnote; then the real course (a trace figure).
        let course = Fixture.root.appendingPathComponent("course")
        let courseFacts = try String(contentsOf: course.appendingPathComponent("facts/default.json"), encoding: .utf8)
        let secret = RosterSecret(Array(Self.secret.utf8))
        for (content, facts) in [(course, courseFacts), (ParameterSubstitutionTests.repo.appendingPathComponent("content"), try Self.defaultText())] {
            let (out, summary) = try await Self.build([("alice", "Alice", facts)], content: content)
            #expect(summary.failures.isEmpty)
            let folder = out.appendingPathComponent(secret.token(for: "alice"))
            let handout = try String(contentsOf: folder.appendingPathComponent("handout.html"), encoding: .utf8)
            #expect(Self.unresolved(handout: handout, folder: folder) == [], "\(content.lastPathComponent)")
            #expect(!handout.contains("href=\"assets/style.css\""), "the stylesheet's published name")
            if content == course {
                #expect(handout.contains("<section class=\"handout-lab\" id=\"lab-01-decouverte\">"))
                #expect(handout.contains("<img src=\"img/schema.png\""))
                #expect(handout.contains("href=\"files/01-decouverte/install.sh\""))
                #expect(handout.contains("href=\"#lab-02-deploiement\""))
                #expect(handout.contains("href=\"#lab-01-decouverte--creation-du-cluster-kind-1\""))
                #expect(handout.contains("href=\"index.html\""))
            } else {
                #expect(handout.contains("href=\"files/ebpf-dsr/webserver.yml\""))
                #expect(handout.contains("href=\"#lab-01-ebpf-dsr--analyse-de-la-config-reseau-determination-de-la-veth-a-sniffer\""))
                #expect(handout.contains("<div class=\"trace\" id=\"lab-01-ebpf-dsr--trace-l"))
            }
        }
    }

    @Test func rosterWithoutSecretIsRefused() async throws {
        let dir = try Fixture.temporaryDirectory()
        let roster = dir.appendingPathComponent("roster.yaml")
        try Data("attendees:\n  - {id: a, name: A, facts: a.json}\n".utf8).write(to: roster)
        let site = SiteBuild(content: ContentRoot(ParameterSubstitutionTests.repo.appendingPathComponent("content")),
                             output: dir.appendingPathComponent("site"), templatesDirectory: Fixture.templates)
        await #expect(throws: BuildFailure.self) { try await RosterBuild(site: site, rosterFile: roster).run() }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("site").path))
    }

    @Test func handoutPrintsToPDFWithChromium() async throws {
        guard (try? Chromium.find()) != nil else {
            print("skipped: no chromium installed")
            return
        }
        let (out, summary) = try await Self.build([("alice", "Alice", try Self.defaultText())], pdf: true)
        let pdf = try Data(contentsOf: out.appendingPathComponent(summary.built[0].token + "/handout.pdf"))
        #expect(pdf.starts(with: Array("%PDF".utf8)))
    }

    /// The roster's shared course is the edition a plain build makes: one pipeline for both,
    /// so every file of it is byte-identical to `labgen build`'s (beside the attendees'
    /// folders, the instructor index and the plain build's rebuild record).
    @Test func theSharedCourseIsWhatAPlainBuildMakes() async throws {
        let (out, summary) = try await Self.build([("bob", "Bob", try Self.otherText())])
        #expect(summary.failures.isEmpty && summary.built.count == 1)
        let token = RosterSecret(Array(Self.secret.utf8)).token(for: "bob")
        let plainOut = out.deletingLastPathComponent().appendingPathComponent("plain")
        let content = out.deletingLastPathComponent().appendingPathComponent("content")
        try await SiteBuild(content: ContentRoot(content, displayPath: "content"), output: plainOut,
                            templatesDirectory: Fixture.templates).run()
        let shared = try Fixture.tree(out).filter { !$0.key.hasPrefix(token + "/") && !$0.key.hasPrefix("instructor-") }
        let plain = try Fixture.tree(plainOut).filter { $0.key != BuildCache.fileName }
        #expect(shared.keys.sorted() == plain.keys.sorted())
        #expect(shared.count > 10, "the shared course has its pages, assets and search index")
        for (path, bytes) in plain { #expect(shared[path] == bytes, "\(path) differs between the roster and a plain build") }
        #expect(try Fixture.tree(plainOut)[BuildCache.fileName] != nil && shared[BuildCache.fileName] == nil,
                "a plain build records what it built; a roster build does not")
    }
}
