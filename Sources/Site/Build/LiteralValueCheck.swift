import LabgenCore
import Facts

/// `labgen check`'s search for values that should be parameters: a literal in a page (prose,
/// inline code or a code block) equal to a value of the content's default facts — an IP, a
/// MAC, a veth, the bridge, a NodePort or target port, a version — is a warning naming the
/// fact and the placeholder to write. The original lab's cluster leaks into every attendee's
/// copy through such literals. Recorded examples (`<div class="exemple-enregistre">` … its
/// `</div>`), ```` ```trace ```` blocks (a recorded capture's file and filter) and the
/// placeholders themselves are not searched.
struct LiteralValueCheck {
    /// A value to look for, the facts path it comes from, and the placeholder to suggest.
    struct Needle {
        var text: String
        var path: String
        var suggestion: String
        /// Versions are also found after a `v` (`v1.12.2`).
        var isVersion = false
    }

    var needles: [Needle]

    /// - Parameters:
    ///   - facts: the content's default facts (the original lab's values).
    init(defaults facts: Facts) {
        var out: [Needle] = []
        func add(_ text: String, _ path: String, _ suggestion: String, version: Bool = false) {
            guard text.count >= 4, !out.contains(where: { $0.text == text }) else { return }
            out.append(Needle(text: text, path: path, suggestion: suggestion, isVersion: version))
        }
        add(facts.host.ip, "host.ip", "host.ip")
        add(facts.host.mac, "host.mac", "host.mac")
        add(facts.host.bridge, "host.bridge", "host.bridge")
        for (i, n) in facts.nodes.enumerated() {
            let node = "node(\"\(n.name)\")"
            add(n.ip, "nodes[\(i)].ip", "\(node).ip")
            add(n.mac, "nodes[\(i)].mac", "\(node).mac")
            add(n.veth, "nodes[\(i)].veth", "\(node).veth")
        }
        for (i, p) in facts.pods.enumerated() {
            let pod = p.labels.sorted { $0.key < $1.key }.first.map { "pod(\($0.key)=\"\($0.value)\")" } ?? "pod(\"\(p.name)\")"
            add(p.ip, "pods[\(i)].ip", "\(pod).ip")
        }
        for (i, s) in facts.services.enumerated() {
            let service = "service(\"\(s.name)\")"
            add(s.clusterIP, "services[\(i)].clusterIP", "\(service).clusterIP")
            for (j, port) in s.ports.enumerated() {
                // Ports below 1024 (80, 443) are everyone's: not worth a parameter.
                if let nodePort = port.nodePort {
                    add(String(nodePort), "services[\(i)].ports[\(j)].nodePort", "\(service).ports[\(j)].nodePort")
                }
                if port.targetPort >= 1024 {
                    add(String(port.targetPort), "services[\(i)].ports[\(j)].targetPort", "\(service).ports[\(j)].targetPort")
                }
            }
        }
        add(facts.cilium.version, "cilium.version", "cilium.version", version: true)
        add(facts.cluster.kubernetesVersion, "cluster.kubernetesVersion", "cluster.kubernetesVersion", version: true)
        needles = out
    }

