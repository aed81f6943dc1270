import LabgenCore
import Foundation

/// What each value of a facts file must look like, by path pattern (`[]` stands for any
/// index, `*` for any key of a map such as `captures`). The structure itself (which keys exist, their types) comes from the Codable model;
/// these rules add what a type cannot say.
struct FactsRules {
    enum Rule {
        case ip, ipOrNone, cidr, mac, interface, kubernetesName
        case port, nodePort
        /// A path below the facts file's folder: relative, no `..`, no empty component.
        case relativePath
        /// ISO-8601 UTC, as `2026-12-05T04:00:00Z`.
        case timestamp
        case oneOf([String])
        case nonEmpty
    }

    var nodePortRange: ClosedRange<Int>

    var table: [String: Rule] {
        [
            "cluster.name": .nonEmpty,
            "host.bridge": .interface, "host.ip": .ip, "host.mac": .mac,
            "nodes[].name": .kubernetesName, "nodes[].role": .oneOf(["control-plane", "worker"]),
            "nodes[].ip": .ip, "nodes[].mac": .mac, "nodes[].veth": .interface, "nodes[].podCIDR": .cidr,
            "services[].namespace": .kubernetesName, "services[].name": .kubernetesName,
            "services[].type": .oneOf(["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]),
            "services[].clusterIP": .ipOrNone,
            "services[].ports[].port": .port, "services[].ports[].targetPort": .port,
            "services[].ports[].nodePort": .nodePort,
            "services[].ports[].protocol": .oneOf(["TCP", "UDP", "SCTP"]),
            "pods[].namespace": .kubernetesName, "pods[].name": .kubernetesName,
            "pods[].ip": .ip, "pods[].node": .kubernetesName,
            "cilium.version": .nonEmpty,
            "cilium.loadBalancerMode": .oneOf(["dsr", "snat", "hybrid"]),
            "cilium.routingMode": .oneOf(["native", "tunnel"]),
            "cilium.tunnel": .oneOf(["disabled", "vxlan", "geneve"]),
            "lab.directory": .nonEmpty,
            "captures.*.file": .relativePath, "captures.*.takenAt": .timestamp, "captures.*.command": .nonEmpty,
            "captures.*.map.host.bridge": .interface, "captures.*.map.host.ip": .ip, "captures.*.map.host.mac": .mac,
            "captures.*.map.nodes[].name": .kubernetesName, "captures.*.map.nodes[].ip": .ip,
            "captures.*.map.nodes[].mac": .mac, "captures.*.map.nodes[].veth": .interface,
            "captures.*.map.nodes[].role": .oneOf(["control-plane", "worker"]),
            "captures.*.map.contacted": .kubernetesName, "captures.*.map.backend": .kubernetesName,
            "captures.*.map.veth": .interface,
            "captures.*.map.service.ip": .ip, "captures.*.map.service.port": .port,
            "captures.*.map.pod.ip": .ip, "captures.*.map.pod.port": .port,
        ]
    }

    /// Objects whose keys are names chosen by the writer (the pattern says `*` for them).
    static let maps: Set<String> = ["captures"]

    /// Checks every value the table names; returns (location, message) pairs.
    func check(_ root: JSONNode) -> [(SourcePosition, String)] {
        let table = self.table
        var problems: [(SourcePosition, String)] = []
        func walk(_ node: JSONNode, pattern: String, path: String) {
            switch node.kind {
            case .object(let members):
                for m in members {
                    let dot = pattern.isEmpty ? "" : "."
                    let key = Self.maps.contains(pattern) ? "*" : m.key
                    walk(m.value, pattern: pattern + dot + key, path: path + dot + m.key)
                }
            case .array(let items):
                for (i, item) in items.enumerated() { walk(item, pattern: pattern + "[]", path: path + "[\(i)]") }
            default:
                if let rule = table[pattern], let message = apply(rule, to: node) {
                    problems.append((node.location, "\(path): \(message)"))
                } else if Self.readableByPages(pattern), let s = node.stringValue, let message = ShellWord.check(s) {
                    problems.append((node.location, "\(path): \(message)"))
                }
            }
        }
        walk(root, pattern: "", path: "")
        return problems
    }

    /// Every string a page or a download can read is held to `ShellWord`; the schema, the
    /// provenance (commands and dates, shown in a tooltip, escaped), comments and a capture's
    /// tcpdump command line (for humans, never filled into a page) are not.
    static func readableByPages(_ pattern: String) -> Bool {
        !(pattern == "schema" || pattern.hasPrefix("provenance") || pattern.hasPrefix("comment")
          || pattern == "captures.*.command")
    }

    private func apply(_ rule: Rule, to node: JSONNode) -> String? {
        switch rule {
        case .port, .nodePort:
            guard case .number(let text) = node.kind else { return nil }   // the decoder reports types
            let range = rule == .port ? 1...65535 : nodePortRange
            guard let v = Int(text), range.contains(v) else {
                let what = rule == .port ? "a port" : "a NodePort"
                return "\(text) is out of range for \(what) (\(range.lowerBound)–\(range.upperBound))"
            }
            return nil
        default:
            guard let s = node.stringValue else { return nil }
            switch rule {
            case .ip: return AddressSyntax.checkIP(s)
            case .ipOrNone: return s == "None" ? nil : AddressSyntax.checkIP(s)
            case .cidr: return AddressSyntax.checkCIDR(s)
            case .mac: return AddressSyntax.checkMAC(s)
            case .interface: return AddressSyntax.checkInterface(s)
            case .kubernetesName: return AddressSyntax.checkKubernetesName(s)
            case .relativePath: return Self.checkRelativePath(s)
            case .timestamp: return Self.checkTimestamp(s)
            case .nonEmpty: return s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "cannot be empty" : nil
            case .oneOf(let allowed):
                if allowed.contains(s) { return nil }
                let hint = Suggestion.closest(to: s, among: allowed).first.map { "did you mean \"\($0)\"? " } ?? ""
                return "\"\(s)\" is not allowed; \(hint)expected one of " + allowed.map { "\"\($0)\"" }.joined(separator: ", ")
            default: return nil
            }
        }
    }
}

extension FactsRules {
    static func checkRelativePath(_ s: String) -> String? {
        if s.isEmpty { return "a file path cannot be empty" }
        if s.hasPrefix("/") || s.hasPrefix("~") {
            return "\"\(s)\" must be relative to the facts file's folder (e.g. captures/dsr.pcap)"
        }
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0 == ".." }) {
            return "\"\(s)\" leaves the facts file's folder (`..`); keep captures beside or below it"
        }
        if parts.contains(where: { $0.isEmpty || $0 == "." }) || s.contains("\\")
            || s.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            return "\"\(s)\" is not a plain relative path (empty or `.` component, backslash or control character)"
        }
        return nil
    }

    static func checkTimestamp(_ s: String) -> String? {
        let shape = #/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z/#
        return s.wholeMatch(of: shape) == nil ? "\"\(s)\" is not an ISO-8601 UTC time (e.g. 2026-12-05T04:00:00Z)" : nil
    }
}

extension FactsRules.Rule: Equatable {}
