import Foundation
import Testing
@testable import Site

/// The hand-written search fragment must be the bytes `JSONEncoder` wrote before it, so
/// shards on disk from earlier builds stay valid and output stays byte-identical.
@Suite struct SearchIndexJSONTests {
    static func encoderFragment(_ entries: [SearchIndex.Entry]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try! encoder.encode(entries), as: UTF8.self)
        return String(json.dropFirst().dropLast())
    }

    @Test func everyASCIIByteAsJSONEncoder() {
        let all = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
        let entries = [SearchIndex.Entry(url: "labs/a.html#x/y", page: all, heading: "", text: all + all)]
        #expect(SearchIndex.fragment(entries) == Self.encoderFragment(entries))
    }

    @Test func unicodeAndSeveralEntriesAsJSONEncoder() {
        let entries = [
            SearchIndex.Entry(url: "labs/01-dsr.html", page: "Création du cluster « KinD »", heading: "",
                              text: "Déjà vu\u{2028}ligne\u{2029} 🧪 \u{7F} \u{85} \u{200B} é\u{301} \"a\\b\" </script>"),
            SearchIndex.Entry(url: "labs/01-dsr.html#mise-en-evidence", page: "Création", heading: "Mise en évidence\t(DSR)", text: ""),
        ]
        #expect(SearchIndex.fragment(entries) == Self.encoderFragment(entries))
        #expect(SearchIndex.fragment([]) == Self.encoderFragment([]))
    }
}
