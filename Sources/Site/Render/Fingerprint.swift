import Foundation
import Markdown

/// Content hashes for asset file names (`style.1a2b3c4d.css`): a changed file gets a new URL,
/// so hosts can cache assets for ever. FNV-1a 64: fast, stable across runs and machines.
public enum Fingerprint {
    public static func hex8(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        let folded = UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
        let hex = String(folded, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// `style.css` → `style.<hash>.css`; names without an extension get the hash appended.
    public static func name(_ name: String, data: Data) -> String {
        let hash = hex8(data)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name + "." + hash }
        return name[..<dot] + "." + hash + name[dot...]
    }
}
