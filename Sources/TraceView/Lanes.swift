import Facts

/// Names the endpoints of a trace from the cluster map recorded with the capture: the
/// host's bridge MAC is "hôte/VM", a node's MAC or IP is its node name, the backend pod's IP
/// is "Pod". Never from facts read later: a recorded example keeps its own cluster's names
/// in every attendee's copy.
struct LaneNamer: Sendable {
    var map: Facts.CaptureMap?
    var strings: TraceStrings = .french

    /// Human name for a MAC or IP address, if the map knows it.
    func name(for address: String) -> String? {
        guard let map else { return nil }
        let a = address.lowercased()
        if a == map.host.mac.lowercased() || a == map.host.ip { return strings.host }
        if let node = map.nodes.first(where: { $0.mac.lowercased() == a || $0.ip == a }) { return node.name }
        if let pod = map.pod, pod.ip == a { return "\(strings.pod) \(pod.ip)" }
        return nil
    }

    /// The IP the map gives for a MAC (the host's bridge address, a node's InternalIP).
    func ip(forMAC mac: String) -> String? {
        guard let map else { return nil }
        let m = mac.lowercased()
        if m == map.host.mac.lowercased() { return map.host.ip }
        return map.nodes.first(where: { $0.mac.lowercased() == m })?.ip
    }

    /// The MAC the map gives for an IP, so an IP can be placed on a MAC lane.
    func mac(forIP ip: String) -> String? {
        guard let map else { return nil }
        if ip == map.host.ip { return map.host.mac.lowercased() }
        return map.nodes.first(where: { $0.ip == ip })?.mac.lowercased()
    }

    var hostMAC: String? { map?.host.mac.lowercased() }
}

/// One vertical line of the ladder: an endpoint seen at layer 2 (its MAC) or, for captures
/// without Ethernet, at layer 3 (its IP).
struct Lane: Sendable, Equatable {
    var key: String
    var name: String
    var details: [String]
    var role: String?
    /// True when the cluster map does not know this address (the page says so).
    var unnamed: Bool = false
}
