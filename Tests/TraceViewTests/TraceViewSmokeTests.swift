import Testing
@testable import TraceView

@Suite struct TraceViewSmokeTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
