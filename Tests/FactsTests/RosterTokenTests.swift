import Crypto
import Foundation
import Testing
@testable import Facts

@Suite struct RosterTokenTests {
    func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            out.append(UInt8(s[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    /// The tokens the hand-written HMAC-SHA256 (before swift-crypto) gave these secrets and
    /// ids: the same secret must keep naming the same folders.
    @Test func tokensUnchangedFromTheHandWrittenHMAC() {
        let secret = RosterSecret(Array("instructor-secret-0123".utf8))
        #expect(secret.token(for: "alice") == "45751857de9b5b13141157c785048602")
        #expect(secret.token(for: "bob") == "e60b688939c8dcb4c55aadd6e43ed281")
        #expect(secret.instructorToken == "9acf34ec03828658ca015e05adf7eef5")
        let bench = RosterSecret(Array("benchmark-secret-0123456789abcdef".utf8))
        #expect(bench.token(for: "a0") == "d45bb881108817f89f3989a8f5aa55b1")
        #expect(bench.token(for: "a99") == "3301d22cc405bfd9d1c94abc90d6096a")
        #expect(bench.instructorToken == "2169b09f01f703772fc919412b7ecbdc")
    }

    /// RFC 4231 test cases 1, 2, 4 and 6 (key longer than a block) through the same
    /// `HMAC<SHA256>` the tokens use, and a token is that code's first half.
    @Test func hmacRFC4231() {
        func code(_ key: [UInt8], _ message: [UInt8]) -> String {
            HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
                .map { String(format: "%02x", $0) }.joined()
        }
        #expect(code([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(code(Array("Jefe".utf8), Array("what do ya want for nothing?".utf8))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(code(hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), [UInt8](repeating: 0xcd, count: 50))
                == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
        #expect(code([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        // A token is that code's first 32 hex digits for the message `attendee:` + id.
        let key = Array("instructor-secret-0123".utf8)
        #expect(RosterSecret(key).token(for: "alice") == String(code(key, Array("attendee:alice".utf8)).prefix(32)))
    }

    @Test func tokensAreStableDistinctAndKeyed() {
        let secret = RosterSecret(Array("instructor-secret-0123".utf8))
        #expect(secret.token(for: "alice") == secret.token(for: "alice"))
        #expect(secret.token(for: "alice") != secret.token(for: "bob"))
        #expect(secret.token(for: "alice").count == 32)
        #expect(RosterSecret(Array("another-secret-456789".utf8)).token(for: "alice") != secret.token(for: "alice"))
        #expect(!secret.instructorToken.isEmpty && secret.instructorToken != secret.token(for: "instructor-index"))
    }

    @Test func rosterProblems() throws {
        let roster = try Roster.parse(yaml: """
        attendees:
          - {id: alice, name: A, facts: a.json}
          - {id: alice, name: B, facts: b.json}
          - {id: "Bob Smith", name: C, facts: c.json}
        """)
        let messages = Roster.problems(in: roster, file: "roster.yaml").map(\.message)
        #expect(messages.contains { $0.contains("\"alice\" appears twice") })
        #expect(messages.contains { $0.contains("\"Bob Smith\": use lower-case") })
        #expect(messages.contains { $0.hasPrefix("missing `secret:`") })
    }
}
