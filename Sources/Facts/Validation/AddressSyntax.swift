/// Syntax checks for the network values a facts file holds. Written out rather than using
/// inet_pton so they behave the same on every platform and explain what is wrong.
enum AddressSyntax {
    /// Dotted-quad IPv4, four decimal octets 0–255 without leading zeros (which some tools
    /// read as octal: `010` would silently become 8).
    static func ipv4Octets(_ s: Substring) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy({ $0.isASCII && $0.isNumber }),
                  !(p.count > 1 && p.first == "0"), let v = UInt8(p) else { return nil }
            octets.append(v)
        }
        return octets
    }

    /// RFC 4291 text form: up to eight 16-bit groups, one `::`, optional trailing IPv4.
    static func ipv6Bytes(_ s: Substring) -> [UInt8]? {
        guard s.contains(":") else { return nil }
        let halves = s.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowV4: Bool) -> [UInt8]? {
            if part.isEmpty { return [] }
            var out: [UInt8] = []
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            for (i, f) in fields.enumerated() {
                if allowV4, i == fields.count - 1, f.contains(".") {
                    guard let v4 = ipv4Octets(f) else { return nil }
                    out += v4
                    continue
                }
                guard (1...4).contains(f.count), let v = UInt16(f, radix: 16) else { return nil }
                out += [UInt8(v >> 8), UInt8(v & 0xFF)]
            }
            return out
        }
        if halves.count == 1 {
            guard let all = groups(halves[0], allowV4: true), all.count == 16 else { return nil }
            return all
        }
        guard let head = groups(halves[0], allowV4: false),
              let tail = groups(halves[1], allowV4: true), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    static func ipBytes(_ s: Substring) -> [UInt8]? { ipv4Octets(s) ?? ipv6Bytes(s) }

    /// `nil` when valid, else why not.
    static func checkIP(_ s: String) -> String? {
        ipBytes(s[...]) == nil ? "\"\(s)\" is not an IPv4 or IPv6 address" : nil
    }

    /// A network in CIDR form whose host bits are zero (what Kubernetes writes for podCIDR).
    static func checkCIDR(_ s: String) -> String? {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bytes = ipBytes(parts[0]) else {
            return "\"\(s)\" is not a CIDR (address/prefix, e.g. 10.244.1.0/24)"
        }
        let bits = bytes.count * 8
        guard parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), !parts[1].isEmpty,
              let prefix = Int(parts[1]), prefix <= bits else {
            return "\"\(s)\": the prefix length must be 0–\(bits)"
        }
        var network = bytes
        for i in 0..<network.count {
            let keep = max(0, min(8, prefix - i * 8))
            network[i] &= keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
        }
        if network != bytes {
            let text = bytes.count == 4 ? network.map(String.init).joined(separator: ".") : nil
            return "\"\(s)\" has host bits set" + (text.map { "; did you mean \($0)/\(prefix)?" } ?? "")
        }
        return nil
    }

    /// Six colon-separated hex pairs, the form `ip` and `bridge` print.
    static func checkMAC(_ s: String) -> String? {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        let ok = parts.count == 6 && parts.allSatisfy { $0.count == 2 && UInt8($0, radix: 16) != nil }
        return ok ? nil : "\"\(s)\" is not a MAC address (six hex pairs separated by `:`, e.g. 02:42:ac:12:00:02)"
    }

    /// Linux's dev_valid_name: 1–15 bytes (IFNAMSIZ 16 with the NUL), not `.`/`..`, no `/`,
    /// `:` or whitespace.
    static func checkInterface(_ s: String) -> String? {
        if s.isEmpty { return "an interface name cannot be empty" }
        if s.utf8.count > 15 { return "interface name \"\(s)\" is \(s.utf8.count) bytes long; Linux allows at most 15" }
        if s == "." || s == ".." { return "\"\(s)\" is not a valid interface name" }
        if let bad = s.unicodeScalars.first(where: { $0 == "/" || $0 == ":" || $0.properties.isWhitespace || $0.value < 0x20 }) {
            let shown = bad.properties.isWhitespace || bad.value < 0x20 ? "whitespace" : "`\(bad)`"
            return "interface name \"\(s)\" contains \(shown), which Linux refuses"
        }
        return nil
    }

    /// A DNS-1123 subdomain: what Kubernetes requires of node, pod, service and namespace names.
    static func checkKubernetesName(_ s: String) -> String? {
        let label = #/[a-z0-9]([-a-z0-9]*[a-z0-9])?/#
        let ok = !s.isEmpty && s.utf8.count <= 253
            && s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { $0.wholeMatch(of: label) != nil }
        return ok ? nil : "\"\(s)\" is not a valid Kubernetes name (lower-case letters, digits, `-` and `.`, at most 253)"
    }
}
