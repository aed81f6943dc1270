import LabgenCore
import Facts

/// The whole of a ```` ```trace ```` block, from its body to HTML: parse → choose the capture
/// (the attendee's own, named in their facts, or the recorded example) → read and filter the
/// packets → render, with what the attendee's SYN must carry. Every failure is a
/// `TraceError` located in the block body, which the Site turns into `file:line:col`.
public struct TraceEmbed: Sendable {
    /// Most packets one block may embed; a longer exchange needs a `packets:` selection.
    public static let packetLimit = 64

    public var source: any PacketSource

    public init(source: any PacketSource) {
        self.source = source
    }

    /// Which capture a block shows for some facts, and how it is annotated.
    struct Chosen {
        var path: String
        var named: TraceBlock.Located<String>
        var map: Facts.CaptureMap?
        var mapNote: String?
        /// The attendee's own capture (nil: the recorded example).
        var own: Facts.Capture?
    }

    /// - Parameters:
    ///   - body: the fenced block's content (without the fences).
    ///   - pageDirectory: directory of the markdown page, against which `file:` is resolved.
    ///   - contentRoot: nothing outside it may be read (but the facts' own captures, beside them).
    ///   - facts: the edition's facts; nil draws the recorded example alone.
    ///   - id: prefix for the fragment's element ids, unique on the page.
    ///   - language: the course's language (`fr` when nil), for the figure's words.
    public func render(body: String, pageDirectory: String, contentRoot: String,
                       facts: Facts?, id: String, language: String? = nil) throws(TraceError) -> String {
        let block = try TraceBlock(parsing: body)
        var chosen = try choose(block, pageDirectory: pageDirectory, contentRoot: contentRoot, facts: facts)
        let packets: [TracePacket]
        do {
            packets = try source.packets(path: chosen.path, filter: block.filter?.value,
                                         selection: block.packets?.value, limit: Self.packetLimit)
        } catch {
            switch error {
            case .filter(let message, let column):
                let at = block.filter ?? chosen.named
                throw TraceError(line: at.line, column: at.column + max(0, (column ?? 1) - 1),
                                 message: "bad filter: \(message)")
            case .capture(let message):
                throw TraceError(line: chosen.named.line, column: chosen.named.column,
                                 message: "cannot read capture `\(chosen.named.value)`: \(message)")
            case .tooMany(let limit):
                let at = block.selectionPosition
                throw TraceError(line: at.line, column: at.column,
                                 message: "more than \(limit) packets match; narrow the filter or add `packets: 1-\(limit)`")
            }
        }
        if packets.isEmpty {
            let at = block.selectionPosition
            throw TraceError(line: at.line, column: at.column, message: "no packet of `\(chosen.named.value)` matches")
        }
        if chosen.own == nil {
            switch RecordedMap.load(beside: chosen.path) {
            case .success(let (map, note)): (chosen.map, chosen.mapNote) = (map, note)
            case .failure(let error): throw TraceError(line: chosen.named.line, column: chosen.named.column, message: error.message)
            }
        }
        let strings = TraceStrings.forLanguage(language)
        var described: String
        if let own = chosen.own {
            described = strings.ownCapture(block.capture?.value ?? "", fileName(own.file), own.takenAt)
        } else {
            described = strings.capture(fileName(chosen.path))
        }
        if let filter = block.filter { described += strings.filter(filter.value) }
        if let selection = block.packets { described += strings.frames(selection.value.text) }
        let renderer = TraceRenderer(id: id, highlight: block.highlight, map: chosen.map, mapNote: chosen.mapNote,
                                     source: described, strings: strings)
        var html = ""
        if block.capture == nil {
            html += renderer.render(packets)
        } else if chosen.own == nil {
            // Marked as the content marks its recorded examples: values of another cluster.
            html += "<div class=\"exemple-enregistre\">\n<p class=\"trace-origin trace-origin-recorded\" role=\"note\">\(HTMLEscaping.escape(strings.recordedNote, apostrophe: true))</p>\n"
            html += renderer.render(packets) + "</div>\n"
        } else {
            html += "<p class=\"trace-origin trace-origin-own\">\(HTMLEscaping.escape(strings.ownNote, apostrophe: true))</p>\n"
            html += renderer.render(packets)
        }
        if let service = block.service, let pod = block.pod, let facts {
            let expectation = try DSRExpectation(service: service, pod: pod, facts: facts)
            html += expectation.render(with: renderer, own: chosen.own == nil ? nil : packets, map: chosen.map)
        }
        return html
    }

    /// Everything of `facts` the block's HTML depends on, as one string ("" when it reads
    /// none: a recorded example is annotated from its own map); nil when the block does not
    /// parse or its values cannot be computed (rendering will report why).
    /// - Parameters:
    ///   - body: the block's content.
    ///   - facts: the edition's facts.
    public static func factsKey(body: String, facts: Facts) -> String? {
        guard let block = try? TraceBlock(parsing: body) else { return nil }
        var key = ""
        if let name = block.capture, let own = facts.captures?[name.value] {
            guard let map = try? facts.encodedCapture(own) else { return nil }
            key += "own\u{1}\(facts.directory ?? "")\u{1}\(map)\u{2}"
        }
        if let service = block.service, let pod = block.pod {
            guard let e = try? DSRExpectation(service: service, pod: pod, facts: facts) else { return nil }
            key += "dsr\u{1}\(e.contacted.name)\u{1}\(e.contacted.ip)\u{1}\(e.backend)\u{1}\(e.nodePort)\u{1}\(e.ciliumVersion)\u{1}\(e.loadBalancerMode)\u{2}"
        }
        return key
    }

    /// The attendee's capture when their facts have the one the block names, else the
    /// block's recorded example with the map stored beside it.
    func choose(_ block: TraceBlock, pageDirectory: String, contentRoot: String, facts: Facts?) throws(TraceError) -> Chosen {
        if let name = block.capture, let own = facts?.captures?[name.value] {
            guard let directory = facts?.directory else {
                throw TraceError(line: name.line, column: name.column, message: "the facts' capture `\(name.value)` cannot be located: the facts were not read from a file")
            }
            let path = try CapturePath.resolve(own.file, factsDirectory: directory, at: name)
            return Chosen(path: path, named: name, map: own.map, own: own)
        }
        guard let file = block.file else {
            let name = block.capture!
            throw TraceError(line: name.line, column: name.column,
                             message: "the facts have no capture `\(name.value)` and the block names no recorded example; add `file: …` (shown when an attendee has no capture)")
        }
        let path = try CapturePath.resolve(file, pageDirectory: pageDirectory, contentRoot: contentRoot)
        return Chosen(path: path, named: file)
    }

    private func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

extension TraceBlock {
    /// Where to point when the choice of packets is wrong: `packets:`, else `filter:`, else the capture.
    var selectionPosition: (line: Int, column: Int) {
        if let p = packets { return (p.line, p.column) }
        if let f = filter { return (f.line, f.column) }
        if let c = file ?? capture { return (c.line, c.column) }
        return (1, 1)
    }
}

extension PacketSelection {
    var text: String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }
}
