import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension String {
    /// Whether `needle`'s UTF-8 occurs in this string's UTF-8 (Foundation's `contains` goes
    /// through NSString, on every page of every rebuild).
    func containsBytes(_ needle: String) -> Bool {
        var needle = needle
        var copy = self
        return needle.withUTF8 { n in
            copy.withUTF8 { h in
                guard n.count > 0 else { return true }
                guard h.count >= n.count else { return false }
                // memchr for the first byte (vectorised), then compare; memmem is not exported.
                var start = h.baseAddress!
                let end = h.baseAddress! + h.count
                while end - start >= n.count,
                      let hit = memchr(start, Int32(n[0]), end - start - n.count + 1) {
                    let p = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(p, n.baseAddress!, n.count) == 0 { return true }
                    start = p + 1
                }
                return false
            }
        }
    }
}
