import Testing
@testable import Packets

@Suite struct PacketsSmokeTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
