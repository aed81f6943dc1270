import Testing
@testable import Packets

/// Long and deep filters (a 60,000-character `--filter` overflowed the stack): chains of
/// `&&`/`||` of any length work, parentheses and `!` nest up to `FilterParser.maxDepth`.
@Suite struct FilterLimitTests {
    func numbers(_ f: String) throws -> [Int] {
        let filter = try DisplayFilter(f)
        return FilterTests.packets.filter { $0.matches(filter) }.map(\.number)
    }

    func error(_ f: String) -> FilterError? {
        do { _ = try DisplayFilter(f); return nil } catch { return error }
    }

    @Test func longChainsMatchLikeOneTerm() throws {
        let ip = try numbers("ip")
        #expect(!ip.isEmpty)
        let and = Array(repeating: "ip", count: 15_000).joined(separator: " && ")
        #expect(and.count > 60_000)
        #expect(try numbers(and) == ip)
        let or = Array(repeating: "ip", count: 15_000).joined(separator: " || ") + " || arp"
        #expect(try numbers(or) == (try numbers("ip || arp")))
    }

    @Test func parenthesesNestUpToTheLimit() throws {
        let depth = FilterParser.maxDepth
        #expect(try numbers(String(repeating: "(", count: depth) + "ip" + String(repeating: ")", count: depth)) == (try numbers("ip")))
        let deep = String(repeating: "(", count: 30_000) + "ip" + String(repeating: ")", count: 30_000)
        let refused = error(deep)
        #expect(refused?.column == depth + 1)
        #expect(refused?.message == "parentheses and '!' nested deeper than 64 levels; simplify the filter")
    }

    @Test func negationsNestUpToTheLimit() throws {
        let depth = FilterParser.maxDepth
        #expect(try numbers(String(repeating: "!", count: depth) + "ip") == (try numbers("ip")))
        let refused = error(String(repeating: "! ", count: 30_000) + "ip")
        #expect(refused?.column == 2 * depth + 1)
        #expect(refused?.message.hasPrefix("parentheses and '!' nested deeper than 64 levels") == true)
    }
}
