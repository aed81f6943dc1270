import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `stat` says of a page file: when size, modification time (ns) and inode are those
/// recorded, the file is taken as unchanged without reading it. A stamp taken within
/// `racyWindow` of a build's start is not trusted (a write in the same clock tick leaves
/// the time as it was): such a file is read and hashed next time.
struct FileStamp: Sendable, Hashable {
    var size: Int
    var modified: Int
    var inode: UInt64
    var trusted: Bool

    static let none = FileStamp(size: -1, modified: 0, inode: 0, trusted: false)
    static let racyWindow = 2_000_000_000

    init(size: Int, modified: Int, inode: UInt64, trusted: Bool) {
        self.size = size
        self.modified = modified
        self.inode = inode
        self.trusted = trusted
    }

    /// `name` looked up from the folder open as `folder` (nothing resolved again above it).
    init?(at folder: Int32, _ name: String, before start: Int) {
        var info = stat()
        guard fstatat(folder, name, &info, 0) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        size = Int(info.st_size)
        modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
        inode = UInt64(info.st_ino)
        trusted = modified + Self.racyWindow < start
    }

    /// The stamps of `paths` (relative to `root`), on both cores, each looked up from its
    /// own folder, not by full path (which resolves the same folders once per page).
    static func stamps(of paths: [String], under root: String, before start: Int) -> [FileStamp?] {
        var folders: [Substring: Int32] = [:]
        let split = paths.map { path -> (Int32, String) in
            let slash = path.lastIndex(of: "/")
            let folder = slash.map { path[..<$0] } ?? ""
            let fd = folders[folder] ?? {
                let fd = open(folder.isEmpty ? root : root + "/" + folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                folders[folder] = fd
                return fd
            }()
            return (fd, slash.map { String(path[path.index(after: $0)...]) } ?? path)
        }
        defer { for fd in folders.values where fd >= 0 { close(fd) } }
        return concurrentMap(split) { fd, name in fd < 0 ? nil : FileStamp(at: fd, name, before: start) }
    }

    /// Wall-clock nanoseconds, the clock file times come from.
    static func now() -> Int {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int(t.tv_sec) * 1_000_000_000 + Int(t.tv_nsec)
    }
}
