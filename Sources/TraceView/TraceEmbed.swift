import Facts

/// The whole of a ```` ```trace ```` block, from its body to HTML: parse → resolve the capture
/// path → read and filter the packets → render. Every failure is a `TraceError` located in the
/// block body, which the Site turns into `file:line:col`.
public struct TraceEmbed: Sendable {
    /// Most packets one block may embed; a longer exchange needs a `packets:` selection.
    public static let packetLimit = 64

    public var source: any PacketSource

    public init(source: any PacketSource) {
        self.source = source
    }

    /// - Parameters:
    ///   - body: the fenced block's content (without the fences).
    ///   - pageDirectory: directory of the markdown page, against which `file:` is resolved.
    ///   - contentRoot: nothing outside it may be read.
    ///   - id: prefix for the fragment's element ids, unique on the page.
    public func render(body: String, pageDirectory: String, contentRoot: String,
                       facts: Facts?, id: String) throws(TraceError) -> String {
        let block = try TraceBlock(parsing: body)
        let path = try CapturePath.resolve(block.file, pageDirectory: pageDirectory, contentRoot: contentRoot)
        let packets: [TracePacket]
        do {
            packets = try source.packets(path: path, filter: block.filter?.value,
                                         selection: block.packets?.value, limit: Self.packetLimit)
        } catch {
            switch error {
            case .filter(let message, let column):
                let at = block.filter ?? block.file
                throw TraceError(line: at.line, column: at.column + max(0, (column ?? 1) - 1),
                                 message: "bad filter: \(message)")
            case .capture(let message):
                throw TraceError(line: block.file.line, column: block.file.column,
                                 message: "cannot read capture `\(block.file.value)`: \(message)")
            case .tooMany(let limit):
                let at = block.selectionPosition
                throw TraceError(line: at.line, column: at.column,
                                 message: "more than \(limit) packets match; narrow the filter or add `packets: 1-\(limit)`")
            }
        }
        if packets.isEmpty {
            let at = block.selectionPosition
            throw TraceError(line: at.line, column: at.column, message: "no packet of `\(block.file.value)` matches")
        }
        var described = "Capture \(fileName(block.file.value))"
        if let filter = block.filter { described += ", filtre « \(filter.value) »" }
        if let selection = block.packets { described += ", trames \(selection.value.text)" }
        let renderer = TraceRenderer(id: id, highlight: block.highlight, facts: facts, source: described)
        return renderer.render(packets)
    }

    private func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

extension TraceBlock {
    /// Where to point when the choice of packets is wrong: `packets:`, else `filter:`, else `file:`.
    var selectionPosition: (line: Int, column: Int) {
        if let p = packets { return (p.line, p.column) }
        if let f = filter { return (f.line, f.column) }
        return (file.line, file.column)
    }
}

extension PacketSelection {
    var text: String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }
}
