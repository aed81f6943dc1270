import Foundation
import Facts

/// Reads the cluster through the real `kubectl … -o json`, with the attendee's kubeconfig and
/// context. Only the listed fields are kept: nothing from the kubeconfig (tokens,
/// certificates) is ever read by labgen, kubectl alone uses it.
public struct KubeClient: Sendable {
    public var runner: any CommandRunner
    public var kubeconfig: String?
    public var context: String?
    public var timeout: Double

    /// Namespaces whose services and pods are Kubernetes' or KinD's own, not the lab's.
    static let systemNamespaces: Set<String> = ["kube-system", "kube-public", "kube-node-lease", "local-path-storage"]

    public init(runner: any CommandRunner, kubeconfig: String? = nil, context: String? = nil, timeout: Double = 20) {
        self.runner = runner
        self.kubeconfig = kubeconfig
        self.context = context
        self.timeout = timeout
    }

    /// `kubectl` and its connection flags, each value joined to its flag (`--context=NAME`) so
    /// that no value can be read as another flag; a kubeconfig or context that could not be
    /// passed safely (a control character, a leading `-`) is refused.
    func base() throws(CommandError) -> [String] {
        var argv = ["kubectl"]
        if let kubeconfig {
            if let problem = CommandArgument.checkName(kubeconfig, what: "kubeconfig") { throw .refused(problem) }
            argv.append("--kubeconfig=\(kubeconfig)")
        }
        if let context {
            if let problem = CommandArgument.checkName(context, what: "kubectl context") { throw .refused(problem) }
            argv.append("--context=\(context)")
        }
        argv.append("--request-timeout=\(max(1, Int(timeout)))s")
        return argv
    }

    /// Runs kubectl, turning its usual failures into advice.
    func get(_ arguments: [String]) async throws -> CommandResult {
        let result: CommandResult
        do {
            result = try await runner.run(try base() + arguments, timeout: timeout + 5)
        } catch CommandError.notFound(let program, _) where program == "kubectl" {
            throw ProbeError("kubectl is not installed (not found in PATH)",
                             advice: "install kubectl on the probed machine (https://kubernetes.io/docs/tasks/tools/) and retry")
        }
        guard result.succeeded else { throw classify(result) }
        return result
    }

