import Foundation
import Testing
@testable import LabgenCLI

/// How the command line behaves around the work: colour only on a terminal and never with
/// NO_COLOR, --quiet and --verbose, completion scripts, exit statuses in --help.
@Suite struct CLIMannersTests {
    @Test func colourOnlyOnATerminalWithoutNoColor() {
        #expect(Console.shouldColour(isTerminal: true, environment: [:]))
        #expect(Console.shouldColour(isTerminal: true, environment: ["NO_COLOR": ""]), "an empty NO_COLOR does not count")
        #expect(!Console.shouldColour(isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(!Console.shouldColour(isTerminal: true, environment: ["TERM": "dumb"]))
        #expect(!Console.shouldColour(isTerminal: false, environment: [:]), "piped: plain text")
        #expect(Console.coloured("content/a.md:3:1: error: broken link") == "content/a.md:3:1: \u{1B}[1;31merror:\u{1B}[0m broken link")
        #expect(Console.coloured("content/a.md:3:1: warning: odd") == "content/a.md:3:1: \u{1B}[1;33mwarning:\u{1B}[0m odd")
        #expect(Console.coloured("labgen: built 2 pages") == "labgen: built 2 pages")
    }

    @Test func quietVerboseAndPipedDiagnostics() throws {
        let dir = try InitRoundTripTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try InitRoundTripTests.run(["init"], in: dir).0 == 0)
        let (quietStatus, quiet) = try InitRoundTripTests.run(["build", "--quiet"], in: dir)
        #expect(quietStatus == 0 && quiet.isEmpty, "\(quiet)")
        let (_, normal) = try InitRoundTripTests.run(["build"], in: dir)
        #expect(normal.hasPrefix("labgen: built 2 pages") && !normal.contains("labgen: load"), "\(normal)")
        let (_, verbose) = try InitRoundTripTests.run(["build", "--verbose", "--clean"], in: dir)
        #expect(verbose.contains("labgen: load\n") && verbose.contains("labgen: built 2 pages"), "\(verbose)")
        #expect(try InitRoundTripTests.run(["build", "--quiet", "--verbose"], in: dir).0 == 64)

        // Errors are printed even with --quiet, and piped output has no colour codes.
        try Data("# A\n\n[x](absent.md)\n".utf8).write(to: dir.appendingPathComponent("content/labs/02-b.md"))
        let (failed, errors) = try InitRoundTripTests.run(["build", "--quiet"], in: dir)
        #expect(failed == 1 && errors.contains("content/labs/02-b.md:3:1: error:") && !errors.contains("\u{1B}["), "\(errors)")
        // From a subfolder, the course is found.
        let (sub, subLog) = try InitRoundTripTests.run(["check"], in: dir.appendingPathComponent("content/labs"))
        #expect(sub == 1 && subLog.contains("labgen: using the course in") && subLog.contains("02-b.md:3:1: error:"), "\(subLog)")
    }

    @Test func completionScriptsAndHelp() throws {
        let dir = FileManager.default.temporaryDirectory
        for shell in ["bash", "zsh", "fish"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try InitRoundTripTests.labgen())
            process.arguments = ["completion", shell]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let script = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(script.contains("serve") && script.contains("init") && script.contains("facts"), "\(shell)")
        }
        #expect(try InitRoundTripTests.run(["completion", "tcsh"], in: dir).0 == 64)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try InitRoundTripTests.labgen())
        process.arguments = ["serve", "--help"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let help = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(help.contains("130 when stopped with Ctrl-C") && help.contains("--open") && help.contains("--quiet"))
    }
}
