import Foundation
import Testing
@testable import Serve

/// A page that overflowed the stack took the whole preview server down when it appeared in
/// the content. Now it is a failed build like any other: reported, the last good site served.
extension ServeTests {
    @Test(arguments: [
        ("100,000 nested quotes", String(repeating: ">", count: 100_000) + " x\n",
         "content/labs/99-hostile.md:1:257: error: nesting deeper than 256 levels"),
        ("5,000 nested parentheses", "${{ " + String(repeating: "(", count: 5_000) + "host.ip" + String(repeating: ")", count: 5_000) + " }}\n",
         "content/labs/99-hostile.md:1:69: error: expression nested deeper than 64 levels"),
    ])
    func aHostilePageIsAFailedBuildNotACrash(_ name: String, _ page: String, _ expected: String) async throws {
        let running = try await start()
        defer { running.task.cancel() }
        let first = try await status(running)
        #expect(first.error == nil && first.version == 1)

        let hostile = running.content.appendingPathComponent("labs/99-hostile.md")
        try Data(page.utf8).write(to: hostile)
        let broken = try await waitFor(running, "the failed build with \(name)") { $0.error != nil }
        #expect(broken.error?.contains(expected) == true, "\(broken.error ?? "")")
        #expect(broken.version == first.version)
        let (code, _, home) = try await get(running.base)
        #expect(code == 200 && home.contains("<html lang=\"fr\">"), "the last good site is still served")

        try FileManager.default.removeItem(at: hostile)
        let fixed = try await waitFor(running, "the rebuild without \(name)") { $0.error == nil && $0.version > first.version }
        #expect(fixed.error == nil)
    }
}
