import Foundation

/// Hands out unique ids on one page: `x`, then `x-1`, `x-2`, as GitHub does.
public struct SlugRegistry: Sendable {
    private var used: Set<String> = []

    public init() {}

    public mutating func unique(for title: String) -> String {
        let base = Slug.make(title)
        var candidate = base
        var n = 0
        while used.contains(candidate) {
            n += 1
            candidate = "\(base)-\(n)"
        }
        used.insert(candidate)
        return candidate
    }
}