    func classify(_ result: CommandResult) -> ProbeError {
        // kubectl repeats its client-go log lines ("E1125 15:50:58.800317 … memcache.go") before
        // the one sentence meant for people: keep that sentence.
        let lines = result.stderrText.split(whereSeparator: \.isNewline).map(String.init)
        let human = lines.filter { $0.range(of: #"^[IWEF]\d{4} "#, options: .regularExpression) == nil }
        let message = (human.isEmpty ? lines.suffix(1) : human[...]).joined(separator: " ")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = message.lowercased()
        let shown = "`\(result.display)` failed: \(message.isEmpty ? "exit \(result.exitCode)" : message)"
        if lower.contains("context") && (lower.contains("does not exist") || lower.contains("not found")) {
            return ProbeError(shown, advice: "list the contexts with `kubectl config get-contexts` and pass the KinD one with --context (usually kind-kind)")
        }
        if lower.contains("error loading config") || lower.contains("kubeconfig") || lower.contains("no such file")
            || lower.contains("yaml:") || lower.contains("json parse error") || lower.contains("invalid configuration") {
            return ProbeError(shown, advice: "check the kubeconfig given with --kubeconfig (KinD writes it with `kind get kubeconfig > FILE`)")
        }
        if lower.contains("localhost:8080") {
            return ProbeError(shown, advice: "no cluster is configured: create it (`kind create cluster --config …`) or pass --kubeconfig/--context")
        }
        if lower.contains("connection") || lower.contains("unable to connect") || lower.contains("timeout")
            || lower.contains("no route") || lower.contains("refused") {
            return ProbeError(shown, advice: "the Kubernetes API does not answer: is the KinD cluster running (`docker ps`, `kind get clusters`)?")
        }
        if lower.contains("unauthorized") || lower.contains("forbidden") {
            return ProbeError(shown, advice: "the kubeconfig's credentials are refused: regenerate it with `kind get kubeconfig`")
        }
        if lower.contains("notfound") || lower.contains("not found") {
            return ProbeError(shown, advice: "the object is missing: is Cilium installed (`cilium status`, `helm list -n kube-system`)?")
        }
        return ProbeError(shown, advice: "run the command by hand to see what is wrong")
    }

    public struct Snapshot: Sendable {
        public var cluster: Sourced<Facts.Cluster>
        public var nodes: [Sourced<KubeNodeFacts>]
        public var services: Sourced<[Facts.Service]>
        public var pods: Sourced<[Facts.Pod]>
        public var cilium: Sourced<Facts.Cilium>
        public var ciliumVersion: Sourced<String>
    }

    /// A node as Kubernetes knows it (its MAC and veth come from the host).
    public struct KubeNodeFacts: Sendable, Equatable {
        public var name: String
        public var role: Facts.Role
        public var ip: String
        public var podCIDR: String
        public var cluster: String?
    }

    public func snapshot() async throws -> Snapshot {
        // Nodes first: the cheapest call that proves the API answers with these credentials.
        let nodesResult = try await get(["get", "nodes", "-o", "json"])
        let nodes = try Self.nodes(from: nodesResult.decode(KubeList<KubeNode>.self))
        guard !nodes.isEmpty else {
            throw ProbeError("the cluster has no nodes", advice: "wait for `kind create cluster` to finish, then retry")
        }
        let versionResult = try await get(["version", "-o", "json"])
        let version = try versionResult.decode(KubeVersion.self).serverVersion?.gitVersion ?? ""
        let clusterName = nodes.compactMap(\.cluster).first ?? context.map(Self.clusterName(fromContext:)) ?? "kind"
        let servicesResult = try await get(["get", "services", "--all-namespaces", "-o", "json"])
        let podsResult = try await get(["get", "pods", "--all-namespaces", "-o", "json"])
        let kubePods = try podsResult.decode(KubeList<KubePod>.self).items
        let services = try Self.services(from: servicesResult.decode(KubeList<KubeService>.self).items, pods: kubePods)
        let configResult = try await get(["--namespace", "kube-system", "get", "configmap", "cilium-config", "-o", "json"])
        let config = try configResult.decode(KubeConfigMap.self)
        let daemonResult = try await get(["--namespace", "kube-system", "get", "daemonset", "cilium", "-o", "json"])
        let daemonSet = try daemonResult.decode(KubeDaemonSet.self)
        guard let ciliumVersion = Self.ciliumVersion(from: daemonSet) else {
            throw ProbeError("the cilium DaemonSet's image has no version tag",
                             advice: "check `kubectl -n kube-system get ds cilium -o jsonpath='{..image}'`")
        }
        return Snapshot(
            cluster: Sourced(Facts.Cluster(name: clusterName, kubernetesVersion: version), from: versionResult),
            nodes: nodes.map { Sourced($0, from: nodesResult) },
            services: Sourced(services, from: servicesResult),
            pods: Sourced(Self.pods(from: kubePods), from: podsResult),
            cilium: Sourced(Self.cilium(from: config.data ?? [:], version: ciliumVersion), from: configResult),
            ciliumVersion: Sourced(ciliumVersion, from: daemonResult))
    }

    static func nodes(from list: KubeList<KubeNode>) throws -> [KubeNodeFacts] {
        try list.items.map { node in
            let labels = node.metadata.labels ?? [:]
            let isControlPlane = labels["node-role.kubernetes.io/control-plane"] != nil
                || labels["node-role.kubernetes.io/master"] != nil
            let internalIPs = (node.status?.addresses ?? []).filter { $0.type == "InternalIP" }.map(\.address)
            guard let ip = internalIPs.first(where: { $0.contains(".") }) ?? internalIPs.first else {
                throw ProbeError("node \(node.metadata.name) has no InternalIP",
                                 advice: "check `kubectl get node \(node.metadata.name) -o wide`")
            }
            let cidrs = (node.spec?.podCIDRs ?? []) + [node.spec?.podCIDR].compactMap { $0 }
            let cidr = cidrs.first(where: { $0.contains(".") }) ?? cidrs.first ?? ""
            return KubeNodeFacts(name: node.metadata.name, role: isControlPlane ? .controlPlane : .worker,
                                 ip: ip, podCIDR: cidr, cluster: node.spec?.providerID.flatMap(clusterName(fromProviderID:)))
        }.sorted { $0.name < $1.name }
    }

    /// `kind://docker/<cluster>/<node>` → `<cluster>`.
    static func clusterName(fromProviderID id: String) -> String? {
        guard id.hasPrefix("kind://") else { return nil }
        let parts = id.dropFirst("kind://".count).split(separator: "/")
        return parts.count >= 3 ? String(parts[1]) : nil
    }

    static func clusterName(fromContext context: String) -> String {
        context.hasPrefix("kind-") ? String(context.dropFirst(5)) : context
    }

    static func services(from items: [KubeService], pods: [KubePod]) -> [Facts.Service] {
        items.filter { !systemNamespaces.contains($0.metadata.namespace ?? "") }.map { service in
            let namespace = service.metadata.namespace ?? "default"
            let selector = service.spec.selector ?? [:]
            let backends = pods.filter { pod in
                pod.metadata.namespace == namespace && !selector.isEmpty
                    && selector.allSatisfy { pod.metadata.labels?[$0.key] == $0.value }
            }
            let ports = (service.spec.ports ?? []).map { port -> Facts.Port in
                let target: Int
                switch port.targetPort {
                case .int(let value): target = value
                case .string(let name):
                    target = backends.lazy.flatMap { $0.spec?.containers ?? [] }.flatMap { $0.ports ?? [] }
                        .first { $0.name == name }?.containerPort ?? port.port
                case nil: target = port.port
                }
                return Facts.Port(name: port.name, port: port.port, targetPort: target,
                                  nodePort: port.nodePort, protocol: port.protocol ?? "TCP")
            }
            return Facts.Service(namespace: namespace, name: service.metadata.name,
                                 type: service.spec.type ?? "ClusterIP",
                                 clusterIP: service.spec.clusterIP ?? "", ports: ports)
        }.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    }

    static func pods(from items: [KubePod]) -> [Facts.Pod] {
        items.compactMap { pod -> Facts.Pod? in
            let namespace = pod.metadata.namespace ?? "default"
            guard !systemNamespaces.contains(namespace), let ip = pod.status?.podIP,
                  let node = pod.spec?.nodeName else { return nil }
            return Facts.Pod(namespace: namespace, name: pod.metadata.name, ip: ip, node: node,
                             labels: pod.metadata.labels ?? [:])
        }.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    }

    /// Reads the datapath settings the lab depends on from `cilium-config`, with Cilium's own
    /// defaults for absent keys (no `bpf-lb-mode` means SNAT; 1.12 has `tunnel`, 1.14+
    /// `routing-mode`).
    static func cilium(from data: [String: String], version: String) -> Facts.Cilium {
        let routingMode: String
        let tunnel: String
        if let mode = data["routing-mode"] {
            routingMode = mode
            tunnel = mode == "native" ? "disabled" : (data["tunnel-protocol"] ?? "vxlan")
        } else {
            tunnel = data["tunnel"] ?? "vxlan"
            routingMode = tunnel == "disabled" ? "native" : "tunnel"
        }
        return Facts.Cilium(version: version,
                            kubeProxyReplacement: data["kube-proxy-replacement"] ?? "disabled",
                            loadBalancerMode: data["bpf-lb-mode"] ?? "snat",
                            routingMode: routingMode, tunnel: tunnel)
    }

    /// `quay.io/cilium/cilium:v1.12.2@sha256:…` → `1.12.2`.
    static func ciliumVersion(from daemonSet: KubeDaemonSet) -> String? {
        let containers = daemonSet.spec.template.spec.containers
        guard let image = (containers.first { $0.name == "cilium-agent" } ?? containers.first)?.image else { return nil }
        let withoutDigest = image.split(separator: "@").first.map(String.init) ?? image
        guard let colon = withoutDigest.lastIndex(of: ":"),
              !withoutDigest[colon...].contains("/") else { return nil }
        let tag = withoutDigest[withoutDigest.index(after: colon)...]
        return tag.hasPrefix("v") ? String(tag.dropFirst()) : String(tag)
    }
}
