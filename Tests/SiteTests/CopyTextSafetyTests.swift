import Foundation
import Testing
import Facts
@testable import Site

/// One rule for every value a shell reads (the copy button's `data-copy` and a downloadable
/// `.sh` alike): a fact is one plain shell word, or the facts file is refused at the value's
/// line and column. The copied commands of a build that passes are run through `bash -n`,
/// and through bash itself on a `printf` line to check that each value stays one word.
@Suite struct CopyTextSafetyTests {
    static let hostile = [
        "/home/lab; touch X", "1.12.2 $(touch X)", "/home/lab\ntouch X", "`touch X`", "/home/it's",
        "/home/\"q\"", "a|touch X", "a&&touch X", "a>X", "$HOME", "/home/*", "~/lab", "-rf", "/home/lab\t1",
        "/home/élève", "a\u{2028}b", "{a,b}", "a#b",
    ]
    static let accepted = ["/home/lab/basic", "/srv/lab_1.2", "/x/a@b:c,d%e+f=g", "lab-2"]

    /// The real course with a lab whose command block prints each value it gets, one per
    /// `[…]`, and the same line appended to a downloadable script; `lab.directory` set to `value`.
    static func course(directory value: String) throws -> (content: URL, out: URL, facts: String) {
        let (content, out) = try DownloadSubstitutionTests.copy()
        let lab = """
        # Copie

        ```bash
        cd ${{ lab.directory }} ; printf '[%s]\\n' ${{ lab.directory }} ${{ cilium.version }} "${{ lab.directory }}"
        ```

        """
        try Data(lab.utf8).write(to: content.appendingPathComponent("labs/99-copy.md"))
        let script = content.appendingPathComponent("files/ebpf-dsr/clean-kind.sh")
        let before = try String(contentsOf: script, encoding: .utf8)
        try Data((before + "printf '[%s]\\n' ${{ lab.directory }}\n").utf8).write(to: script)
        let factsURL = content.appendingPathComponent("facts/default.json")
        let facts = try String(contentsOf: factsURL, encoding: .utf8)
        let encoded = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        let edited = facts.replacingOccurrences(of: "\"directory\": \"/home/lab/basic\"", with: "\"directory\": \(encoded)")
        #expect(edited != facts)
        try Data(edited.utf8).write(to: factsURL)
        return (content, out, edited)
    }

    /// 1-based line and column (in characters) of the lab directory's value in the facts text.
    static func valueLocation(in facts: String) -> (Int, Int) {
        let head = facts[..<facts.range(of: "\"directory\": ")!.upperBound]
        let line = head.filter { $0 == "\n" }.count + 1
        let lineStart = head.lastIndex(of: "\n").map { head.index(after: $0) } ?? head.startIndex
        return (line, head[lineStart...].unicodeScalars.count + 1)
    }

    @Test(arguments: hostile)
    func aFactWithShellSyntaxIsRefusedAtItsLine(_ value: String) async throws {
        let (content, out, facts) = try Self.course(directory: value)
        let (line, column) = Self.valueLocation(in: facts)
        do {
            try await Fixture.build(content, out: out).run(clean: true)
            Issue.record("\(value.debugDescription) was published")
        } catch {
            let text = "\(error)"
            #expect(text.contains("content/facts/default.json:\(line):\(column): error: lab.directory: \(value.debugDescription)"), "\(text)")
            #expect(text.contains("one plain shell word"), "\(text)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let checked = await Fixture.build(content, out: out).check()
        #expect(checked.contains { $0.description.hasPrefix("content/facts/default.json:\(line):\(column): error:") }, "\(checked)")
    }

    @Test(arguments: accepted)
    func copiedCommandsParseAndKeepEachValueOneWord(_ value: String) async throws {
        let (content, out, _) = try Self.course(directory: value)
        try await Fixture.build(content, out: out).run(clean: true)
        let page = try String(contentsOf: out.appendingPathComponent("labs/99-copy.html"), encoding: .utf8)
        let copies = page.matches(of: #/<pre [^>]*?data-copy="([^"]*)"/#).map { Self.unescape(String($0.output.1)) }
        #expect(copies.count == 1)
        let script = try String(contentsOf: out.appendingPathComponent("files/ebpf-dsr/clean-kind.sh"), encoding: .utf8)
        for text in copies + [script] {
            let syntax = try Self.bash(["-n"], input: text)
            #expect(syntax.status == 0, "bash -n: \(syntax.error) in \(text)")
        }
        // Run only the printf of the copied line, in an empty folder: each value one word.
        let copied = try #require(copies.first)
        let printf = String(copied[try #require(copied.range(of: "printf")).lowerBound...])
        let run = try Self.bash([], input: printf)
        #expect(run.output == "[\(value)]\n[1.12.2]\n[\(value)]\n", "\(run.output.debugDescription)")
    }

    static func unescape(_ html: String) -> String {
        html.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Runs `/bin/bash ARGS` with `input` on stdin, in a fresh empty folder.
    static func bash(_ arguments: [String], input: String) throws -> (status: Int32, output: String, error: String) {
        let folder = try Fixture.temporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(left.isEmpty, "the copied text created \(left)")
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }
}
