import LabgenCore
import Facts
import Packets

/// What an attendee's SYN must carry, computed from their facts (the node the lab contacts,
/// their NodePort, their Cilium version), and, when the trace shows their own capture,
/// whether it does, or what differs and the likely cause.
struct DSRExpectation {
    var contacted: Facts.Node
    var backend: String
    var nodePort: Int
    var ciliumVersion: String
    var loadBalancerMode: String
    var expected: DSRExplanation

    /// - Parameters:
    ///   - service: the block's `service:` (a service name in the facts).
    ///   - pod: the block's `pod:` (`label=value`).
    ///   - facts: the attendee's facts.
    init(service: TraceBlock.Located<String>, pod: TraceBlock.Located<String>, facts: Facts) throws(TraceError) {
        guard let svc = facts.services.first(where: { $0.name == service.value }) else {
            throw TraceError(line: service.line, column: service.column,
                             message: "no service named `\(service.value)` in the facts (there are: \(facts.services.map(\.name).joined(separator: ", ")))")
        }
        guard let nodePort = svc.ports.compactMap(\.nodePort).first else {
            throw TraceError(line: service.line, column: service.column, message: "service `\(service.value)` has no NodePort: DSR applies to NodePort traffic")
        }
        let selector = pod.value.split(separator: "=", maxSplits: 1).map(String.init)
        guard let backend = facts.pods.first(where: { $0.labels[selector[0]] == selector[1] }) else {
            throw TraceError(line: pod.line, column: pod.column, message: "no pod labelled `\(pod.value)` in the facts")
        }
        guard let contacted = facts.contactNode(avoiding: backend.node) else {
            throw TraceError(line: pod.line, column: pod.column, message: facts.noContactNodeReason(avoiding: backend.node))
        }
        guard let expected = CiliumDSR.expectedIPv4(address: contacted.ip, port: UInt16(nodePort), ciliumVersion: facts.cilium.version) else {
            throw TraceError(line: pod.line, column: pod.column, message: "node \(contacted.name) has no IPv4 address (\(contacted.ip)): the IPv4 DSR option cannot be computed")
        }
        self.contacted = contacted
        self.backend = backend.node
        self.nodePort = nodePort
        self.ciliumVersion = facts.cilium.version
        self.loadBalancerMode = facts.cilium.loadBalancerMode
        self.expected = expected
    }

    var hex: String { DSROptionLayout.text(expected.raw) }

    /// The section: the expected bytes and their figure, then the check of `own` packets
    /// (nil: the trace shows the recorded example), in the renderer's language.
    /// - Parameters:
    ///   - renderer: the trace's renderer (its id, words and figure).
    ///   - own: the attendee's captured packets, or nil.
    ///   - map: who was who when `own` was captured.
    func render(with renderer: TraceRenderer, own: [TracePacket]?, map: Facts.CaptureMap?) -> String {
        let words = renderer.strings
        func e(_ text: String) -> String { HTMLEscaping.escape(text, apostrophe: true) }
        var out = "<section class=\"trace-expected\" id=\"\(e(renderer.id))-expected\">\n"
        out += "<p class=\"trace-expected-title\"><strong>\(e(words.expectedHeading))</strong>"
        out += words.expectedIntro(e(expected.service), e(contacted.name), e(backend), e(ciliumVersion),
                                   "<code class=\"trace-expected-bytes\">\(hex)</code>") + "</p>\n"
        out += renderer.figure(expected, caption: words.expectedCaption)
        if let own {
            for line in check(own, map: map, words: words) {
                out += "<p class=\"trace-check trace-check-\(line.ok ? "ok" : "differs")\" role=\"status\">\(e(line.text))</p>\n"
            }
        } else {
            out += "<p class=\"trace-check trace-check-none\">\(words.expectedNoCapture)</p>\n"
        }
        out += "</section>\n"
        return out
    }

    struct Line: Equatable {
        var ok: Bool
        var text: String
    }

    /// Whether `packets` carry the expected option; an offloaded checksum is explained, not
    /// counted against the capture.
    /// - Parameters:
    ///   - packets: the attendee's captured packets.
    ///   - map: who was who when they were captured.
    ///   - words: the course language's table.
    func check(_ packets: [TracePacket], map: Facts.CaptureMap?, words: TraceStrings) -> [Line] {
        var lines: [Line] = []
        let syns = packets.filter { $0.value("tcp.flags.syn") == "1" && $0.value("tcp.flags.ack") == "0" }
        if let carrying = packets.first(where: { $0.dsr?.encoding == .ipv4Option }), let found = carrying.dsr {
            if found.raw == expected.raw {
                lines.append(Line(ok: true, text: words.checkCarries(expected.service, carrying.number, DSROptionLayout.text(found.raw))))
            } else {
                var text = words.checkCarriesOther(found.service, DSROptionLayout.text(found.raw), expected.service, hex)
                if found.address != expected.address {
                    let name = map?.nodes.first { $0.ip == found.address }?.name
                    text += words.checkSentElsewhere(name ?? found.address, contacted.name, contacted.ip)
                } else if found.port != expected.port {
                    text += words.checkOtherNodePort
                } else {
                    text += words.checkOtherByteOrder
                }
                lines.append(Line(ok: false, text: text + words.checkEnd))
            }
        } else if syns.isEmpty {
            lines.append(Line(ok: false, text: words.checkNoSYN))
        } else {
            lines.append(Line(ok: false, text: words.checkNoOption + likelyCause(map: map, words: words)))
        }
        if packets.contains(where: { $0.fields.first("tcp.checksum")?.explanation.map(Self.isOffload) == true }) {
            lines.append(Line(ok: true, text: words.checkOffload))
        }
        return lines
    }

    private static func isOffload(_ note: FieldNote) -> Bool {
        if case .badChecksum(_, offload: true) = note { return true }
        return false
    }

    private func likelyCause(map: Facts.CaptureMap?, words: TraceStrings) -> String {
        if loadBalancerMode != "dsr" {
            return words.causeNotDSR(loadBalancerMode)
        }
        if let map, let contactedNode = map.contacted, let backendNode = map.backend, contactedNode == backendNode {
            return words.causeSameNode(backendNode)
        }
        if let map, let veth = map.veth, let backendNode = map.backend,
           let expectedVeth = map.nodes.first(where: { $0.name == backendNode })?.veth, veth != expectedVeth {
            return words.causeWrongVeth(veth, expectedVeth, backendNode)
        }
        return words.causesPossible
    }
}
