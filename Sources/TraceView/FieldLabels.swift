/// The field tree's labels in French, keyed by the field's stable id (its Wireshark
/// display-filter name, `ip.ttl`). The decoders and `labgen decode` keep tshark's English
/// names; a French course's trace view shows these, as a network engineer would write them,
/// acronyms kept ("Durée de vie (TTL)"). An id whose decoder gives it two English labels has
/// an entry per label, keyed `id|English label`, looked up first.
///
/// `FieldLabelTests` holds this table to exactly the ids the decoders emit.
enum FieldLabels {
    /// The label of field `name` whose decoder label is `english`, from `table` (nil: English).
    /// - Parameters:
    ///   - name: the field's id (`ip.ttl`).
    ///   - english: the decoder's label.
    ///   - table: the language's labels, nil when the decoder's English is that language's.
    static func label(_ name: String, english: String, in table: [String: String]?) -> String {
        guard let table else { return english }
        return table[name + "|" + english] ?? table[name] ?? english
    }

    static let french: [String: String] = [
        // Capture and its record.
        "frame": "Trame", "frame.number": "Numéro de trame", "frame.len": "Longueur de la trame",
        "frame.cap_len": "Longueur capturée",
        "_ws.malformed|Truncated": "Tronqué", "_ws.malformed|Malformed": "Mal formé", "_ws.malformed": "Mal formé",
        "data": "Données", "data.data": "Données", "data.len": "Longueur",
        // Link layers.
        "null": "Boucle locale (en-tête Null/Loopback)", "null.family": "Famille d’adresses",
        "sll": "Capture Linux «\u{202F}cooked\u{202F}» (SLL)", "sll.pkttype": "Type de paquet",
        "sll.hatype": "Type d’adresse de lien", "sll.halen": "Longueur de l’adresse de lien",
        "sll.src.eth": "Source", "sll.src.other": "Source", "sll.unused": "Inutilisé",
        "sll.etype": "Protocole", "sll.ifindex": "Index d’interface",
        "eth": "Ethernet II", "eth.dst": "Destination", "eth.src": "Source", "eth.addr": "Adresse",
        "eth.dst.lg": "Bit LG (adresse administrée localement)", "eth.src.lg": "Bit LG (adresse administrée localement)",
        "eth.dst.ig": "Bit IG (adresse de groupe)", "eth.src.ig": "Bit IG (adresse de groupe)",
        "eth.type": "Type (EtherType)",
        "vlan": "VLAN 802.1Q", "vlan.priority": "Priorité (PCP)", "vlan.dei": "DEI",
        "vlan.id": "Identifiant de VLAN (VID)", "vlan.etype": "Type (EtherType)",
        "arp": "Protocole de résolution d’adresse (ARP)", "arp.hw.type": "Type de matériel",
        "arp.proto.type": "Type de protocole", "arp.hw.size": "Taille de l’adresse matérielle",
        "arp.proto.size": "Taille de l’adresse de protocole", "arp.opcode": "Code d’opération",
        "arp.src.hw": "Adresse matérielle de l’émetteur", "arp.src.hw_mac": "Adresse MAC de l’émetteur",
        "arp.src.proto": "Adresse de protocole de l’émetteur", "arp.src.proto_ipv4": "Adresse IP de l’émetteur",
        "arp.dst.hw": "Adresse matérielle de la cible", "arp.dst.hw_mac": "Adresse MAC de la cible",
        "arp.dst.proto": "Adresse de protocole de la cible", "arp.dst.proto_ipv4": "Adresse IP de la cible",
        // IPv4.
        "ip": "IPv4 (protocole Internet, version 4)", "ip.version": "Version", "ip.hdr_len": "Longueur d’en-tête (IHL)",
        "ip.dsfield": "Champ Differentiated Services (DS)", "ip.dsfield.dscp": "Classe de service (DSCP)",
        "ip.dsfield.ecn": "Notification de congestion (ECN)", "ip.len": "Longueur totale",
        "ip.id": "Identification", "ip.flags": "Drapeaux", "ip.flags.rb": "Bit réservé",
        "ip.flags.df": "Ne pas fragmenter (DF)", "ip.flags.mf": "Autres fragments (MF)",
        "ip.frag_offset": "Position du fragment", "ip.ttl": "Durée de vie (TTL)", "ip.proto": "Protocole",
        "ip.checksum": "Somme de contrôle de l’en-tête", "ip.checksum.status": "État de la somme de contrôle",
        "ip.checksum_calculated": "Somme de contrôle calculée", "ip.src": "Adresse source",
        "ip.dst": "Adresse destination",
        "ip.options": "Options", "ip.opt.type": "Type", "ip.opt.type.copy": "Copiée à la fragmentation",
        "ip.opt.type.class": "Classe", "ip.opt.type.number": "Numéro", "ip.opt.len": "Longueur",
        "ip.opt.ptr": "Pointeur", "ip.opt.malformed": "Option mal formée", "ip.opt.unknown": "Option inconnue",
        "ip.options.eol": "Fin de la liste d’options (EOL)", "ip.options.nop": "Pas d’opération (NOP)",
        "ip.options.record_route": "Enregistrement de route (Record Route)", "ip.rec_rt": "Route enregistrée",
        "ip.empty_rt": "Route vide", "ip.options.routeralert": "Alerte routeur (Router Alert)",
        "ip.opt.ra": "Alerte routeur (Router Alert)", "ip.options.timestamp": "Horodatage (Timestamp)",
        "ip.opt.overflow": "Débordement", "ip.opt.flag": "Drapeau", "ip.opt.time_stamp": "Horodatage",
        "ip.opt.time_stamp_addr": "Adresse",
        "cilium.dsr": "Option de service DSR de Cilium", "cilium.dsr.type": "Type d’option",
        "cilium.dsr.len": "Longueur de l’option", "cilium.dsr.svc_port": "Port du service",
        "cilium.dsr.svc_addr": "Adresse du service",
        // IPv6.
        "ipv6": "IPv6 (protocole Internet, version 6)", "ipv6.version": "Version",
        "ipv6.tclass": "Classe de trafic", "ipv6.tclass.dscp": "Classe de service (DSCP)",
        "ipv6.tclass.ecn": "Notification de congestion (ECN)", "ipv6.flow": "Étiquette de flux (Flow Label)",
        "ipv6.plen": "Longueur des données", "ipv6.nxt": "En-tête suivant", "ipv6.hlim": "Nombre de sauts max. (Hop Limit)",
        "ipv6.src": "Adresse source", "ipv6.dst": "Adresse destination",
        "ipv6.hopopts": "Options saut par saut (Hop-by-Hop)", "ipv6.hopopts.nxt": "En-tête suivant",
        "ipv6.hopopts.len": "Longueur", "ipv6.hopopts.len_oct": "Longueur en octets",
        "ipv6.dstopts": "Options de destination", "ipv6.dstopts.nxt": "En-tête suivant",
        "ipv6.dstopts.len": "Longueur", "ipv6.dstopts.len_oct": "Longueur en octets",
        "ipv6.opt": "Option", "ipv6.opt|Pad1": "Bourrage Pad1", "ipv6.opt.type": "Type",
        "ipv6.opt.type.action": "Action", "ipv6.opt.type.change": "Modifiable en route",
        "ipv6.opt.type.rest": "Bits de poids faible", "ipv6.opt.length": "Longueur",
        "ipv6.opt.padn": "Bourrage PadN", "ipv6.opt.router_alert": "Alerte routeur (Router Alert)",
        "ipv6.opt.malformed": "Option mal formée", "ipv6.opt.unknown": "Données de l’option inconnue",
        "ipv6.routing": "En-tête de routage", "ipv6.routing.nxt": "En-tête suivant",
        "ipv6.routing.len": "Longueur", "ipv6.routing.type": "Type", "ipv6.routing.segleft": "Segments restants",
        "ipv6.fraghdr": "En-tête de fragmentation", "ipv6.fraghdr.nxt": "En-tête suivant",
        "ipv6.fraghdr.reserved_octet": "Octet réservé", "ipv6.fraghdr.offset": "Position du fragment",
        "ipv6.fraghdr.reserved_bits": "Bits réservés", "ipv6.fraghdr.more": "Autres fragments (M)",
        "ipv6.fraghdr.ident": "Identification",
        // ICMP.
        "icmp": "ICMP (protocole de messages de contrôle d’Internet)", "icmp.type": "Type", "icmp.code": "Code",
        "icmp.checksum": "Somme de contrôle", "icmp.checksum.status": "État de la somme de contrôle",
        "icmp.ident": "Identifiant (gros-boutiste)", "icmp.ident_le": "Identifiant (petit-boutiste)",
        "icmp.seq": "Numéro de séquence (gros-boutiste)", "icmp.seq_le": "Numéro de séquence (petit-boutiste)",
        "icmpv6": "ICMPv6 (messages de contrôle d’Internet pour IPv6)", "icmpv6.type": "Type", "icmpv6.code": "Code",
        "icmpv6.checksum": "Somme de contrôle", "icmpv6.checksum.status": "État de la somme de contrôle",
        "icmpv6.echo.identifier": "Identifiant", "icmpv6.echo.sequence_number": "Numéro de séquence",
        // TCP.
        "tcp": "TCP (protocole de contrôle de transmission)", "tcp.srcport": "Port source", "tcp.dstport": "Port destination",
        "tcp.seq": "Numéro de séquence (relatif)", "tcp.seq_raw": "Numéro de séquence (brut)",
        "tcp.ack": "Numéro d’acquittement (relatif)", "tcp.ack_raw": "Numéro d’acquittement (brut)",
        "tcp.hdr_len": "Longueur d’en-tête", "tcp.flags": "Drapeaux", "tcp.flags.res": "Réservé",
        "tcp.flags.ae": "ECN précis (AE)", "tcp.flags.cwr": "Fenêtre de congestion réduite (CWR)",
        "tcp.flags.ece": "Écho ECN (ECE)", "tcp.flags.urg": "Urgent (URG)", "tcp.flags.ack": "Acquittement (ACK)",
        "tcp.flags.push": "Envoi immédiat (PSH)", "tcp.flags.reset": "Réinitialisation (RST)",
        "tcp.flags.syn": "Synchronisation (SYN)", "tcp.flags.fin": "Fin (FIN)", "tcp.flags.str": "Drapeaux TCP",
        "tcp.window_size_value": "Fenêtre", "tcp.window_size": "Fenêtre calculée",
        "tcp.window_size_scalefactor": "Facteur d’échelle de la fenêtre",
        "tcp.checksum": "Somme de contrôle", "tcp.checksum.status": "État de la somme de contrôle",
        "tcp.checksum_calculated": "Somme de contrôle calculée", "tcp.urgent_pointer": "Pointeur urgent",
        "tcp.options": "Options", "tcp.option_kind": "Type (kind)", "tcp.option_len": "Longueur",
        "tcp.options.eol": "Fin de la liste d’options (EOL)", "tcp.options.nop": "Pas d’opération (NOP)",
        "tcp.options.mss": "Taille maximale de segment (MSS)", "tcp.options.mss_val": "Valeur du MSS",
        "tcp.options.wscale": "Facteur d’échelle de la fenêtre (Window Scale)",
        "tcp.options.wscale.shift": "Décalage", "tcp.options.wscale.multiplier": "Multiplicateur",
        "tcp.options.sack_perm": "SACK autorisé", "tcp.options.sack": "Acquittement sélectif (SACK)",
        "tcp.options.sack_le": "Bord gauche", "tcp.options.sack_re": "Bord droit",
        "tcp.options.timestamp": "Horodatages (Timestamps)", "tcp.options.timestamp.tsval": "Horodatage (TSval)",
        "tcp.options.timestamp.tsecr": "Écho d’horodatage (TSecr)", "tcp.options.malformed": "Option mal formée",
        "tcp.options.unknown": "Option inconnue", "tcp.options.unknown.payload": "Données",
        "tcp.len": "Longueur du segment TCP", "tcp.payload": "Données TCP",
        // UDP.
        "udp": "UDP (protocole de datagrammes utilisateur)", "udp.srcport": "Port source", "udp.dstport": "Port destination",
        "udp.length": "Longueur", "udp.checksum": "Somme de contrôle", "udp.checksum.status": "État de la somme de contrôle",
        "udp.checksum_calculated": "Somme de contrôle calculée", "udp.payload": "Données",
        // Tunnels.
        "vxlan": "VXLAN (réseau local virtuel extensible)", "vxlan.flags": "Drapeaux", "vxlan.flag_g": "Extension GBP",
        "vxlan.flag_i": "Identifiant de réseau VXLAN présent (VNI)", "vxlan.flag_d": "Ne pas apprendre",
        "vxlan.flag_a": "Politique appliquée", "vxlan.flags_reserved": "Réservé",
        "vxlan.gbp": "Identifiant de groupe de politique (GBP)", "vxlan.vni": "Identifiant de réseau VXLAN (VNI)",
        "vxlan.reserved8": "Réservé",
        "geneve": "Geneve (encapsulation générique de virtualisation réseau)", "geneve.version": "Version",
        "geneve.option.length|Options length": "Longueur des options", "geneve.option.length": "Longueur",
        "geneve.flags": "Drapeaux", "geneve.flags.oam": "Trame d’exploitation et de maintenance (OAM)",
        "geneve.flags.critical": "Options critiques présentes", "geneve.flags.reserved": "Réservé",
        "geneve.proto_type": "Type de protocole", "geneve.vni": "Identifiant de réseau virtuel (VNI)",
        "geneve.reserved": "Réservé", "geneve.options": "Options", "geneve.option": "Option",
        "geneve.option.class": "Classe", "geneve.option.type": "Type",
        "geneve.option.flags.reserved": "Drapeaux réservés", "geneve.option.malformed": "Option mal formée",
        "geneve.option.unknown.data": "Données de l’option inconnue",
        // HTTP.
        "http": "HTTP (protocole de transfert hypertexte)", "http.request.method": "Méthode de la requête",
        "http.request.uri": "URI de la requête", "http.request.version": "Version de la requête",
        "http.response.version": "Version de la réponse", "http.response.code": "Code d’état",
        "http.response.phrase": "Message d’état",
    ]
}