    /// The warnings for one page.
    /// - Parameters:
    ///   - markdown: the page's source (front matter blanked, lines kept).
    ///   - file: the page as diagnostics name it.
    func diagnostics(markdown: String, file: String) -> [Diagnostic] {
        var found: [Diagnostic] = []
        var recordedDepth = 0
        var traceFence: Substring?
        for (index, line) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // A ```trace block names a recorded capture and its filter: not filled, not searched.
            let trimmed = line.drop { $0 == " " }
            if let fence = traceFence {
                if trimmed.hasPrefix(fence) { traceFence = nil }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                let fence = trimmed.prefix { $0 == "`" || $0 == "~" }
                if trimmed.dropFirst(fence.count).drop(while: { $0 == " " }).hasPrefix("trace") { traceFence = fence; continue }
            }
            let bytes = Array(line.utf8)
            let skipped = Self.skippedRanges(bytes, recordedDepth: &recordedDepth)
            // Columns in characters: each byte's, counted once for a line that needs them.
            var columns: [Int] = []
            func column(_ offset: Int) -> Int {
                if columns.isEmpty {
                    columns = Array(unsafeUninitializedCapacity: bytes.count + 1) { buffer, count in
                        var n = 1
                        for (k, b) in bytes.enumerated() { buffer[k] = n; if b & 0xC0 != 0x80 { n += 1 } }
                        buffer[bytes.count] = n
                        count = bytes.count + 1
                    }
                }
                return columns[offset]
            }
            for needle in needles {
                for start in Self.occurrences(of: Array(needle.text.utf8), in: bytes, version: needle.isVersion)
                where !skipped.contains(where: { $0.contains(start) }) {
                    found.append(Diagnostic(file: file, line: index + 1, column: column(start), severity: .warning,
                                            message: "\(needle.text) is \(needle.path): write ${{ \(needle.suggestion) }}"))
                }
            }
        }
        return found.sorted()
    }

    /// Byte ranges of `line` not to search: placeholders, and everything inside a recorded
    /// example (tracking `<div>` nesting across lines).
    static func skippedRanges(_ line: [UInt8], recordedDepth depth: inout Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        let text = String(decoding: line, as: UTF8.self)
        if depth > 0 { ranges.append(0 ..< line.count) }
        // `<div…>` / `</div>` on this line move the depth of a recorded example.
        var i = 0
        while i < line.count {
            if depth == 0, text.utf8.count >= i, Self.matches(line, at: i, "<div class=\"exemple-enregistre\"") {
                depth = 1
                ranges.append(i ..< line.count)
                i += 1
                continue
            }
            if depth > 0 {
                if Self.matches(line, at: i, "<div") { depth += 1 }
                if Self.matches(line, at: i, "</div>") { depth -= 1 }
            }
            i += 1
        }
        // `${{ … }}`.
        var j = 0
        while j + 3 <= line.count {
            if Self.matches(line, at: j, "${{") {
                var k = j + 3
                while k + 2 <= line.count, !Self.matches(line, at: k, "}}") { k += 1 }
                ranges.append(j ..< min(line.count, k + 2))
                j = k + 2
            } else {
                j += 1
            }
        }
        return ranges
    }

    static func matches(_ line: [UInt8], at i: Int, _ s: String) -> Bool {
        let b = Array(s.utf8)
        return i + b.count <= line.count && Array(line[i ..< i + b.count]) == b
    }

    /// Starts of `needle` in `line` standing as a whole value: not inside a longer number,
    /// address or name (`172.18.0.2` is not found in `172.18.0.25`; `.` after it is fine,
    /// as in tcpdump's `172.18.0.2.31400`).
    static func occurrences(of needle: [UInt8], in line: [UInt8], version: Bool) -> [Int] {
        func isWord(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
        }
        var out: [Int] = []
        guard !needle.isEmpty, needle.count <= line.count else { return out }
        // A port stands after `:` or `.` (`172.18.0.2:31400`, tcpdump's `172.18.0.2.31400`);
        // an IPv4 address before `:` (`172.18.0.2:31400`).
        let isNumber = needle.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        let isIPv4 = !needle.contains(UInt8(ascii: ":")) && needle.filter { $0 == UInt8(ascii: ".") }.count == 3 && !version
        for i in 0 ... line.count - needle.count where Array(line[i ..< i + needle.count]) == needle {
            if i > 0 {
                let before = line[i - 1]
                let versionPrefix = version && before == UInt8(ascii: "v") && (i < 2 || !isWord(line[i - 2]))
                let portPrefix = isNumber && (before == UInt8(ascii: ":") || before == UInt8(ascii: "."))
                if !versionPrefix, !portPrefix,
                   isWord(before) || before == UInt8(ascii: ".") || before == UInt8(ascii: ":") || before == UInt8(ascii: "-") { continue }
            }
            let end = i + needle.count
            if end < line.count {
                let after = line[end]
                if isWord(after) || after == UInt8(ascii: "-") { continue }
                if after == UInt8(ascii: ":"), !isIPv4 { continue }
                if after == UInt8(ascii: "."), version, end + 1 < line.count, isWord(line[end + 1]) { continue }
            }
            out.append(i)
        }
        return out
    }
}
