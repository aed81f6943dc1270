import Testing
@testable import LabgenCLI

@Suite struct LabgenCLISmokeTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
