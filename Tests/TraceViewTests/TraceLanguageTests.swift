import Foundation
import Testing
import Facts
import LabgenCore
import Packets
@testable import TraceView

/// The trace view speaks the course's language: every word from `TraceStrings`' French or
/// English table (field labels and decoder notes included), the two tables alike in shape.
@Suite struct TraceLanguageTests {
    /// The lab's block with the DSR expectation, so the check lines render too.
    static let body = """
        capture: dsr
        file: ../captures/seed-dsr.pcap
        filter: tcp.port == 31400 || tcp.port == 8080
        highlight: cilium.dsr
        service: svc-echoserver
        pod: app=echoserver

        """

    func render(_ language: String, facts: Facts? = nil) throws -> String {
        try TraceEmbed(source: PacketsSource()).render(
            body: Self.body, pageDirectory: Seed.contentRoot + "/labs", contentRoot: Seed.contentRoot,
            facts: try facts ?? Seed.defaultFacts(), id: "t", language: language)
    }

    /// The page's text: field ids (`tcp.window_size_value`) and tags dropped, entities read back.
    static func text(_ html: String) -> String {
        html.replacingOccurrences(of: #"<code class="trace-fname">[^<]*</code>"#, with: " ", options: .regularExpression)
            .replacingOccurrences(of: #"<[^>]*>"#, with: " ", options: .regularExpression)
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    // MARK: The tables' shape

    /// The literal words of one table entry: a string, a dictionary's values, a pattern
    /// list's replacements. nil for anything else (closures are read by `closureWords`).
    static func words(_ value: Any) -> [String]? {
        switch value {
        case let s as String: return [s]
        case let d as [String: String]: return Array(d.values)
        case let d as [String: String]?: return d.map { Array($0.values) } ?? []
        case let p as [(english: String, translated: String)]: return p.map(\.translated)
        default: return nil
        }
    }

    /// The words around the values of each closure entry, called with a marker for its text
    /// arguments and 7 for its numbers (closures are not cast from `Mirror`: a cast between
    /// function types is not checked at run time).
    static func closureWords(_ t: TraceStrings) -> [String: [String]] {
        let m = "\u{1}"
        let made: [String: String] = [
            "capture": t.capture(m), "ownCapture": t.ownCapture(m, m, m), "filter": t.filter(m), "frames": t.frames(m),
            "source": t.source(m, 7), "frameTitle": t.frameTitle(7, 7), "byte": t.byte(7), "bytes": t.bytes(7, 7),
            "badChecksum": t.badChecksum(m, true) + m + t.badChecksum(m, false), "swappedPort": t.swappedPort(m, m, m, 7),
            "swappedAddress": t.swappedAddress(m, m, m), "arrowDescription": t.arrowDescription(m, m, m),
            "sentBy": t.sentBy(m, m, m), "packetNumber": t.packetNumber(7), "gapNoMap": t.gapNoMap(m) + m + t.gapNoMap(nil),
            "gapUnknownLane": t.gapUnknownLane(m), "gapServiceNotNode": t.gapServiceNotNode(7, m),
            "gapClientUnknown": t.gapClientUnknown(7, m), "gapNotSentByService": t.gapNotSentByService(7, m),
            "dsrCaption": t.dsrCaption(7, 7, 7), "headerStep": t.headerStep(7, 7, 7, 7), "swapLabel": t.swapLabel(m, m),
            "swapLabelSwapped": t.swapLabelSwapped(m, m), "byteTitle": t.byteTitle(7), "decimalStep": t.decimalStep(7),
            "notTheNodePort": t.notTheNodePort(7), "expectedIntro": t.expectedIntro(m, m, m, m, m),
            "checkCarries": t.checkCarries(m, 7, m), "checkCarriesOther": t.checkCarriesOther(m, m, m, m),
            "checkSentElsewhere": t.checkSentElsewhere(m, m, m), "causeNotDSR": t.causeNotDSR(m),
            "causeSameNode": t.causeSameNode(m), "causeWrongVeth": t.causeWrongVeth(m, m, m),
        ]
        return made.mapValues { $0.components(separatedBy: m) }
    }

    /// Each entry of a table by name, with its words (nil: an entry this test cannot read,
    /// so a new one cannot go unchecked).
    static func entries(_ table: TraceStrings) -> [(String, [String]?)] {
        let closures = closureWords(table)
        return Mirror(reflecting: table).children.map { child in
            let name = child.label ?? "?"
            return (name, words(child.value) ?? closures[name])
        }
    }

    @Test func bothTablesHaveTheSameEntriesAndEveryOneIsWritten() throws {
        let french = Self.entries(.french), english = Self.entries(.english)
        #expect(french.map(\.0) == english.map(\.0))
        #expect(french.count > 80)
        for ((name, fr), (_, en)) in zip(french, english) where name != "language" {
            let frWords = try #require(fr, "\(name): a type the test cannot read")
            let enWords = try #require(en, "\(name): a type the test cannot read")
            #expect(!frWords.joined().isEmpty && (!enWords.joined().isEmpty || ["notePatterns", "fieldLabels"].contains(name)), "\(name) is empty")
        }
        // Tables by key: the same keys in both (the English one says the decoders' words).
        #expect(Set(TraceStrings.french.noteTexts.keys) == Set(TraceStrings.english.noteTexts.keys))
        for (english, translated) in TraceStrings.english.noteTexts { #expect(english == translated) }
        #expect(TraceStrings.english.fieldLabels == nil && TraceStrings.english.notePatterns.isEmpty)
    }

    /// French typography in every French entry: U+00A0 before `:`, U+202F before `; ! ?` and
    /// inside « », never a plain space there (`: ` as the first character is the table's
    /// own join, after a value).
    @Test func frenchEntriesUseFrenchSpacing() throws {
        var all = Self.entries(.french).flatMap { $0.1 ?? [] }
        all += FieldLabels.french.values
        for text in all {
            #expect(!text.contains(" :") && !text.contains(" ;") && !text.contains(" ?") && !text.contains(" !"), "\(text)")
            #expect(!text.contains("« ") && !text.contains(" »"), "\(text)")
            for (i, c) in text.enumerated() where c == ":" || c == ";" || c == "?" || c == "!" {
                guard i > 0 else { continue }
                let before = text[text.index(text.startIndex, offsetBy: i - 1)]
                // `a-t-il été recréé ?` and `: ` after a number or word inside code-like text
                // (`bpf-lb-mode = dsr`) are the cases; a colon right after a letter is an error.
                #expect(!before.isLetter || text.contains("://"), "no space before “\(c)” in: \(text)")
            }
        }
    }

    // MARK: Field labels

    /// Every id a decoder can emit (the list `FieldNamesTests` holds to the decoders' sources)
    /// has a French label, and the table names no id the decoders do not emit.
    @Test func everyFieldIdHasAFrenchLabel() {
        let ids = Set(FieldLabels.french.keys.map { String($0.split(separator: "|")[0]) })
        #expect(FieldNames.emitted.subtracting(ids).sorted() == [])
        #expect(ids.subtracting(FieldNames.emitted).sorted() == [])
    }

    /// The fixtures' fields, decoded: each has a French label different from the English one
    /// unless the two languages write it alike (acronyms, "Version", "Options"…).
    @Test func theSeedCapturesFieldsAreLabelledInFrench() throws {
        let path = Seed.contentRoot + "/captures/seed-dsr.pcap"
        let shared = try String(contentsOfFile: "/work/shared/fixtures/seed-dsr.pcap", encoding: .isoLatin1)
        let packets = try PacketDecoder.decodeFile(path)
        #expect(try String(contentsOfFile: path, encoding: .isoLatin1) == shared, "the shared fixture is the content's capture")
        var alike: [String] = []
        var count = 0
        func walk(_ fields: [Field]) {
            for f in fields {
                count += 1
                let label = TraceStrings.french.label(f)
                #expect(FieldLabels.french[f.name] != nil, "\(f.name) has no French label")
                if label == f.label { alike.append(label) }
                walk(f.children)
            }
        }
        for p in packets { walk(p.fields) }
        #expect(count > 80)
        // The words French writes as English does, and nothing else.
        #expect(Set(alike).subtracting(["Version", "Identification", "Options", "Source", "Destination", "Ethernet II", "Type"]).sorted() == [])
    }

    // MARK: Decoder notes and truncations

    /// Words the English decoder notes and truncation reasons are made of (that French does
    /// not write), as whole words.
    static var englishWords: Regex<(Substring, Substring)> { #/\b(need|needs|have|bytes|truncated|malformed|length|header|kept|raw|offset|is not|correct|incorrect|present|should|maybe|wire|swapped|unsupported|layers|empty|extension|kind|runs past)\b/# }

    /// Every prefix of every seed frame, and each frame with one byte spoiled, decoded: each
    /// note, truncation and malformed reason reads in French on a French page.
    @Test func truncatedAndMalformedFramesAreExplainedInFrench() throws {
        let records = try Array(CaptureReader(path: Seed.contentRoot + "/captures/seed-dsr.pcap"))
        var frames: [(CaptureRecord, String)] = []
        for record in records {
            for cut in 0 ..< record.data.count {
                var r = record
                r.data = Array(record.data.prefix(cut))
                frames.append((r, "frame \(record.number) cut at \(cut)"))
            }
            for index in 0 ..< min(record.data.count, 60) {
                for byte: UInt8 in [0x00, 0x01, 0x44, 0xff] {
                    var r = record
                    r.data[index] = byte
                    frames.append((r, "frame \(record.number) byte \(index) = \(byte)"))
                }
            }
        }
        var r = records[0]
        r.linkType = LinkType(rawValue: 4242)
        frames.append((r, "unknown link type"))
        var issues = 0, notes = 0
        for (record, what) in frames {
            var decoder = PacketDecoder()
            let packet = TracePacket(decoder.decode(record))
            let html = TraceRenderer(id: "x", strings: .french).render([packet])
            if packet.issue != nil { issues += 1 }
            var texts: [String] = []
            for case let note? in Self.notes(packet.fields) { texts.append(note); notes += 1 }
            texts += html.components(separatedBy: "<p class=\"trace-issue\" role=\"note\">").dropFirst()
                .map { String($0.prefix { $0 != "<" }) }
            for text in texts + Self.malformedValues(html) {
                #expect(text.lowercased().firstMatch(of: Self.englishWords) == nil, "\(what): English in “\(text)”")
            }
        }
        #expect(issues > 100 && notes > 100)
    }

    /// The French notes of a packet's fields, as the tree shows them.
    static func notes(_ fields: [Field]) -> [String?] {
        fields.flatMap { f in [f.explanation.map(TraceStrings.french.note) ?? f.note.map(TraceStrings.french.decoderText)] + notes(f.children) }
    }

    /// The value of the tree's `_ws.malformed` rows (the reason).
    static func malformedValues(_ html: String) -> [String] {
        html.components(separatedBy: "data-name=\"_ws.malformed\"").dropFirst().compactMap { part in
            part.components(separatedBy: "<span class=\"trace-value\">").dropFirst().first.map { String($0.prefix { $0 != "<" }) }
        }
    }

    // MARK: Whole pages

    @Test func englishCourseGetsEnglishTraces() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let content = repo.appendingPathComponent("content")
        let body = "file: ../captures/seed-dsr.pcap\n"
        let english = try TraceEmbed(source: PacketsSource()).render(body: body, pageDirectory: content.appendingPathComponent("labs").path,
                                                                    contentRoot: content.path, facts: nil, id: "t", language: "en")
        let french = try TraceEmbed(source: PacketsSource()).render(body: body, pageDirectory: content.appendingPathComponent("labs").path,
                                                                   contentRoot: content.path, facts: nil, id: "t", language: nil)
        #expect(english.contains("Capture seed-dsr.pcap: 2 packets."))
        #expect(english.contains("wire bytes a8 7a swapped by htonl → 7a a8 = 0x7aa8 = 31400"))
        #expect(english.contains(">correct<") || english.contains("incorrect, should be"))
        #expect(english.contains("= 43130: not the NodePort"))
        for word in ["paquet", "octets", "Trame", "Adresse", "sur le fil", "déduit"] {
            #expect(!english.contains(word), "\(word) in the English trace")
        }
        #expect(french.contains("octets sur le fil a8 7a inversés par htonl → 7a a8 = 0x7aa8 = 31400"))
        #expect(french.contains(">correcte<"))
        #expect(!french.contains("swapped by") && !french.contains("should be") && !french.contains(">correct<"))
        #expect(french.contains("Trame n°\u{00A0}1"))
    }


    /// The English table's words that French writes differently (both tables, entry by entry):
    /// none may show on the French page, and the other way round.
    static func differing(_ from: TraceStrings, _ other: TraceStrings) -> [String] {
        var out: [String] = []
        // Field labels are compared row by row (the decoders' English is no table entry).
        for ((name, a), (_, b)) in zip(entries(from), entries(other)) where name != "fieldLabels" {
            let own = Set((a ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            let theirs = Set((b ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            out += own.subtracting(theirs).filter { $0.filter(\.isLetter).count >= 4 }
        }
        return out
    }

    @Test func aFrenchPageHasNoEnglishWordAndAnEnglishPageNoFrenchOne() throws {
        let french = Self.text(try render("fr")), english = Self.text(try render("en"))
        #expect(french.contains("Durée de vie (TTL)") && french.contains("Ce que votre SYN doit porter"))
        #expect(english.contains("Time to Live") && english.contains("What your SYN must carry"))
        let englishOnly = Self.differing(.english, .french), frenchOnly = Self.differing(.french, .english)
        #expect(englishOnly.count > 50 && frenchOnly.count > 50)
        #expect(englishOnly.filter { Self.containsWord(french, $0) } == [], "English on the French page")
        #expect(frenchOnly.filter { Self.containsWord(english, $0) } == [], "French on the English page")
        // Each row of the field tree: the French label on the French page, the decoder's on the English one.
        let packets = try PacketDecoder.decodeFile(Seed.contentRoot + "/captures/seed-dsr.pcap")
        var expected: [String: (String, String)] = [:]
        func walk(_ fields: [Field]) {
            for f in fields { expected[f.name] = (f.label, TraceStrings.french.label(f)); walk(f.children) }
        }
        for p in packets { walk(p.fields) }
        let frenchRows = Self.rows(try render("fr")), englishRows = Self.rows(try render("en"))
        #expect(frenchRows.count > 80 && englishRows.count == frenchRows.count)
        for (name, label) in frenchRows { #expect(label == expected[name]?.1, "\(name) on the French page: \(label)") }
        for (name, label) in englishRows { #expect(label == expected[name]?.0, "\(name) on the English page: \(label)") }
    }

    /// Whether `words` occur in `text` not as part of a longer word ("Protocol" in "Protocole").
    static func containsWord(_ text: String, _ words: String) -> Bool {
        var from = text.startIndex
        while let range = text.range(of: words, range: from ..< text.endIndex) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            if !(before?.isLetter ?? false) && !(after?.isLetter ?? false) { return true }
            from = text.index(after: range.lowerBound)
        }
        return false
    }

    /// (field id, label) of each row of the page's field trees.
    static func rows(_ html: String) -> [(String, String)] {
        html.components(separatedBy: "data-name=\"").dropFirst().compactMap { part in
            guard let name = part.split(separator: "\"", maxSplits: 1).first,
                  let label = part.components(separatedBy: "<span class=\"trace-label\">").dropFirst().first else { return nil }
            return (String(name), text(String(label.prefix { $0 != "<" })))
        }
    }

    /// An attendee's own capture, checked: the check lines in each language.
    @Test func theCheckLinesFollowTheLanguage() throws {
        var facts = try Seed.defaultFacts()
        facts.services[0].ports[0].nodePort = 30999
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trace-language-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("captures"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: Seed.contentRoot + "/captures/seed-dsr.pcap", toPath: dir.path + "/captures/dsr.pcap")
        let map = Facts.CaptureMap(facts, contacted: "kind-worker", backend: "kind-worker3", veth: "vethff61702",
                                   service: .init(ip: "172.18.0.2", port: 31400), pod: .init(ip: "10.244.3.250", port: 8080))
        facts.captures = ["dsr": .init(file: "captures/dsr.pcap", takenAt: "2026-12-05T04:00:00Z", command: "tcpdump", map: map)]
        facts.directory = dir.path
        let french = Self.text(try render("fr", facts: facts)), english = Self.text(try render("en", facts: facts))
        #expect(french.contains("le NodePort capturé n’est pas celui de vos valeurs (le Service a-t-il été recréé\u{202F}?)."))
        #expect(french.contains("c’est le déchargement (offload)"))
        #expect(english.contains("Your capture carries the service 172.18.0.2:31400 (9a08 a87a 0200 12ac) instead of 172.18.0.2:30999"))
        #expect(english.contains("the captured NodePort is not the one in your values (was the Service recreated?)."))
        #expect(english.contains("that is offloading") && !english.contains("déchargement"))
    }
}
