import Foundation
import Testing

/// The built `labgen` executable run as a user runs it: exit codes, what lands in the output
/// folder, `file:line:col` diagnostics on stderr, decode's text and JSON against tshark, and
/// `--help` of every subcommand. The package makes this target depend on the executable, so
/// `swift test` builds it next to the test bundle.
@Suite struct LabgenBinaryTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let seedCapture = repository.appendingPathComponent("Tests/PacketsTests/Fixtures/seed-dsr.pcap")
    static let subcommands = ["init", "build", "check", "serve", "decode", "probe", "capture"]

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The executable beside the test bundle (`.build/<triple>/debug/labgen`).
    static func binary() throws -> URL {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for candidate in [folder, folder.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("labgen")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: folder.appendingPathComponent("labgen").path])
    }

    /// Runs a program to its end, both pipes read.
    /// - Parameters:
    ///   - arguments: its arguments.
    ///   - executable: the program; `labgen` itself when nil.
    static func run(_ arguments: [String], executable: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = try executable ?? binary()
        process.arguments = arguments
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Both pipes drained at once: a full stderr pipe would otherwise stall the child.
        let errData = Box()
        let reader = Thread { errData.data = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData.data, as: UTF8.self))
    }

    /// What the stderr reader thread hands back (read only after it finished).
    final class Box: @unchecked Sendable { var data = Data() }

    /// The repository's course copied into a new temporary folder, with one more lab holding
    /// `text` when given.
    /// - Parameters:
    ///   - text: the markdown of `labs/99-casse.md`.
    static func course(extraLab text: String?) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("labgen-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let content = folder.appendingPathComponent("content")
        try FileManager.default.copyItem(at: repository.appendingPathComponent("content"), to: content)
        if let text {
            try Data(text.utf8).write(to: content.appendingPathComponent("labs/99-casse.md"))
        }
        return content
    }

    static func build(_ content: URL, into out: URL) throws -> Run {
        try run(["build", "--content", content.path, "--out", out.path,
                 "--templates", repository.appendingPathComponent("templates").path])
    }

    @Test func buildWritesTheSite() throws {
        let content = try Self.course(extraLab: nil)
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        let out = content.deletingLastPathComponent().appendingPathComponent("site")
        let run = try Self.build(content, into: out)
        #expect(run.status == 0, "\(run.stderr)")
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("<html lang=\"fr\""))
        let lab = try String(contentsOf: out.appendingPathComponent("labs/01-ebpf-dsr.html"), encoding: .utf8)
        // Filled with the default facts (the seed's NodePort), no parameter left.
        #expect(lab.contains("31400"))
        #expect(!lab.contains("${{"))
    }

    @Test func checkPassesOnTheCourse() throws {
        let content = try Self.course(extraLab: nil)
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        let run = try Self.run(["check", "--content", content.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("error:"))
    }

    @Test func checkReportsBrokenContentWithPositions() throws {
        let content = try Self.course(extraLab: """
        # Cassé

        Voir [la suite](02-absent.md) et ![schéma](../img/absent.png).

        Une note ![vue[^n]](../files/ebpf-dsr/webserver.yml) puis[^n].

        [^n]: La note.
        """)
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        let run = try Self.run(["check", "--content", content.path])
        #expect(run.status == 1)
        // Columns count UTF-8 bytes: `é` is two.
        let lines = run.stderr.split(separator: "\n").map(String.init)
        let file = content.path + "/labs/99-casse.md"
        #expect(lines.contains { $0.hasPrefix(file + ":3:6: error: link to missing page '02-absent.md'") }, "\(run.stderr)")
        #expect(lines.contains { $0.hasPrefix(file + ":3:34: error: missing image '../img/absent.png'") }, "\(run.stderr)")
        // The footnote's link back to the reference inside the image description would lead
        // nowhere in the rendered page.
        #expect(lines.contains { $0.hasPrefix(file + ":5:") && $0.contains(": error: footnote reference [^n] inside an image description") },
                "\(run.stderr)")
    }

    @Test func buildRefusesBrokenContent() throws {
        let content = try Self.course(extraLab: "# Cassé\n\n[perdu](#nulle-part)\n")
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        let out = content.deletingLastPathComponent().appendingPathComponent("site")
        let run = try Self.build(content, into: out)
        #expect(run.status != 0)
        #expect(run.stderr.contains(content.path + "/labs/99-casse.md:3:1: error: no heading with anchor '#nulle-part' on this page"),
                "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("index.html").path))
    }

    /// One line per packet, with the addresses and ports tshark reads from the same file.
    @Test func decodePrintsOneLinePerPacket() throws {
        let run = try Self.run(["decode", Self.seedCapture.path])
        #expect(run.status == 0, "\(run.stderr)")
        let oracle = try Self.tshark(["-e", "ip.src", "-e", "tcp.srcport", "-e", "ip.dst", "-e", "tcp.dstport"])
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == oracle.count && !oracle.isEmpty)
        for (line, fields) in zip(lines, oracle) {
            #expect(line.contains("\(fields[0]).\(fields[1]) > \(fields[2]).\(fields[3])"), "\(line) vs \(fields)")
        }
    }

    /// The JSON dissection: one object per packet, whose fields carry tshark's values.
    @Test func decodeJSONMatchesTshark() throws {
        let run = try Self.run(["decode", "--json", Self.seedCapture.path])
        #expect(run.status == 0, "\(run.stderr)")
        let packets = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        let names = ["ip.src", "ip.dst", "tcp.srcport", "tcp.dstport", "tcp.flags"]
        let oracle = try Self.tshark(["-e", "frame.number"] + names.flatMap { ["-e", $0] })
        #expect(packets.count == oracle.count && !oracle.isEmpty)
        for (packet, expected) in zip(packets, oracle) {
            #expect("\(packet["number"] ?? "")" == expected[0])
            var values: [String: String] = [:]
            func collect(_ list: Any?) {
                for field in list as? [[String: Any]] ?? [] {
                    if let name = field["name"] as? String, values[name] == nil, let value = field["value"] {
                        values[name] = "\(value)"
                    }
                    collect(field["children"])
                }
            }
            collect(packet["fields"])
            for (i, name) in names.enumerated() {
                #expect(values[name] == expected[i + 1], "\(name)")
            }
        }
    }

    @Test func decodeFailsOnAMissingFileAndABadFilter() throws {
        let missing = try Self.run(["decode", "/nonexistent/capture.pcap"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/capture.pcap"))
        let badFilter = try Self.run(["decode", Self.seedCapture.path, "--filter", "tcp.port =="])
        #expect(badFilter.status == 64)
        #expect(badFilter.stderr.hasPrefix("labgen decode: --filter:1:"))
    }

    @Test(arguments: subcommands)
    func helpOfEverySubcommand(_ subcommand: String) throws {
        let run = try Self.run([subcommand, "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("USAGE: labgen \(subcommand)"), "\(run.stdout)")
    }

    @Test func helpOfTheRootCommandListsEverySubcommand() throws {
        let run = try Self.run(["--help"])
        #expect(run.status == 0)
        for subcommand in Self.subcommands {
            #expect(run.stdout.contains("  \(subcommand) "), "\(subcommand) missing from \(run.stdout)")
        }
    }

    /// tshark's fields for the seed capture, one array per packet.
    /// - Parameters:
    ///   - fields: `-e NAME` options.
    static func tshark(_ fields: [String]) throws -> [[String]] {
        let run = try Self.run(["-r", seedCapture.path, "-T", "fields"] + fields, executable: URL(fileURLWithPath: "/usr/bin/tshark"))
        #expect(run.status == 0, "\(run.stderr)")
        return run.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }
}
