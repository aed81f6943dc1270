import Packets

/// Every word a trace figure shows, one table per course language (`language:` in
/// course.yaml; French unless it says `en`), French typography included (U+00A0 before `:`,
/// U+202F before `;` and inside « »): the figures are HTML made here, which the page's
/// typography pass does not touch. Values (addresses, ports, names) are passed in, escaped by
/// the caller where they reach HTML.
public struct TraceStrings: Sendable {
    public var language: String
    // The block as a whole.
    var capture: @Sendable (String) -> String
    var ownCapture: @Sendable (String, String, String) -> String
    var recordedNote: String
    var ownNote: String
    var filter: @Sendable (String) -> String
    var frames: @Sendable (String) -> String
    var source: @Sendable (String, Int) -> String
    var summaryLabel: String
    var frameTitle: @Sendable (Int, Int) -> String
    var incomplete: String
    // Field tree and hex dump.
    var fieldsLabel: String
    var byte: @Sendable (Int) -> String
    var bytes: @Sendable (Int, Int) -> String
    var hexLabel: String
    /// The field tree's labels by field id (`FieldLabels`); nil: the decoders' English labels.
    var fieldLabels: [String: String]?
    /// Words the decoders write in English (`FieldNote.text`, a truncated or malformed
    /// layer's reason), by their whole text.
    var noteTexts: [String: String]
    /// The same by pattern (a regular expression matching part of the text, `$1`… in the
    /// replacement), tried in order when no whole text matched; empty when the decoders'
    /// words are the language's.
    var notePatterns: [(english: String, translated: String)]
    var badChecksum: @Sendable (String, Bool) -> String
    var swappedPort: @Sendable (String, String, String, UInt16) -> String
    var swappedAddress: @Sendable (String, String, String) -> String
    // Ladder.
    var exchange: String
    var arrowDescription: @Sendable (String, String, String) -> String
    var listSeparator: String
    var ladderCaption: String
    var ladderCaptionInferred: String
    var roleClient: String
    var roleContacted: String
    var roleBackend: String
    var beforeCapture: String
    var inferredNote: String
    var sentBy: @Sendable (String, String, String) -> String
    var packetNumber: @Sendable (Int) -> String
    var host: String
    var pod: String
    var offTheMap: String
    var gapNoMap: @Sendable (String?) -> String
    var gapUnknownLane: @Sendable (String) -> String
    var gapServiceNotNode: @Sendable (Int, String) -> String
    var gapClientUnknown: @Sendable (Int, String) -> String
    var gapNotSentByService: @Sendable (Int, String) -> String
    // DSR figure.
    var dsrCaption: @Sendable (Int, Int, Int) -> String
    var colon: String
    var service: String
    var segmentVersion: String, segmentDSCP: String, segmentLength: String, segmentID: String
    var segmentFlags: String, segmentTTL: String, segmentProtocol: String, segmentChecksum: String
    var segmentSource: String, segmentDestination: String, segmentOther: String
    var optionType: String, optionLength: String, servicePort: String, serviceAddress: String
    var headerStep: @Sendable (Int, Int, Int, Int) -> String
    var gridLabel: String
    var swapStep: String
    var noSwapStep: String
    var swapLabel: @Sendable (String, String) -> String
    var swapLabelSwapped: @Sendable (String, String) -> String
    var onTheWire: String, putBack: String, value: String, portWord: String, addressWord: String
    var byteTitle: @Sendable (Int) -> String
    var decimalStep: @Sendable (Int) -> String
    var port: String, address: String, naivePort: String
    var notTheNodePort: @Sendable (Int) -> String
    // What the attendee's SYN must carry (`DSRExpectation`); arguments already HTML where noted.
    var expectedHeading: String
    /// Service, contacted node, backend node, Cilium version (HTML), the option's bytes (HTML).
    var expectedIntro: @Sendable (String, String, String, String, String) -> String
    var expectedCaption: String
    /// HTML: no capture of the attendee's yet.
    var expectedNoCapture: String
    /// Service, frame number, the option's bytes.
    var checkCarries: @Sendable (String, Int, String) -> String
    /// Captured service and bytes, expected service and bytes.
    var checkCarriesOther: @Sendable (String, String, String, String) -> String
    /// Where the request went (name or address), the contacted node and its address.
    var checkSentElsewhere: @Sendable (String, String, String) -> String
    var checkOtherNodePort: String
    var checkOtherByteOrder: String
    var checkEnd: String
    var checkNoSYN: String
    var checkNoOption: String
    var checkOffload: String
    var causeNotDSR: @Sendable (String) -> String
    var causeSameNode: @Sendable (String) -> String
    /// The captured veth, the expected one, the backend node.
    var causeWrongVeth: @Sendable (String, String, String) -> String
    var causesPossible: String

