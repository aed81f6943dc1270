import Testing
@testable import Probe

@Suite struct ProbeSmokeTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
