import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What is on disk that the rebuild plan compares with its record: the output's files and
/// sizes (is each output still there, whole?), and the digest of a folder (the templates).
enum OutputListing {
    /// The regular files below `root` (relative paths) and their sizes, symlinks followed as
    /// `stat` does. One walk answers "is this output still there, whole?" for every file of
    /// the site and lists the strays, instead of a `stat` by full path per output and a
    /// second walk. Each entry is looked up from its own folder (`fstatat`), not resolved
    /// again from the root.
    static func regularFiles(under root: String) -> [String: Int] {
        var found: [String: Int] = [:]
        func walk(_ relative: String, _ fd: Int32) {
            guard let dir = fdopendir(fd) else { close(fd); return }
            defer { closedir(dir) }
            let folder = dirfd(dir)
            while let entry = readdir(dir) {
                let name = ContentRoot.name(of: entry)
                if name == "." || name == ".." { continue }
                let child = relative.isEmpty ? name : relative + "/" + name
                let type = entry.pointee.d_type
                var info = stat()
                if type == UInt8(DT_DIR) {
                    let sub = openat(folder, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
                    if sub >= 0 { walk(child, sub) }
                    continue
                }
                // A link counts as the file it names; a linked folder is never entered (what
                // is under it is not the site's to delete).
                let flags = type == UInt8(DT_UNKNOWN) ? AT_SYMLINK_NOFOLLOW : 0
                guard fstatat(folder, name, &info, flags) == 0 else { continue }
                let mode = info.st_mode & S_IFMT
                if mode == S_IFREG {
                    found[child] = Int(info.st_size)
                } else if mode == S_IFDIR && type == UInt8(DT_UNKNOWN) {
                    let sub = openat(folder, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
                    if sub >= 0 { walk(child, sub) }
                }
            }
        }
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { walk("", fd) }
        return found
    }

    /// Every file under `directory` (names and bytes, sorted by path).
    static func digestOfTree(_ directory: URL) throws -> Digest {
        let fm = FileManager.default
        let root = directory.standardizedFileURL.resolvingSymlinksInPath()
        var parts: [Digest] = []
        let paths = (fm.subpaths(atPath: root.path) ?? []).sorted()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            parts.append(Digest(path))
            parts.append(Digest(try Data(contentsOf: root.appendingPathComponent(path))))
        }
        return Digest.combining(parts)
    }
}
