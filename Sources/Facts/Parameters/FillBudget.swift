import LabgenCore

/// How much work filling one page's parameters may do. Loops multiply: ten nested
/// `${{ for }}` over 4 nodes repeat their body a million times (37 s before this limit), so a
/// page gets a number of loop iterations and of filled bytes, shared by all its templates,
/// and filling stops with an error at the loop that goes over. Real labs use a few hundred
/// iterations and a few kilobytes.
public struct FillBudget: Sendable {
    /// Loop body repetitions a page may make, all loops counted.
    public static let maxIterations = 10_000
    /// Bytes of text and values a page's fill may produce.
    public static let maxBytes = 8 << 20

    public private(set) var iterations = 0
    public private(set) var bytes = 0

    public init() {}

    /// Counts one loop iteration; false once the page has made `maxIterations`.
    mutating func spendIteration() -> Bool {
        iterations += 1
        return iterations <= Self.maxIterations
    }

    /// Counts `count` bytes of output; false once the page has produced `maxBytes`.
    mutating func spend(bytes count: Int) -> Bool {
        bytes += count
        return bytes <= Self.maxBytes
    }

    /// The error for the loop that went over, at `location`.
    static func exceeded(file: String, at location: SourcePosition) -> Diagnostic {
        Diagnostic(file: file, location, "loops expand to more than \(maxIterations) repetitions or "
            + "\(maxBytes >> 20) MiB of text in this page: nest fewer loops, or compute the list in the facts")
    }
}
