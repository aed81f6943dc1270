import Testing
@testable import Site

@Suite struct SiteSmokeTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
