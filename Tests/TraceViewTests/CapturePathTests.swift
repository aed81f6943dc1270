import Foundation
import Testing
@testable import TraceView

/// A throwaway content root: `labs/` for pages, `captures/x.pcap`, and a file outside the root.
struct TempContent: ~Copyable {
    let base: URL
    var root: String { base.appendingPathComponent("content").path }
    var labs: String { base.appendingPathComponent("content/labs").path }

    init() throws {
        base = FileManager.default.temporaryDirectory
            .appendingPathComponent("traceview-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(atPath: base.appendingPathComponent("content/labs").path, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: base.appendingPathComponent("content/captures").path, withIntermediateDirectories: true)
        try Data([0]).write(to: base.appendingPathComponent("content/captures/x.pcap"))
        try Data([0]).write(to: base.appendingPathComponent("secret.pcap"))
    }

    func write(_ bytes: [UInt8], to relative: String) throws {
        try Data(bytes).write(to: base.appendingPathComponent("content").appendingPathComponent(relative))
    }

    deinit { try? FileManager.default.removeItem(at: base) }
}

@Suite struct CapturePathTests {
    func resolve(_ file: String, _ content: borrowing TempContent) throws(TraceError) -> String {
        try CapturePath.resolve(.init(file, line: 3, column: 7), pageDirectory: content.labs, contentRoot: content.root)
    }

    @Test func resolvesRelativeToThePage() throws {
        let content = try TempContent()
        let path = try resolve("../captures/x.pcap", content)
        #expect(path.hasSuffix("/content/captures/x.pcap"))
    }

    @Test(arguments: [
        ("../../secret.pcap", "leaves the content root"),
        ("../captures/../../secret.pcap", "leaves the content root"),
        ("/etc/passwd", "must be relative"),
        ("../captures/missing.pcap", "not found"),
        ("../captures", "is a directory"),
        ("../captures/link.pcap", "leaves the content root"),
    ])
    func refusesPathsOutsideOrMissing(file: String, message: String) throws {
        let content = try TempContent()
        try FileManager.default.createSymbolicLink(
            atPath: content.root + "/captures/link.pcap", withDestinationPath: content.base.path + "/secret.pcap")
        #expect {
            _ = try resolve(file, content)
        } throws: { error in
            guard let e = error as? TraceError else { return false }
            return e.line == 3 && e.column == 7 && e.message.contains(message)
        }
    }
}
