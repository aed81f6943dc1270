import LabgenCore
import Foundation
import Markdown

struct CacheWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    // Words written byte by byte: appending a raw buffer goes through the generic sequence
    // path.
    mutating func int(_ v: Int) { word(UInt64(bitPattern: Int64(v))) }
    mutating func word(_ v: UInt64) {
        var x = v
        for _ in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: x)); x >>= 8 }
    }
    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    mutating func string(_ s: String) { int(s.utf8.count); bytes += s.utf8 }
    mutating func digest(_ d: Digest) { word(d.high); word(d.low) }
    mutating func position(_ p: SourcePosition?) { int(p?.line ?? -1); int(p?.column ?? -1) }
}
