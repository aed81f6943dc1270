/// "Did you mean …" for unknown names (facts fields, functions, anchors): the closest known
/// names by edit distance.
public enum Suggestion {
    /// Known names within a distance proportional to the name's length, closest first.
    /// - Parameters:
    ///   - name: what the user wrote.
    ///   - known: the names that exist.
    ///   - limit: how many to return at most.
    public static func closest(to name: String, among known: [String], limit: Int = 3) -> [String] {
        let lowered = name.lowercased()
        let budget = max(1, lowered.count / 4)
        // A truncated name (`dir` for `directory`) is a near miss too.
        return Set(known)
            .map { candidate -> (name: String, distance: Int) in
                let d = distance(lowered, candidate.lowercased())
                let truncated = lowered.count >= 2 && candidate.lowercased().hasPrefix(lowered)
                return (candidate, truncated ? min(d, budget) : d)
            }
            .filter { $0.distance <= budget }
            .sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }
            .prefix(limit)
            .map(\.name)
    }

    /// A sentence fragment for an error message: "did you mean `x`?" or the known list.
    /// - Parameters:
    ///   - name: what the user wrote.
    ///   - known: the names that exist.
    public static func hint(for name: String, among known: [String]) -> String {
        let close = closest(to: name, among: known)
        if !close.isEmpty {
            return "did you mean " + close.map { "`\($0)`" }.joined(separator: " or ") + "?"
        }
        return "known: " + known.sorted().map { "`\($0)`" }.joined(separator: ", ")
    }

    /// Edit distance counting insertions, deletions, substitutions and swaps of two
    /// neighbours (optimal string alignment): `nodse` is one typo away from `nodes`.
    /// - Parameters:
    ///   - a: one string.
    ///   - b: the other.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
