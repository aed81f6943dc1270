import Foundation
import Testing

/// `labgen check` on a lab that hard-codes a value of the default facts: a warning naming the
/// fact, an error with `--strict`; the shipped content passes `--strict`.
@Suite struct CheckStrictTests {
    static func copyOfContent() throws -> URL {
        let dir = try InitRoundTripTests.temporaryDirectory()
        try FileManager.default.copyItem(at: InitRoundTripTests.repository.appendingPathComponent("content"),
                                         to: dir.appendingPathComponent("content"))
        return dir
    }

    @Test func aHardCodedAddressIsAWarningThenAnErrorWithStrict() throws {
        let dir = try Self.copyOfContent()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lab = dir.appendingPathComponent("content/labs/01-ebpf-dsr.md")
        var text = try String(contentsOf: lab, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        text += "\nPuis `curl http://172.18.0.2:31400` depuis la VM.\n"
        try text.write(to: lab, atomically: true, encoding: .utf8)
        let line = lines + 1
        let (status, log) = try InitRoundTripTests.run(["check"], in: dir)
        #expect(status == 0, "warnings alone: \(log)")
        #expect(log.contains("content/labs/01-ebpf-dsr.md:\(line):19: warning: 172.18.0.2 is nodes[1].ip: write ${{ node(\"kind-worker\").ip }}"))
        #expect(log.contains("content/labs/01-ebpf-dsr.md:\(line):30: warning: 31400 is services[0].ports[0].nodePort: write ${{ service(\"svc-echoserver\").ports[0].nodePort }}"))
        let (strictStatus, strictLog) = try InitRoundTripTests.run(["check", "--strict"], in: dir)
        #expect(strictStatus == 1)
        #expect(strictLog.contains("content/labs/01-ebpf-dsr.md:\(line):19: error: 172.18.0.2 is nodes[1].ip"))
    }

    @Test func theShippedContentPassesStrict() throws {
        let dir = try Self.copyOfContent()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, log) = try InitRoundTripTests.run(["check", "--strict"], in: dir)
        #expect(status == 0, "\(log)")
        #expect(log.contains("no problem found"))
    }
}
