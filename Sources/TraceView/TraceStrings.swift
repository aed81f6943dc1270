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
    /// Notes the decoder writes in English (`FieldNote.text`), by their text or their ending.
    var noteTexts: [String: String]
    var keptRaw: (english: String, translated: String)
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
        noteTexts: ["correct": "correcte", "not present": "absente",
                    "option length runs past the header": "la longueur de l’option dépasse l’en-tête"],
        keptRaw: (", kept raw", ", gardée telle quelle"),
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
        notTheNodePort: { "= \($0)\u{00A0}: ce n’est pas le NodePort" })

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
        noteTexts: [:], keptRaw: (", kept raw", ", kept raw"),
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
        notTheNodePort: { "= \($0): not the NodePort" })

    /// The table for `language` (`fr` when absent or unknown): `en`, `en-GB`… give English.
    public static func forLanguage(_ language: String?) -> TraceStrings {
        (language ?? "fr").lowercased().prefix { $0.isLetter } == "en" ? .english : .french
    }

    /// A decoder's note in this language.
    func note(_ note: FieldNote) -> String {
        switch note {
        case .text(let text):
            if let translated = noteTexts[text] { return translated }
            if text.hasSuffix(keptRaw.english) { return text.dropLast(keptRaw.english.count) + keptRaw.translated }
            return text
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
