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

    @Test func sha256KnownAnswers() {
        #expect(SHA256.hash([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hash(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)).hex
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000)).hex
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// RFC 4231 test cases 1, 2, 4 and 6 (key longer than a block).
    @Test func hmacRFC4231() {
        #expect(SHA256.hmac(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)).hex
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(SHA256.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)).hex
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(SHA256.hmac(key: hex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                            message: [UInt8](repeating: 0xcd, count: 50)).hex
                == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
        #expect(SHA256.hmac(key: [UInt8](repeating: 0xaa, count: 131),
                            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)).hex
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func tokensAreStableDistinctAndKeyed() {
        let secret = RosterSecret(Array("instructor-secret-0123".utf8))
        #expect(secret.token(for: "alice") == secret.token(for: "alice"))
        #expect(secret.token(for: "alice") != secret.token(for: "bob"))
        #expect(secret.token(for: "alice").count == 32)
        #expect(RosterSecret(Array("another-secret-456789".utf8)).token(for: "alice") != secret.token(for: "alice"))
        #expect(secret.token(for: "alice") == String(SHA256.hmac(key: Array("instructor-secret-0123".utf8),
                                                                message: Array("attendee:alice".utf8)).hex.prefix(32)))
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
