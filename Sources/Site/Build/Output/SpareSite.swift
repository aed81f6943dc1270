import LabgenCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The previous site, kept beside the output after a commit (`.<name>.spare`) and recycled
/// as the next build's staging folder, so that a build touches only the files that changed
/// instead of hard-linking every unchanged file into an empty folder and deleting the whole
/// previous tree (two system calls per file of the site).
///
/// The spare is never the output: whatever state a killed build left it in, the output is
/// untouched, and the next build makes the spare equal to the new site whatever it holds.
/// Its files may be hard links to the output's own files, so nothing writes into one of them
/// in place: a file is replaced by unlinking its name first (`OutputTransaction.write`).
enum SpareSite {
    /// `.<name>.spare` beside `output`.
    /// - Parameters:
    ///   - output: the site folder.
    static func path(of output: URL) -> String {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).spare").path
    }

    /// Whether `path` is a folder itself (not a link to one).
    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Whether anything (a link included) is at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Removes, below `root`, every entry that is neither a plain file nor a folder (a
    /// symbolic link is removed, never followed), so that the build can create folders and
    /// files in it as in an empty one.
    /// - Parameters:
    ///   - root: the recycled staging folder.
    static func sanitize(_ root: String) {
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        sanitize(fd)
    }

    private static func sanitize(_ fd: Int32) {
        let entries = list(fd)
        defer { close(fd) }
        for entry in entries {
            switch kind(entry, in: fd) {
            case .folder:
                let sub = openat(fd, entry.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if sub >= 0 { sanitize(sub) }
            case .file: continue
            case .other: _ = unlinkat(fd, entry.name, 0)
            }
        }
    }

    /// Makes the staging folder the new site: removes what the new site does not hold,
    /// keeps the carried files that are already the output's own (same inode), and returns
    /// the carried paths still to be linked from the output.
    /// - Parameters:
    ///   - staging: the staging folder, holding this build's `written` files and whatever
    ///     the spare held.
    ///   - output: the current site, where `carried` files come from.
    ///   - written: the paths this build wrote into the staging folder.
    ///   - carried: the paths carried over unchanged from the output (none in `written`).
    static func reconcile(staging: String, output: String, written: Set<String>, carried: [String]) -> [String] {
        var wanted: [String: (written: Set<String>, carried: [String])] = [:]
        var folders: Set<String> = [""]
        for path in written {
            let (folder, name) = split(path)
            wanted[folder, default: ([], [])].written.insert(name)
            addFolder(folder, to: &folders)
        }
        for path in carried {
            let (folder, name) = split(path)
            wanted[folder, default: ([], [])].carried.append(name)
            addFolder(folder, to: &folders)
        }
        var toLink: [String] = []
        var visited: Set<String> = []
        let fd = open(staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return carried }
        reconcile(fd, folder: "", output: output, wanted: wanted, folders: folders, visited: &visited, toLink: &toLink)
        // Folders the staging folder does not hold yet: all their carried files.
        for (folder, names) in wanted where !visited.contains(folder) {
            toLink += names.carried.map { folder.isEmpty ? $0 : folder + "/" + $0 }
        }
        return toLink
    }

    private static func reconcile(_ fd: Int32, folder: String, output: String,
                                  wanted: [String: (written: Set<String>, carried: [String])],
                                  folders: Set<String>, visited: inout Set<String>, toLink: inout [String]) {
        defer { close(fd) }
        visited.insert(folder)
        let here = wanted[folder] ?? ([], [])
        let prefix = folder.isEmpty ? "" : folder + "/"
        // The output's inode of each carried name: a staged entry with the same one is
        // already that file.
        var current: [String: UInt64] = [:]
        if !here.carried.isEmpty {
            let source = open(output + (folder.isEmpty ? "" : "/" + folder), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if source >= 0 {
                for entry in list(source) where entry.type != UInt8(DT_DIR) { current[entry.name] = entry.inode }
                close(source)
            }
        }
        let carried = Set(here.carried)
        var present: Set<String> = []
        for entry in list(fd) {
            switch kind(entry, in: fd) {
            case .folder:
                let sub = prefix + entry.name
                if folders.contains(sub) {
                    let child = openat(fd, entry.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    if child >= 0 {
                        reconcile(child, folder: sub, output: output, wanted: wanted, folders: folders, visited: &visited, toLink: &toLink)
                        continue
                    }
                }
                removeTree(in: fd, entry.name)
            case .file, .other:
                if here.written.contains(entry.name) { continue }
                if carried.contains(entry.name), let inode = current[entry.name], inode == entry.inode {
                    present.insert(entry.name)
                    continue
                }
                _ = unlinkat(fd, entry.name, 0)
            }
        }
        for name in here.carried where !present.contains(name) { toLink.append(prefix + name) }
    }

    private static func removeTree(in fd: Int32, _ name: String) {
        let sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if sub >= 0 {
            OutputTransaction.empty(sub)
            _ = unlinkat(fd, name, AT_REMOVEDIR)
        } else {
            _ = unlinkat(fd, name, 0)
        }
    }

    private static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    private static func addFolder(_ folder: String, to folders: inout Set<String>) {
        var folder = folder
        while !folder.isEmpty, folders.insert(folder).inserted {
            folder = folder.lastIndex(of: "/").map { String(folder[..<$0]) } ?? ""
        }
    }

    struct Entry {
        var name: String
        var inode: UInt64
        var type: UInt8
    }

    enum Kind { case file, folder, other }

    /// The entries of the open folder `fd` (left open), without `.` and `..`.
    static func list(_ fd: Int32) -> [Entry] {
        let copy = dup(fd)
        guard copy >= 0, let dir = fdopendir(copy) else { return [] }
        defer { closedir(dir) }
        var entries: [Entry] = []
        while let entry = readdir(dir) {
            let name = ContentRoot.name(of: entry)
            if name == "." || name == ".." { continue }
            entries.append(Entry(name: name, inode: UInt64(entry.pointee.d_ino), type: entry.pointee.d_type))
        }
        return entries
    }

    /// What `entry` is, asking the file system only when the folder listing did not say.
    private static func kind(_ entry: Entry, in fd: Int32) -> Kind {
        var type = entry.type
        if type == UInt8(DT_UNKNOWN) {
            var info = stat()
            guard fstatat(fd, entry.name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return .other }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: type = UInt8(DT_DIR)
            case S_IFREG: type = UInt8(DT_REG)
            default: return .other
            }
        }
        switch type {
        case UInt8(DT_DIR): return .folder
        case UInt8(DT_REG): return .file
        default: return .other
        }
    }
}
