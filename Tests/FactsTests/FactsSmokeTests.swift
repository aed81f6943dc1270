import Testing
@testable import Facts

@Suite struct FactsSmokeTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
