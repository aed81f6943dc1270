import Dispatch
import Synchronization

/// Maps in parallel on the cooperative pool (both cores) and returns results in input order,
/// so output never depends on scheduling.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) -> R) async -> [R] {
    // One item (a one-page rebuild): done here, not handed to another thread and waited for.
    if items.count <= 1 { return items.map(body) }
    return await withTaskGroup(of: (Int, R).self) { group in
        for (i, item) in items.enumerated() {
            group.addTask { (i, body(item)) }
        }
        var results = [R?](repeating: nil, count: items.count)
        for await (i, r) in group { results[i] = r }
        return results.map { $0! }
    }
}

/// `part` run on the two halves of `0..<count` at once (one call when `count < minimum`),
/// results in order. For short, CPU- or syscall-bound loops of a rebuild (stats, the link
/// check, the build cache), where a task per item would cost more than the item.
func onBothCores<R: Sendable>(_ count: Int, minimum: Int = 0, _ part: @Sendable (Range<Int>) -> R) -> [R] {
    guard count >= minimum else { return [part(0..<count)] }
    let halves = [0..<(count / 2), (count / 2)..<count]
    let results = Mutex<[R?]>([nil, nil])
    DispatchQueue.concurrentPerform(iterations: 2) { k in
        let result = part(halves[k])
        results.withLock { $0[k] = result }
    }
    return results.withLock { $0.map { $0! } }
}

/// `transform` over `items` on both cores, in order (see `onBothCores`).
func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    Array(onBothCores(items.count, minimum: 256) { range in items[range].map(transform) }.joined())
}