    public static let french = TraceStrings(
        language: "fr",
        capture: { "Capture \($0)" },
        ownCapture: { "Votre capture «\u{202F}\($0)\u{202F}» (\($1), prise le \($2))" },
        recordedNote: "Exemple enregistré sur le cluster d’origine du TP\u{00A0}: ses adresses, ports et adresses MAC ne sont pas les vôtres\u{202F}; les noms du diagramme sont ceux de ce cluster-là.",
        ownNote: "Votre capture, annotée avec la carte de votre cluster au moment où elle a été prise.",
        filter: { ", filtre «\u{202F}\($0)\u{202F}»" }, frames: { ", trames \($0)" },
        source: { "\($0)\u{00A0}: \($1) paquet\($1 > 1 ? "s" : "")." },
        summaryLabel: "Résumé façon tcpdump -n -e",
        frameTitle: { "Trame n°\u{00A0}\($0) — \($1) octet\($1 > 1 ? "s" : "") capturé\($1 > 1 ? "s" : "")" },
        incomplete: "Décodage incomplet\u{00A0}: ",
        fieldsLabel: "Champs décodés", byte: { "[octet \($0)]" }, bytes: { "[octets \($0)–\($1)]" },
        hexLabel: "Octets de la trame (hexadécimal et ASCII)",
        fieldLabels: FieldLabels.french,
        noteTexts: ["correct": "correcte", "not present": "absente",
                    "option length runs past the header": "la longueur de l’option dépasse l’en-tête",
                    "empty packet": "paquet vide", "first line has no end of line": "première ligne sans fin de ligne"],
        notePatterns: [
            (#"^truncated (\S+) at offset (\d+): "#, "$1 tronqué à l’octet $2\u{00A0}: "),
            (#"^malformed (\S+) at offset (\d+): "#, "$1 mal formé à l’octet $2\u{00A0}: "),
            (#"type 0x([0-9a-f]+), kept raw"#, "type 0x$1, gardée telle quelle"),
            (#"kind (\d+), kept raw"#, "type $1, gardée telle quelle"),
            (#"extension header (\d+) needs (\d+) bytes, have (-?\d+)"#, "l’en-tête d’extension $1 demande $2\u{00A0}octets, il y en a $3"),
            (#"addresses need (\d+) bytes, have (-?\d+)"#, "les adresses demandent $1\u{00A0}octets, il y en a $2"),
            (#"options need (\d+) bytes, have (-?\d+)"#, "les options demandent $1\u{00A0}octets, il y en a $2"),
            (#"need (\d+) bytes, have (-?\d+)"#, "il faut $1\u{00A0}octets, il y en a $2"),
            (#"total length (\d+) < header length (\d+)"#, "longueur totale $1 < longueur d’en-tête $2"),
            (#"header length (\d+) exceeds the segment"#, "la longueur d’en-tête $1 dépasse le segment"),
            (#"header length (\d+), have (-?\d+)"#, "longueur d’en-tête $1, il y en a $2"),
            (#"header length (\d+) < (\d+)"#, "longueur d’en-tête $1 < $2"),
            (#"length (\d+) < (\d+)"#, "longueur $1 < $2"),
            (#"version (\d+) is not (\d+)"#, "version $1 au lieu de $2"),
            (#"unsupported link type (\d+)"#, "type de lien $1 non pris en charge"),
            (#"more than (\d+) layers"#, "plus de $1 couches"),
        ],
        badChecksum: { "incorrecte, devrait être 0x\($0)" + ($1 ? " (sans doute le calcul de la somme délégué à la carte réseau)" : "") },
        swappedPort: { "octets sur le fil \($0) inversés par htonl → \($1) = \($2) = \($3)" },
        swappedAddress: { "octets sur le fil \($0) inversés par htonl → \($1) = \($2)" },
        exchange: "Échange\u{00A0}: ", arrowDescription: { "\($0) de \($1) vers \($2)" }, listSeparator: "\u{202F}; ",
        ladderCaption: "Chaque flèche est un paquet de la capture, d’une adresse MAC à l’autre",
        ladderCaptionInferred: "\u{202F}; en pointillés, l’étape d’avant la capture, déduite de l’option DSR",
        roleClient: "client", roleContacted: "Node contacté", roleBackend: "Node du Pod (backend)",
        beforeCapture: "avant la capture", inferredNote: "déduit de l’option DSR",
        sentBy: { "IP source \($0) = \($1), mais émis par \($2)" }, packetNumber: { "n°\u{00A0}\($0)" },
        host: "hôte/VM", pod: "Pod", offTheMap: "hors de la carte",
        gapNoMap: { "Voies sans nom ni rôle\u{00A0}: aucune carte du cluster n’accompagne cette capture" + ($0.map { " (\($0))" } ?? "") + "." },
        gapUnknownLane: { "\($0) n’est pas dans la carte du cluster enregistrée avec la capture\u{00A0}: ni Node, ni hôte, ni Pod connu." },
        gapServiceNotNode: { "Trame n°\u{00A0}\($0)\u{00A0}: l’adresse de service \($1) de l’option DSR n’est l’adresse d’aucun Node de la carte\u{202F}; l’étape d’avant la capture n’est pas dessinée." },
        gapClientUnknown: { "Trame n°\u{00A0}\($0)\u{00A0}: le client \($1) n’est pas dans la carte\u{202F}; l’étape d’avant la capture n’est pas dessinée." },
        gapNotSentByService: { "Trame n°\u{00A0}\($0)\u{00A0}: le paquet portant l’option DSR n’a pas été émis par le Node \($1) qu’elle nomme\u{202F}; l’étape d’avant la capture n’est pas dessinée." },
        dsrCaption: { "Option IP DSR de Cilium dans la trame n°\u{00A0}\($0) (octets \($1)–\($2))" },
        colon: "\u{00A0}:", service: "service",
        segmentVersion: "Version, IHL", segmentDSCP: "DSCP, ECN", segmentLength: "Longueur totale",
        segmentID: "Identification", segmentFlags: "Drapeaux, fragment", segmentTTL: "TTL",
        segmentProtocol: "Protocole", segmentChecksum: "Somme de contrôle", segmentSource: "Adresse source",
        segmentDestination: "Adresse destination", segmentOther: "Autres options",
        optionType: "Type", optionLength: "Longueur", servicePort: "Port du service", serviceAddress: "Adresse du service",
        headerStep: { step, words, bytes, option in
            "\(step). L’en-tête IPv4 du paquet (IHL = \(words) mots de 32 bits, soit \(bytes) octets au lieu de 20)\u{00A0}: "
                + "l’option de Cilium occupe ses \(option) derniers octets." },
        gridLabel: "En-tête IPv4, 32 bits par ligne",
        swapStep: "Port et adresse sont déjà en ordre réseau quand Cilium 1.12 leur applique <code>bpf_htonl</code>\u{00A0}: "
            + "sur un Node little-endian, leurs octets se retrouvent à l’envers. On les remet à l’endroit\u{00A0}:",
        noSwapStep: "Port et adresse sont en ordre réseau, lus tels quels\u{00A0}:",
        swapLabel: { "Octets du port \($0) et de l’adresse \($1)" },
        swapLabelSwapped: { " inversés en \($0) et \($1)" },
        onTheWire: "sur le fil", putBack: "remis à l’endroit", value: "valeur", portWord: "port", addressWord: "adresse",
        byteTitle: { "octet \($0)" }, decimalStep: { "\($0). De l’hexadécimal au décimal\u{00A0}:" },
        port: "Port", address: "Adresse", naivePort: "Port lu sans inversion",
        notTheNodePort: { "= \($0)\u{00A0}: ce n’est pas le NodePort" },
        expectedHeading: "Ce que votre SYN doit porter",
        expectedIntro: { "\u{00A0}: pour le service <strong>\($0)</strong> (Node contacté \($1), Pod sur \($2), Cilium \($3)), l’option IP de Cilium vaut \($4)." },
        expectedCaption: "Option IP DSR attendue, calculée à partir de vos valeurs",
        expectedNoCapture: "Vos valeurs n’ont pas encore de capture\u{00A0}: la trace ci-dessus est l’exemple enregistré. "
            + "Une fois votre capture prise (<code>labgen capture</code>), elle est affichée et comparée ici.",
        checkCarries: { "Votre capture porte bien le service \($0) (trame n°\u{00A0}\($1)\u{00A0}: \($2))." },
        checkCarriesOther: { "Votre capture porte le service \($0) (\($1)) au lieu de \($2) (\($3))" },
        checkSentElsewhere: { "\u{00A0}: la requête a été envoyée à \($0) et non à \($1) (\($2))" },
        checkOtherNodePort: "\u{00A0}: le NodePort capturé n’est pas celui de vos valeurs (le Service a-t-il été recréé\u{202F}?)",
        checkOtherByteOrder: "\u{00A0}: mêmes valeurs, octets dans un autre ordre\u{202F}; vérifiez la version de Cilium de vos valeurs",
        checkEnd: ".",
        checkNoSYN: "Aucun SYN dans votre capture\u{00A0}: elle a commencé après la requête, ou le filtre de capture l’écarte.",
        checkNoOption: "Aucun SYN de votre capture ne porte l’option DSR. ",
        checkOffload: "Certaines sommes de contrôle TCP sont signalées incorrectes\u{00A0}: c’est le déchargement (offload) — la carte réseau ou la veth les calcule après la capture —, pas une erreur.",
        causeNotDSR: { "Cause probable\u{00A0}: Cilium n’est pas en mode DSR (bpf-lb-mode = \($0))." },
        causeSameNode: { "Cause probable\u{00A0}: la requête a atteint le Node du Pod lui-même (\($0))\u{00A0}: rien n’est transféré, donc pas d’option." },
        causeWrongVeth: { "Cause probable\u{00A0}: capture sur la mauvaise veth (\($0) au lieu de \($1), celle de \($2))." },
        causesPossible: "Causes possibles\u{00A0}: Cilium hors mode DSR, requête envoyée au Node du Pod lui-même, ou capture sur une autre veth que celle du Node du Pod.")

    public static let english = TraceStrings(
        language: "en",
        capture: { "Capture \($0)" },
        ownCapture: { "Your capture “\($0)” (\($1), taken \($2))" },
        recordedNote: "Example recorded on the lab’s original cluster: its addresses, ports and MAC addresses are not yours; the names in the diagram are that cluster’s.",
        ownNote: "Your capture, annotated with your cluster’s map as it was when the capture was taken.",
        filter: { ", filter “\($0)”" }, frames: { ", frames \($0)" },
        source: { "\($0): \($1) packet\($1 > 1 ? "s" : "")." },
        summaryLabel: "Summary as tcpdump -n -e prints it",
        frameTitle: { "Frame \($0) — \($1) byte\($1 > 1 ? "s" : "") captured" },
        incomplete: "Incomplete decoding: ",
        fieldsLabel: "Decoded fields", byte: { "[byte \($0)]" }, bytes: { "[bytes \($0)–\($1)]" },
        hexLabel: "Frame bytes (hexadecimal and ASCII)",
        fieldLabels: nil,
        noteTexts: ["correct": "correct", "not present": "not present",
                    "option length runs past the header": "option length runs past the header",
                    "empty packet": "empty packet", "first line has no end of line": "first line has no end of line"],
        notePatterns: [],
        badChecksum: { "incorrect, should be 0x\($0)" + ($1 ? " (maybe caused by checksum offload)" : "") },
        swappedPort: { "wire bytes \($0) swapped by htonl → \($1) = \($2) = \($3)" },
        swappedAddress: { "wire bytes \($0) swapped by htonl → \($1) = \($2)" },
        exchange: "Exchange: ", arrowDescription: { "\($0) from \($1) to \($2)" }, listSeparator: "; ",
        ladderCaption: "Each arrow is a packet of the capture, from one MAC address to another",
        ladderCaptionInferred: "; dashed, the step before the capture, inferred from the DSR option",
        roleClient: "client", roleContacted: "contacted node", roleBackend: "the Pod’s node (backend)",
        beforeCapture: "before the capture", inferredNote: "inferred from the DSR option",
        sentBy: { "source IP \($0) = \($1), but sent by \($2)" }, packetNumber: { "no. \($0)" },
        host: "host/VM", pod: "Pod", offTheMap: "not on the map",
        gapNoMap: { "Lanes without name or role: no cluster map comes with this capture" + ($0.map { " (\($0))" } ?? "") + "." },
        gapUnknownLane: { "\($0) is not on the cluster map recorded with the capture: no node, host or known Pod." },
        gapServiceNotNode: { "Frame \($0): the DSR option’s service address \($1) is no node’s address on the map; the step before the capture is not drawn." },
        gapClientUnknown: { "Frame \($0): the client \($1) is not on the map; the step before the capture is not drawn." },
        gapNotSentByService: { "Frame \($0): the packet carrying the DSR option was not sent by the node \($1) it names; the step before the capture is not drawn." },
        dsrCaption: { "Cilium’s DSR IP option in frame \($0) (bytes \($1)–\($2))" },
        colon: ":", service: "service",
        segmentVersion: "Version, IHL", segmentDSCP: "DSCP, ECN", segmentLength: "Total length",
        segmentID: "Identification", segmentFlags: "Flags, fragment", segmentTTL: "TTL",
        segmentProtocol: "Protocol", segmentChecksum: "Checksum", segmentSource: "Source address",
        segmentDestination: "Destination address", segmentOther: "Other options",
        optionType: "Type", optionLength: "Length", servicePort: "Service port", serviceAddress: "Service address",
        headerStep: { step, words, bytes, option in
            "\(step). The packet’s IPv4 header (IHL = \(words) 32-bit words, i.e. \(bytes) bytes instead of 20): "
                + "Cilium’s option takes its last \(option) bytes." },
        gridLabel: "IPv4 header, 32 bits per row",
        swapStep: "Port and address are already in network order when Cilium 1.12 applies <code>bpf_htonl</code> to them: "
            + "on a little-endian node their bytes end up reversed. Putting them back:",
        noSwapStep: "Port and address are in network order, read as they are:",
        swapLabel: { "Bytes of the port \($0) and of the address \($1)" },
        swapLabelSwapped: { " reversed into \($0) and \($1)" },
        onTheWire: "on the wire", putBack: "put back", value: "value", portWord: "port", addressWord: "address",
        byteTitle: { "byte \($0)" }, decimalStep: { "\($0). From hexadecimal to decimal:" },
        port: "Port", address: "Address", naivePort: "Port read without the swap",
        notTheNodePort: { "= \($0): not the NodePort" },
        expectedHeading: "What your SYN must carry",
        expectedIntro: { ": for the service <strong>\($0)</strong> (contacted node \($1), Pod on \($2), Cilium \($3)), Cilium’s IP option is \($4)." },
        expectedCaption: "Expected DSR IP option, computed from your values",
        expectedNoCapture: "Your values have no capture yet: the trace above is the recorded example. "
            + "Once your capture is taken (<code>labgen capture</code>), it is shown and compared here.",
        checkCarries: { "Your capture does carry the service \($0) (frame \($1): \($2))." },
        checkCarriesOther: { "Your capture carries the service \($0) (\($1)) instead of \($2) (\($3))" },
        checkSentElsewhere: { ": the request was sent to \($0), not to \($1) (\($2))" },
        checkOtherNodePort: ": the captured NodePort is not the one in your values (was the Service recreated?)",
        checkOtherByteOrder: ": same values, bytes in another order; check the Cilium version in your values",
        checkEnd: ".",
        checkNoSYN: "No SYN in your capture: it started after the request, or the capture filter leaves it out.",
        checkNoOption: "No SYN of your capture carries the DSR option. ",
        checkOffload: "Some TCP checksums are flagged incorrect: that is offloading — the network card or the veth computes them after the capture —, not an error.",
        causeNotDSR: { "Likely cause: Cilium is not in DSR mode (bpf-lb-mode = \($0))." },
        causeSameNode: { "Likely cause: the request reached the Pod’s own node (\($0)): nothing is forwarded, so no option." },
        causeWrongVeth: { "Likely cause: capture on the wrong veth (\($0) instead of \($1), \($2)’s)." },
        causesPossible: "Possible causes: Cilium not in DSR mode, request sent to the Pod’s own node, or capture on another veth than the Pod’s node’s.")

    /// The table for `language` (`fr` when absent or unknown): `en`, `en-GB`… give English.
    public static func forLanguage(_ language: String?) -> TraceStrings {
        (language ?? "fr").lowercased().prefix { $0.isLetter } == "en" ? .english : .french
    }

    /// A field's label in this language.
    /// - Parameters:
    ///   - field: the decoded field (its id and the decoder's English label).
    func label(_ field: Field) -> String {
        FieldLabels.label(field.name, english: field.label, in: fieldLabels)
    }

    /// Text a decoder wrote in English (a note, a truncated or malformed layer's reason), in
    /// this language: a whole-text entry, else every pattern that matches, in order.
    /// - Parameters:
    ///   - text: the decoder's words.
    func decoderText(_ text: String) -> String {
        if let translated = noteTexts[text] { return translated }
        var out = text
        for (english, translated) in notePatterns {
            guard let regex = try? Regex(english), let match = try? regex.firstMatch(in: out) else { continue }
            var replacement = translated
            for i in stride(from: match.output.count - 1, through: 1, by: -1) {
                replacement = replacement.replacingOccurrences(of: "$\(i)", with: match.output[i].substring.map(String.init) ?? "")
            }
            out.replaceSubrange(match.range, with: replacement)
        }
        return out
    }

    /// A decoder's note in this language.
    func note(_ note: FieldNote) -> String {
        switch note {
        case .text(let text):
            return decoderText(text)
        case .badChecksum(let expected, let offload):
            return badChecksum(String(expected, radix: 16), offload)
        case .dsrService:
            return note.text
        case .dsrSwappedPort(let wire):
            let swapped = wire.byteSwapped
            return swappedPort(Self.spaced(UInt64(wire), 2), Self.spaced(UInt64(swapped), 2),
                               "0x" + Self.padded(String(swapped, radix: 16), 4), swapped)
        case .dsrSwappedAddress(let wire):
            let swapped = wire.byteSwapped
            let dotted = (0..<4).map { String((swapped >> (8 * (3 - $0))) & 0xff) }.joined(separator: ".")
            return swappedAddress(Self.spaced(UInt64(wire), 4), Self.spaced(UInt64(swapped), 4), dotted)
        }
    }

    private static func spaced(_ v: UInt64, _ n: Int) -> String {
        (0..<n).map { HTMLText.hex2(UInt8(truncatingIfNeeded: v >> (8 * UInt64(n - 1 - $0)))) }.joined(separator: " ")
    }

    private static func padded(_ s: String, _ n: Int) -> String {
        String(repeating: "0", count: max(0, n - s.count)) + s
    }
}
