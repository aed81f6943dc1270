import Foundation
import Testing
import Facts
import Packets
@testable import TraceView

/// The lab's own block on the seed capture, through the real decoder.
@Suite struct SeedTraceTests {
    static let body = """
        file: ../captures/seed-dsr.pcap
        filter: tcp.port == 31400 || tcp.port == 8080
        highlight: cilium.dsr

        """

    func render(_ body: String = body, facts: Facts? = nil) throws -> String {
        try TraceEmbed(source: PacketsSource()).render(
            body: body, pageDirectory: Seed.contentRoot + "/labs", contentRoot: Seed.contentRoot,
            facts: facts ?? Seed.defaultFacts(), id: "trace-L1")
    }

    @Test func dump() throws {
        let html = try render()
        try html.write(toFile: "/tmp/seed-trace.html", atomically: true, encoding: .utf8)
    }
}
