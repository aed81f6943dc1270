/// The parsed body of a ```` ```trace ```` fenced block.
///
/// ```
/// file: ../captures/seed-dsr.pcap
/// filter: tcp.port == 31400 || tcp.port == 8080
/// packets: 1-2
/// highlight: cilium.dsr
/// ```
/// Positions are kept per key so every later error (missing file, bad filter) can point at the
/// exact line and column of the value in the markdown source.
public struct TraceBlock: Sendable, Equatable {
    /// Capture path, relative to the page's directory: the recorded example when `capture`
    /// names one the attendee's facts do not have.
    public var file: Located<String>?
    /// Name of a capture in the facts (`captures.dsr`): the attendee's own packets.
    public var capture: Located<String>?
    /// The NodePort service (by name) and the backend pod (a `label=value` selector) whose DSR
    /// option the attendee's SYN must carry; both or neither.
    public var service: Located<String>?
    public var pod: Located<String>?
    /// Display-filter expression (Packets' subset of Wireshark syntax); nil shows every packet.
    public var filter: Located<String>?
    /// Frame numbers to keep (as tcpdump/tshark number them in the file), after the filter.
    public var packets: Located<PacketSelection>?
    /// Field names to emphasise; a name also covers its sub-fields (`cilium.dsr` → `cilium.dsr.svc_port`).
    public var highlight: [String]

    /// A value and where it starts in the block body (1-based line and column).
    public struct Located<Value: Sendable & Equatable>: Sendable, Equatable {
        public var value: Value
        public var line: Int
        public var column: Int
        public init(_ value: Value, line: Int, column: Int) {
            self.value = value
            self.line = line
            self.column = column
        }
    }

    public init(file: Located<String>?, capture: Located<String>? = nil, filter: Located<String>? = nil,
                packets: Located<PacketSelection>? = nil, highlight: [String] = [],
                service: Located<String>? = nil, pod: Located<String>? = nil) {
        self.file = file
        self.capture = capture
        self.service = service
        self.pod = pod
        self.filter = filter
        self.packets = packets
        self.highlight = highlight
    }

    static let keys = ["capture", "file", "filter", "packets", "highlight", "service", "pod"]

    /// Parses `key: value` lines; blank lines and `#` comments are skipped.
    public init(parsing body: String) throws(TraceError) {
        var file: Located<String>?
        var capture: Located<String>?
        var service: Located<String>?
        var pod: Located<String>?
        var filter: Located<String>?
        var packets: Located<PacketSelection>?
        var highlight: [String] = []
        var seen: Set<String> = []
        for (index, raw) in body.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            let text = raw.hasSuffix("\r") ? raw.dropLast() : raw
            let trimmed = text.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let keyColumn = text.count - trimmed.count + 1
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw TraceError(line: line, column: keyColumn,
                                 message: "expected `key: value` (keys: \(Self.keys.joined(separator: ", ")))")
            }
            let key = String(trimmed[..<colon]).trimmingSpaces()
            let afterColon = trimmed[trimmed.index(after: colon)...]
            let valueText = afterColon.drop(while: { $0 == " " || $0 == "\t" })
            let value = String(valueText).trimmingSpaces()
            let valueColumn = keyColumn + trimmed.distance(from: trimmed.startIndex, to: valueText.startIndex)
            guard Self.keys.contains(key) else {
                throw TraceError(line: line, column: keyColumn,
                                 message: "unknown key `\(key)` in trace block (keys: \(Self.keys.joined(separator: ", ")))")
            }
            guard seen.insert(key).inserted else {
                throw TraceError(line: line, column: keyColumn, message: "key `\(key)` given twice")
            }
            guard !value.isEmpty else {
                throw TraceError(line: line, column: valueColumn, message: "empty value for `\(key)`")
            }
            switch key {
            case "file": file = Located(value, line: line, column: valueColumn)
            case "capture": capture = Located(value, line: line, column: valueColumn)
            case "service": service = Located(value, line: line, column: valueColumn)
            case "pod":
                guard value.contains("="), !value.hasPrefix("="), !value.hasSuffix("=") else {
                    throw TraceError(line: line, column: valueColumn, message: "`pod:` is a label selector like `app=echoserver`")
                }
                pod = Located(value, line: line, column: valueColumn)
            case "filter": filter = Located(value, line: line, column: valueColumn)
            case "packets":
                guard let selection = PacketSelection(value) else {
                    throw TraceError(line: line, column: valueColumn,
                                     message: "bad packet selection `\(value)` (expected frame numbers like `1-2,5`)")
                }
                packets = Located(selection, line: line, column: valueColumn)
            default:
                highlight = value.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            }
        }
        guard file != nil || capture != nil else {
            throw TraceError(line: 1, column: 1, message: "trace block needs a `file:` line naming a capture (or `capture:` naming one of the facts)")
        }
        if (service == nil) != (pod == nil), let one = service ?? pod {
            throw TraceError(line: one.line, column: 1, message: "`service:` and `pod:` go together: the DSR option is computed for the pod's service, contacted on another node")
        }
        self.init(file: file, capture: capture, filter: filter, packets: packets, highlight: highlight,
                  service: service, pod: pod)
    }
}

/// Frame numbers as ranges (`1-2,5`), 1-based like tcpdump and tshark.
public struct PacketSelection: Sendable, Equatable {
    public var ranges: [ClosedRange<Int>]

    public init?(_ text: String) {
        var ranges: [ClosedRange<Int>] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
                .map { String($0).trimmingSpaces() }
            guard (1...2).contains(bounds.count),
                  let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]),
                  low >= 1, low <= high else { return nil }
            ranges.append(low...high)
        }
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
    }

    public func contains(_ number: Int) -> Bool { ranges.contains { $0.contains(number) } }
    /// No frame after this one can be selected: reading can stop there.
    public var last: Int { ranges.map(\.upperBound).max() ?? 0 }
}

/// A problem with a trace block, located in the block body (1-based line and column); the
/// Site adds the page path and the block's position to make it `file:line:col`.
public struct TraceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }
    public var description: String { "\(line):\(column): \(message)" }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
