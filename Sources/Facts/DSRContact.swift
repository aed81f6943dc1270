/// Where a client must send its request for Cilium's DSR to show: a node that does not run
/// the backend pod. A request to the pod's own node is answered by that node, so nothing is
/// forwarded and no option is added; the lab's "Node tiers" must be another node.
extension Facts {
    /// The node a DSR demonstration contacts: the first worker (in facts order) other than
    /// `podNode`, else the first other node of any role; nil when the cluster has no other node.
    /// - Parameters:
    ///   - podNode: name of the node running the backend pod.
    public func contactNode(avoiding podNode: String) -> Node? {
        nodes.first { $0.role == .worker && $0.name != podNode } ?? nodes.first { $0.name != podNode }
    }

    /// Why `contactNode(avoiding:)` found nothing, in words a trainer can act on.
    /// - Parameters:
    ///   - podNode: name of the node running the backend pod.
    public func noContactNodeReason(avoiding podNode: String) -> String {
        "DSR cannot be shown on this cluster: its only node (\(podNode)) runs the pod, and Cilium adds the DSR option "
            + "only when a request reaches a node that forwards it to another node; add a worker (\(nodes.count) node\(nodes.count == 1 ? "" : "s") in the facts)"
    }
}
