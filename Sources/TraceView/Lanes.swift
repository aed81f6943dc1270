import Facts

/// Names the endpoints of a trace from an attendee's facts: the KinD host's bridge MAC is
/// "hôte/VM", a node's MAC is its node name; anything else keeps its address.
struct LaneNamer: Sendable {
    var facts: Facts?

    /// Human name for a MAC or IP address, if facts know it.
    func name(for address: String) -> String? {
        guard let facts else { return nil }
        let a = address.lowercased()
        if a == facts.host.mac.lowercased() || a == facts.host.ip { return "hôte/VM" }
        if let node = facts.nodes.first(where: { $0.mac.lowercased() == a || $0.ip == a }) { return node.name }
        if let pod = facts.pods.first(where: { $0.ip == a }) { return "Pod \(pod.name)" }
        return nil
    }

    /// The IP facts give for a MAC (the host's bridge address, a node's InternalIP).
    func ip(forMAC mac: String) -> String? {
        guard let facts else { return nil }
        let m = mac.lowercased()
        if m == facts.host.mac.lowercased() { return facts.host.ip }
        return facts.nodes.first(where: { $0.mac.lowercased() == m })?.ip
    }

    /// The MAC facts give for an IP, so an IP can be placed on a MAC lane.
    func mac(forIP ip: String) -> String? {
        guard let facts else { return nil }
        if ip == facts.host.ip { return facts.host.mac.lowercased() }
        return facts.nodes.first(where: { $0.ip == ip })?.mac.lowercased()
    }

    var hostMAC: String? { facts?.host.mac.lowercased() }
}

/// One vertical line of the ladder: an endpoint seen at layer 2 (its MAC) or, for captures
/// without Ethernet, at layer 3 (its IP).
struct Lane: Sendable, Equatable {
    var key: String
    var name: String
    var details: [String]
    var role: String?
}
