import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exchanges two directories in one system call, so that at every instant each path names
/// one complete tree: Linux `renameat2(RENAME_EXCHANGE)`, macOS `renamex_np(RENAME_SWAP)`.
/// Swift's Glibc module does not declare `renameat2` (glibc ≥ 2.28 exports it), so it is
/// looked up by name once.
enum DirectorySwap {
    /// Swaps `a` and `b` (both must exist).
    /// - Parameters:
    ///   - a: a directory path.
    ///   - b: another directory path on the same file system.
    /// - Returns: 0, or the `errno` of the failure (nothing was changed then); `ENOSYS` or
    ///   `EINVAL` when the system or the file system cannot exchange.
    static func exchange(_ a: String, _ b: String) -> Int32 {
        #if os(Linux)
        guard let renameat2 = renameat2 else { return ENOSYS }
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0 ? 0 : errno
        #elseif canImport(Darwin)
        return renamex_np(a, b, UInt32(RENAME_SWAP)) == 0 ? 0 : errno
        #else
        return ENOSYS
        #endif
    }

    #if os(Linux)
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    /// `<linux/fs.h>`'s RENAME_EXCHANGE.
    private static let renameExchange: UInt32 = 2
    private static let renameat2: RenameAt2? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()
    #endif
}
