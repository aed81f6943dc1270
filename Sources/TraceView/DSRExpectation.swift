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
    /// (nil: the trace shows the recorded example).
    func render(with renderer: TraceRenderer, own: [TracePacket]?, map: Facts.CaptureMap?) -> String {
        var out = "<section class=\"trace-expected\" id=\"\(HTMLEscaping.escape(renderer.id, apostrophe: true))-expected\">\n"
        out += "<p class=\"trace-expected-title\"><strong>Ce que votre SYN doit porter</strong> : pour le service "
        out += "<strong>\(HTMLEscaping.escape(expected.service, apostrophe: true))</strong> (Node contacté \(HTMLEscaping.escape(contacted.name, apostrophe: true)), "
        out += "Pod sur \(HTMLEscaping.escape(backend, apostrophe: true)), Cilium \(HTMLEscaping.escape(ciliumVersion, apostrophe: true))), l'option IP de Cilium vaut "
        out += "<code class=\"trace-expected-bytes\">\(hex)</code>.</p>\n"
        out += renderer.figure(expected, caption: "Option IP DSR attendue, calculée à partir de vos valeurs")
        if let own {
            for line in check(own, map: map) {
                out += "<p class=\"trace-check trace-check-\(line.ok ? "ok" : "differs")\" role=\"status\">\(HTMLEscaping.escape(line.text, apostrophe: true))</p>\n"
            }
        } else {
            out += "<p class=\"trace-check trace-check-none\">Vos valeurs n'ont pas encore de capture : la trace ci-dessus est l'exemple enregistré. "
            out += "Une fois votre capture prise (<code>labgen capture</code>), elle est affichée et comparée ici.</p>\n"
        }
        out += "</section>\n"
        return out
    }

    struct Line: Equatable {
        var ok: Bool
        var text: String
    }

    /// Whether `packets` carry the expected option, in French; an offloaded checksum is
    /// explained, not counted against the capture.
    func check(_ packets: [TracePacket], map: Facts.CaptureMap?) -> [Line] {
        var lines: [Line] = []
        let syns = packets.filter { $0.value("tcp.flags.syn") == "1" && $0.value("tcp.flags.ack") == "0" }
        if let carrying = packets.first(where: { $0.dsr?.encoding == .ipv4Option }), let found = carrying.dsr {
            if found.raw == expected.raw {
                lines.append(Line(ok: true, text: "Votre capture porte bien le service \(expected.service) (trame n° \(carrying.number) : \(DSROptionLayout.text(found.raw)))."))
            } else {
                var text = "Votre capture porte le service \(found.service) (\(DSROptionLayout.text(found.raw))) au lieu de \(expected.service) (\(hex))"
                if found.address != expected.address {
                    let name = map?.nodes.first { $0.ip == found.address }?.name
                    text += " : la requête a été envoyée à \(name ?? found.address) et non à \(contacted.name) (\(contacted.ip))"
                } else if found.port != expected.port {
                    text += " : le NodePort capturé n'est pas celui de vos valeurs (le Service a-t-il été recréé ?)"
                } else {
                    text += " : mêmes valeurs, octets dans un autre ordre ; vérifiez la version de Cilium de vos valeurs"
                }
                lines.append(Line(ok: false, text: text + "."))
            }
        } else if syns.isEmpty {
            lines.append(Line(ok: false, text: "Aucun SYN dans votre capture : elle a commencé après la requête, ou le filtre de capture l'écarte."))
        } else {
            lines.append(Line(ok: false, text: "Aucun SYN de votre capture ne porte l'option DSR. " + likelyCause(map: map)))
        }
        if packets.contains(where: { $0.fields.first("tcp.checksum")?.note?.contains("offload") == true }) {
            lines.append(Line(ok: true, text: "Certaines sommes de contrôle TCP sont signalées incorrectes : c'est le déchargement (offload) — la carte réseau ou la veth les calcule après la capture —, pas une erreur."))
        }
        return lines
    }

    private func likelyCause(map: Facts.CaptureMap?) -> String {
        if loadBalancerMode != "dsr" {
            return "Cause probable : Cilium n'est pas en mode DSR (bpf-lb-mode = \(loadBalancerMode))."
        }
        if let map, let contactedNode = map.contacted, let backendNode = map.backend, contactedNode == backendNode {
            return "Cause probable : la requête a atteint le Node du Pod lui-même (\(backendNode)) : rien n'est transféré, donc pas d'option."
        }
        if let map, let veth = map.veth, let backendNode = map.backend,
           let expectedVeth = map.nodes.first(where: { $0.name == backendNode })?.veth, veth != expectedVeth {
            return "Cause probable : capture sur la mauvaise veth (\(veth) au lieu de \(expectedVeth), celle de \(backendNode))."
        }
        return "Causes possibles : Cilium hors mode DSR, requête envoyée au Node du Pod lui-même, ou capture sur une autre veth que celle du Node du Pod."
    }
}
