import Foundation

/// What each value of a facts file must look like, by path pattern (`[]` stands for any
/// index). The structure itself (which keys exist, their types) comes from the Codable model;
/// these rules add what a type cannot say.
struct FactsRules {
    enum Rule {
        case ip, ipOrNone, cidr, mac, interface, kubernetesName
        case port, nodePort
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
        ]
    }

    /// Checks every value the table names; returns (location, message) pairs.
    func check(_ root: JSONNode) -> [(SourceLocation, String)] {
        let table = self.table
        var problems: [(SourceLocation, String)] = []
        func walk(_ node: JSONNode, pattern: String, path: String) {
            switch node.kind {
            case .object(let members):
                for m in members {
                    let dot = pattern.isEmpty ? "" : "."
                    walk(m.value, pattern: pattern + dot + m.key, path: path + dot + m.key)
                }
            case .array(let items):
                for (i, item) in items.enumerated() { walk(item, pattern: pattern + "[]", path: path + "[\(i)]") }
            default:
                if let rule = table[pattern], let message = apply(rule, to: node) {
                    problems.append((node.location, "\(path): \(message)"))
                }
            }
        }
        walk(root, pattern: "", path: "")
        return problems
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
            case .nonEmpty: return s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "cannot be empty" : nil
            case .oneOf(let allowed):
                if allowed.contains(s) { return nil }
                let hint = Suggest.closest(to: s, among: allowed).first.map { "did you mean \"\($0)\"? " } ?? ""
                return "\"\(s)\" is not allowed; \(hint)expected one of " + allowed.map { "\"\($0)\"" }.joined(separator: ", ")
            default: return nil
            }
        }
    }
}

extension FactsRules.Rule: Equatable {}
