import Foundation
import Testing

/// The real `labgen` binary on pages and filters that crashed it (SIGSEGV from stack
/// overflows) or ran for minutes: each must end with exit status 1 (64 for a bad filter)
/// and one `file:line:col: error:` naming the limit, the same from `check` and `build`.
@Suite struct HostileInputTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Run {
        var status: Int32
        var signaled: Bool
        var stderr: String
        var stdout: String
    }

    /// Runs labgen; unlike `InitRoundTripTests.run`, keeps stdout and tells a signal apart.
    func labgen(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try InitRoundTripTests.labgen())
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while it runs (a full pipe would block it).
        nonisolated(unsafe) var outData = Data()
        let reader = Thread { outData = out.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
        return Run(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                   stderr: String(decoding: errData, as: UTF8.self), stdout: String(decoding: outData, as: UTF8.self))
    }

    /// A copy of the test course with `page` as `labs/99-hostile.md`; returns the content folder.
    func course(with page: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labgen-hostile-\(UUID().uuidString)")
        let content = dir.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.repo.appendingPathComponent("Tests/SiteTests/Fixtures/course"), to: content)
        try Data(page.utf8).write(to: content.appendingPathComponent("labs/99-hostile.md"))
        return content
    }

    static let nesting = "error: nesting deeper than 256 levels (block quotes, lists, emphasis or links inside each other): flatten this part of the page"
    static let expression = "error: expression nested deeper than 64 levels: split it, or compute the value in the facts"
    static let yaml = "error: YAML nested deeper than 64 levels (indentation, `- ` and brackets): flatten it"
    static let loops = "error: loops expand to more than 10000 repetitions or 8 MiB of text in this page: nest fewer loops, or compute the list in the facts"

    static let cases: [(String, String, String)] = [
        ("6,000 nested lists", "# T\n\n" + String(repeating: "- ", count: 6_000) + "x\n", "3:257: " + nesting),
        ("6,000 indented lists", "# T\n\n" + (0..<6_000).map { String(repeating: " ", count: 2 * $0) + "- x\n" }.joined(), "130:257: " + nesting),
        ("100,000 nested quotes", "# T\n\n" + String(repeating: ">", count: 100_000) + " x\n", "3:257: " + nesting),
        ("5,000 nested parentheses", "# T\n\nVersion ${{ " + String(repeating: "(", count: 5_000) + "cilium.version" + String(repeating: ")", count: 5_000) + " }}.\n",
         "3:\(13 + 64): " + expression),
        ("100,000 brackets in the front matter", "---\ntitle: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n---\n# T\n",
         "2:\(8 + 64): " + yaml),
        ("10 nested loops", "# T\n\n" + (0..<10).map { "${{ for n\($0) in nodes }}" }.joined() + "x" + String(repeating: "${{ end }}", count: 10) + "\n",
         "3:\(1 + 8 * 22): " + loops),
    ]

    @Test(arguments: cases)
    func checkAndBuildRefuseWithTheLimit(_ name: String, _ page: String, _ expected: String) throws {
        let content = try course(with: page)
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        let line = content.path + "/labs/99-hostile.md:" + expected
        let started = ContinuousClock.now
        let check = try labgen(["check", "--content", content.path])
        #expect(!check.signaled && check.status == 1, "\(name): check ended with \(check.status) \(check.signaled ? "(signal)" : "")")
        #expect(check.stderr.split(separator: "\n").map(String.init).contains(line), "\(name): \(check.stderr.suffix(2_000))")
        let site = content.deletingLastPathComponent().appendingPathComponent("site")
        let build = try labgen(["build", "--content", content.path, "--out", site.path,
                                "--templates", Self.repo.appendingPathComponent("templates").path])
        #expect(!build.signaled && build.status == 1, "\(name): build ended with \(build.status) \(build.signaled ? "(signal)" : "")")
        // The same diagnostics from both.
        let errors = { (run: Run) in run.stderr.split(separator: "\n").filter { $0.contains(": error: ") } }
        #expect(errors(build) == errors(check), "\(name): \(build.stderr.suffix(2_000))")
        #expect(!FileManager.default.fileExists(atPath: site.path), "\(name): nothing published")
        #expect(ContinuousClock.now - started < .seconds(60), "\(name)")
    }

    @Test func aDeepCourseYAMLIsRefused() throws {
        let content = try course(with: "# T\n")
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        try Data(("title: " + String(repeating: "{a: ", count: 50_000) + "1" + String(repeating: "}", count: 50_000) + "\n").utf8)
            .write(to: content.appendingPathComponent("course.yaml"))
        let check = try labgen(["check", "--content", content.path])
        #expect(!check.signaled && check.status == 1, "check ended with \(check.status)")
        #expect(check.stderr.contains(content.path + "/course.yaml:1:\(8 + 4 * 64): " + Self.yaml), "\(check.stderr.suffix(2_000))")
    }

    static let capture = repo.appendingPathComponent("Tests/PacketsTests/Fixtures/seed-dsr.pcap").path

    @Test func aLongFilterIsAChainAndADeepOneIsRefused() throws {
        let one = try labgen(["decode", Self.capture, "--filter", "ip"])
        #expect(one.status == 0 && !one.stdout.isEmpty, "\(one.stderr)")
        let chain = Array(repeating: "ip", count: 15_000).joined(separator: " && ")
        #expect(chain.count >= 60_000)
        let long = try labgen(["decode", Self.capture, "--filter", chain])
        #expect(!long.signaled && long.status == 0, "\(long.stderr)")
        #expect(long.stdout == one.stdout)

        let deep = try labgen(["decode", Self.capture, "--filter",
                               String(repeating: "(", count: 30_000) + "ip" + String(repeating: ")", count: 30_000)])
        #expect(!deep.signaled && deep.status == 64, "\(deep.status)")
        #expect(deep.stderr.contains(":1:65: parentheses and '!' nested deeper than 64 levels; simplify the filter"), "\(deep.stderr)")
    }
}
