/// The fields of iproute2's JSON output (`ip -j`, `bridge -j`) that locate the KinD bridge,
/// its nodes' MACs and their veths.
struct IPAddrEntry: Decodable {
    struct AddrInfo: Decodable {
        var family: String?
        var local: String?
        var prefixlen: Int?
    }
    var ifindex: Int
    var ifname: String
    var address: String?
    var addr_info: [AddrInfo]?
}

struct IPLinkEntry: Decodable {
    var ifindex: Int
    var ifname: String
    var address: String?
    var master: String?
    var link_index: Int?
}

struct IPNeighEntry: Decodable {
    var dst: String
    var dev: String?
    var lladdr: String?
    var state: [String]?
}

struct BridgeLinkEntry: Decodable {
    var ifindex: Int
    var ifname: String
    var master: String?
    var state: String?
}

struct BridgeFDBEntry: Decodable {
    var mac: String
    var ifname: String?
    var master: String?
    var state: String?
    var flags: [String]?
}

/// IPv4 arithmetic for "is this node on that bridge's subnet".
enum IPv4 {
    static func parse(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let byte = UInt8(part) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    static func contains(network: String, prefix: Int, address: String) -> Bool {
        guard let net = parse(network), let host = parse(address), (0...32).contains(prefix) else { return false }
        let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix)
        return net & mask == host & mask
    }
}
