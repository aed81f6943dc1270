import Foundation
import Glibc
import Testing

/// The instructor's first minutes, through the real `labgen` binary in a temporary folder:
/// `init` → `build` → `check` → `serve`, in French and in English, and init refusing to
/// overwrite a course.
@Suite struct InitRoundTripTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `labgen` executable `swift build` made beside this test bundle.
    static func labgen() throws -> String {
        let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("labgen"),
                          repository.appendingPathComponent(".build/debug/labgen")]
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }, "run `swift build` first").path
    }

    /// Runs labgen (or `program`) in `directory` (with `environment`, or this one's); (exit
    /// status, stderr).
    static func run(_ arguments: [String], in directory: URL, environment: [String: String]? = nil,
                    program: String? = nil) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try program ?? labgen())
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labgen-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test(arguments: ["fr", "en"])
    func initBuildCheckServe(language: String) async throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (initStatus, initLog) = try Self.run(["init", "atelier", "--language", language], in: dir)
        #expect(initStatus == 0, "\(initLog)")
        let course = dir.appendingPathComponent("atelier")
        for file in ["content/course.yaml", "content/index.md", "content/facts/default.json", "content/captures/dsr.pcap"] {
            #expect(FileManager.default.fileExists(atPath: course.appendingPathComponent(file).path), "\(file)")
        }
        #expect(!FileManager.default.fileExists(atPath: course.appendingPathComponent("templates").path), "the theme is built in")

        let (buildStatus, buildLog) = try Self.run(["build"], in: course)
        #expect(buildStatus == 0, "\(buildLog)")
        let labsDir = course.appendingPathComponent("site/labs")
        let labName = try #require(try FileManager.default.contentsOfDirectory(atPath: labsDir.path).first { $0.hasSuffix(".html") })
        let lab = try String(contentsOf: labsDir.appendingPathComponent(labName), encoding: .utf8)
        #expect(lab.contains("<html lang=\"\(language)\""))
        #expect(lab.contains("</span> clone <span class=\"param\" title=\"provenance : vars."), "a vars parameter in a command")
        #expect(lab.contains(">172.18.0.2</span>"), "a cluster fact (kind-worker's address)")
        #expect(lab.contains("class=\"trace"), "the trace block is decoded")
        // The trace view in the course's language: labels, notes, figure.
        let english = ["Decoded fields", ">Time to Live<", ">correct<", "wire bytes a8 7a swapped by htonl", "Frame 1 — 82 bytes captured"]
        let french = ["Champs décodés", ">Durée de vie (TTL)<", ">correcte<", "octets sur le fil a8 7a inversés par htonl", "Trame n°\u{00A0}1 — 82 octets capturés"]
        for (mine, theirs) in language == "en" ? [(english, french)] : [(french, english)] {
            for words in mine { #expect(lab.contains(words), "\(language) page without “\(words)”") }
            for words in theirs { #expect(!lab.contains(words), "\(language) page with “\(words)”") }
        }
        let (checkStatus, checkLog) = try Self.run(["check"], in: course)
        #expect(checkStatus == 0 && checkLog.contains("no problem found"), "\(checkLog)")

        // serve on a free port: the home page answers, then Ctrl-C (SIGINT) stops it.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.labgen())
        process.arguments = ["serve", "--port", "0"]
        process.currentDirectoryURL = course
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var log = ""
        while !log.contains("http://127.0.0.1:") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            log += String(decoding: chunk, as: UTF8.self)
        }
        let port = try #require(log.components(separatedBy: "http://127.0.0.1:").last.flatMap { UInt16($0.prefix { $0.isNumber }) }, "\(log)")
        let page = try Self.get(port: port, "/")
        #expect(page.hasPrefix("HTTP/1.1 200 OK") && page.contains("<html lang=\"\(language)\""), "\(page.prefix(200))")
        process.interrupt()
        process.waitUntilExit()
        #expect(!process.isRunning)
    }

    @Test func initNeverOverwritesACourse() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("content"), withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: dir.appendingPathComponent("content/index.md"))
        let (status, log) = try Self.run(["init"], in: dir)
        #expect(status == 1)
        #expect(log.contains("content: error: a course already exists here"), "\(log)")
        #expect(try String(contentsOf: dir.appendingPathComponent("content/index.md"), encoding: .utf8) == "mine")
        let (badStatus, badLog) = try Self.run(["init", "x", "--language", "de"], in: dir)
        #expect(badStatus != 0 && badLog.contains("unsupported language 'de'"), "\(badLog)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))
    }

    /// A raw GET on 127.0.0.1 (the test target has no HTTP client of its own).
    static func get(port: UInt16, _ path: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            out.append(contentsOf: chunk[..<count])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
