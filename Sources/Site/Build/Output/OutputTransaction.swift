import LabgenCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes a new site replace the output in one step, whatever kind of build made it.
///
/// Every build makes a complete tree in a staging folder beside the output
/// (`.<name>.new-<pid>`): the files it made, plus hard links to the unchanged files of the
/// previous site (`keep`), so an incremental build still writes only what changed. `commit`
/// then exchanges the staging folder and the output with one `renameat2(RENAME_EXCHANGE)`;
/// the previous site, now at the staging path, becomes the spare (`SpareSite`), which the
/// next build recycles as its staging folder: it then links and deletes only what changed,
/// not every file of the site. A kill at any instant leaves the output either the previous
/// complete site or the new one, and nothing temporary inside it; what a killed build left
/// beside the output is tidied by the next one (which holds the `OutputLock`, so no other
/// build can be using it). `write` and `enqueue` may be called from several tasks at once.
final class OutputTransaction: @unchecked Sendable {
    let output: URL
    /// Where the new site is assembled.
    let staging: URL
    private let outputPath: String
    private let stagingPath: String
    private let faults: FaultPoints
    private let lock = NSLock()
    private var written: [String] = []
    private var kept: [String] = []
    private var directories: Set<String> = [""]
    private var finished = false
    /// Whether the staging folder is a recycled spare (it may hold anything, and hard links
    /// to the output's files: names are unlinked before they are written).
    private let recycled: Bool
    private let writer = DispatchQueue(label: "labgen.output")
    private var queuedFailure: (any Error)?

    /// Starts a new site for `output`.
    /// - Parameters:
    ///   - output: the site folder to replace (need not exist).
    ///   - lock: proof that this process holds the output's lock.
    ///   - faults: where a test stops or fails the commit (`FaultPoints.none` in use).
    init(output: URL, lock: OutputLock, faults: FaultPoints = .none) throws {
        self.output = output.standardizedFileURL
        self.faults = faults
        outputPath = self.output.path
        let parent = self.output.deletingLastPathComponent()
        let name = self.output.lastPathComponent
        staging = parent.appendingPathComponent(".\(name).new-\(getpid())")
        stagingPath = staging.path
        if rename(SpareSite.path(of: self.output), stagingPath) == 0, SpareSite.isFolder(stagingPath) {
            recycled = true
            SpareSite.sanitize(stagingPath)
        } else {
            _ = unlink(stagingPath)
            recycled = false
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        }
    }

    /// Writes `data` at `path` in the new site.
    /// - Parameters:
    ///   - path: relative, checked by `WriteStep.isSafe`.
    ///   - data: the file's bytes. Not fsync'ed: like other static site generators, a crash
    ///     of the machine may lose the last build, never the atomicity of a failed one.
    func write(_ path: String, _ data: Data) throws {
        guard WriteStep.isSafe(path) else {
            throw Diagnostic(file: path, message: "output path leaves the output directory")
        }
        do {
            try makeFolder(of: path)
            if recycled { Self.clear(stagingPath + "/" + path) }
            try Self.writeFile(stagingPath + "/" + path, data)
            lock.lock(); written.append(path); let count = written.count; lock.unlock()
            try faults.reach("write-\(count)")
        } catch {
            throw Self.unchanged(error, output: outputPath)
        }
    }

    /// Carries `path` over from the previous site unchanged (a hard link made at commit).
    /// - Parameters:
    ///   - path: relative, a file of the current output.
    func keep(_ path: String) {
        lock.lock(); kept.append(path); lock.unlock()
    }

    /// Queues `write(path, data)` on the transaction's one writer thread and returns: pages
    /// rendered on both cores do not create their files side by side in one folder (the
    /// second waited on the folder's lock, spinning), and rendering goes on while the kernel
    /// creates files. `drain` waits and reports.
    func enqueue(_ path: String, _ data: Data) {
        writer.async { [self] in
            do { try write(path, data) } catch {
                lock.lock(); if queuedFailure == nil { queuedFailure = error }; lock.unlock()
            }
        }
    }

    /// Waits for the queued writes; throws the first that failed (the output is untouched).
    func drain() throws {
        writer.sync {}
        lock.lock(); let failure = queuedFailure; lock.unlock()
        if let failure { throw Self.unchanged(failure, output: outputPath) }
    }

    /// Makes the staged tree the output. Steps (`FaultPoints` names): 1 everything written,
    /// 2 unchanged files linked (and, in a recycled spare, what the new site does not hold
    /// removed), then the exchange, 3 the new site in place and the previous one at the
    /// staging path, 4 the previous one kept as the spare.
    /// - Throws: before the exchange only, with the staging folder removed: the output is
    ///   then exactly the previous site, and the message says so.
    func commit() throws {
        do {
            try drain()
            lock.lock(); let paths = written; let carried = kept; finished = true; lock.unlock()
            try faults.reach("commit-step-1")
            let duplicates = Dictionary(grouping: paths, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            if let first = duplicates.first {
                throw Diagnostic(file: first, message: "two outputs want the same path")
            }
            let fresh = Set(paths)
            let unchanged = carried.filter { !fresh.contains($0) }
            try link(recycled ? SpareSite.reconcile(staging: stagingPath, output: outputPath, written: fresh, carried: unchanged) : unchanged)
            try faults.reach("commit-step-2")
            try swap()
        } catch {
            discardStaging()
            throw Self.unchanged(error, output: outputPath)
        }
        try? faults.reach("commit-step-3", canFail: false)
        // The previous site is now at the staging path; should this fail, the next build
        // recycles or removes it.
        keepAsSpare()
        try? faults.reach("commit-step-4", canFail: false)
    }

    /// Throws away what was staged; the output stays as it was.
    func abort() {
        writer.sync {}
        lock.lock(); let done = finished; finished = true; lock.unlock()
        guard !done else { return }
        discardStaging()
    }

    /// A recycled spare goes back to being the spare; a new staging folder is removed. The
    /// output is not touched either way.
    private func discardStaging() {
        if recycled { keepAsSpare() } else { _ = Self.removeTree(stagingPath) }
    }

    private func keepAsSpare() {
        if rename(stagingPath, SpareSite.path(of: output)) != 0 { _ = Self.removeTree(stagingPath) }
    }

    /// Removes whatever is at `path` (a file, a link, a folder and its contents), so that a
    /// new file can be created there without writing into a file it may share with the output.
    private static func clear(_ path: String) {
        if unlink(path) == 0 || errno == ENOENT { return }
        _ = removeTree(path)
    }

    /// The output and the staging folder trade places; an output that does not exist yet is
    /// simply renamed into being. Where the file system cannot exchange (`EINVAL`), the
    /// previous site moves aside first (`.<name>.old-<pid>`, put back by the next build if
    /// this one dies in between).
    private func swap() throws {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: outputPath, isDirectory: &isDirectory)
        if !exists {
            guard rename(stagingPath, outputPath) == 0 else { throw cannotReplace(errno) }
            return
        }
        let code = DirectorySwap.exchange(stagingPath, outputPath)
        if code == 0 { return }
        guard code == EINVAL || code == ENOSYS || code == ENOTSUP else { throw cannotReplace(code) }
        let aside = Self.asidePath(of: output, pid: getpid())
        guard rename(outputPath, aside) == 0 else { throw cannotReplace(errno) }
        guard rename(stagingPath, outputPath) == 0 else {
            let failure = errno
            _ = rename(aside, outputPath)
            throw cannotReplace(failure)
        }
        guard rename(aside, stagingPath) == 0 else { throw cannotReplace(errno) }
    }

    private func cannotReplace(_ code: Int32) -> Diagnostic {
        Diagnostic(file: outputPath, message: "cannot replace the site with the new build: \(String(cString: strerror(code)))")
    }

    /// Files of the previous site linked into the new one (copied where a link fails),
    /// each from its folder's descriptor and on both cores, not by resolving two full paths
    /// per file.
    private func link(_ paths: [String]) throws {
        var folders: [Substring: (source: Int32, target: Int32)] = [:]
        defer {
            for (source, target) in folders.values {
                if source >= 0 { close(source) }
                if target >= 0 { close(target) }
            }
        }
        var items: [(source: Int32, target: Int32, name: String, path: String)] = []
        items.reserveCapacity(paths.count)
        for path in paths {
            guard WriteStep.isSafe(path) else {
                throw Diagnostic(file: path, message: "output path leaves the output directory")
            }
            let slash = path.lastIndex(of: "/")
            let folder = slash.map { path[..<$0] } ?? ""
            if folders[folder] == nil {
                try makeFolder(of: path)
                let suffix = folder.isEmpty ? "" : "/" + folder
                folders[folder] = (open(outputPath + suffix, O_RDONLY | O_DIRECTORY | O_CLOEXEC),
                                   open(stagingPath + suffix, O_RDONLY | O_DIRECTORY | O_CLOEXEC))
            }
            let fds = folders[folder]!
            items.append((fds.source, fds.target, slash.map { String(path[path.index(after: $0)...]) } ?? path, path))
        }
        let linked = concurrentMap(items) { item in
            item.source >= 0 && item.target >= 0 && linkat(item.source, item.name, item.target, item.name, AT_SYMLINK_FOLLOW) == 0
        }
        for (item, done) in zip(items, linked) where !done {
            let source = outputPath + "/" + item.path
            guard let data = FileManager.default.contents(atPath: source) else {
                throw Diagnostic(file: source, message: "a file of the previous site disappeared during the build: build again")
            }
            Self.clear(stagingPath + "/" + item.path)
            try Self.writeFile(stagingPath + "/" + item.path, data)
        }
    }

    private func makeFolder(of path: String) throws {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        lock.lock()
        let needsFolder = !directories.contains(folder)
        lock.unlock()
        if needsFolder {
            if recycled {
                // A recycled spare may hold a file where a folder is wanted.
                var prefix = stagingPath
                for part in folder.split(separator: "/") {
                    prefix += "/" + part
                    var info = stat()
                    if lstat(prefix, &info) == 0, info.st_mode & S_IFMT != S_IFDIR { _ = unlink(prefix) }
                }
            }
            try FileManager.default.createDirectory(atPath: stagingPath + "/" + folder, withIntermediateDirectories: true)
            lock.lock(); directories.insert(folder); lock.unlock()
        }
    }

    /// `error`, its message completed with the state of the output.
    private static func unchanged(_ error: any Error, output: String) -> any Error {
        let note = "; \(output) was not changed (it is still the previous build, or absent if there was none)"
        switch error {
        case let diagnostic as Diagnostic where diagnostic.message.hasSuffix(note):
            return diagnostic
        case var diagnostic as Diagnostic:
            diagnostic.message += note
            return diagnostic
        case let failure as BuildFailure: return failure
        default: return Diagnostic(file: output, message: "\(error)" + note)
        }
    }

    /// Where the fallback swap moves the previous site for an instant.
    private static func asidePath(of output: URL, pid: Int32) -> String {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).old-\(pid)").path
    }

    /// What killed builds of `output` left beside it: a staging folder (`.<name>.new-*`)
    /// becomes the spare if there is none (`SpareSite`: whatever it holds, the next build
    /// makes it right), the others go; a previous site moved aside by an interrupted
    /// fallback swap (`.<name>.old-*`) comes back if the output is missing, else goes. `OutputLock.acquire` calls it once it holds
    /// the lock (no other build can be using them then).
    /// - Parameters:
    ///   - output: the site folder.
    static func removeLeftovers(of output: URL) throws {
        let fm = FileManager.default
        let parent = output.deletingLastPathComponent()
        let name = output.lastPathComponent
        guard let entries = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
        for entry in entries.sorted() where entry.hasPrefix(".\(name).old-") {
            let url = parent.appendingPathComponent(entry)
            if !fm.fileExists(atPath: output.path) {
                try fm.moveItem(at: url, to: output)
            } else {
                _ = removeTree(url.path)
            }
        }
        let spare = SpareSite.path(of: output)
        for entry in entries.sorted() where entry.hasPrefix(".\(name).new-") {
            let path = parent.appendingPathComponent(entry).path
            if !SpareSite.exists(spare), rename(path, spare) == 0 { continue }
            guard removeTree(path) else {
                throw Diagnostic(file: path, message: "cannot remove the staging folder of an interrupted build: \(String(cString: strerror(errno))); delete it by hand")
            }
        }
    }

    /// Deletes `path` and everything below it, links as links (never followed), with
    /// `unlinkat` from each folder's descriptor and a large folder's files on both cores
    /// (`FileManager.removeItem` stats every entry first).
    /// - Parameters:
    ///   - path: a folder (or a file).
    /// - Returns: whether it is gone.
    static func removeTree(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return unlink(path) == 0 || errno == ENOENT }
        empty(fd)
        return rmdir(path) == 0 || errno == ENOENT
    }

    /// Deletes what the open folder `fd` holds, and closes it.
    static func empty(_ fd: Int32) {
        guard let dir = fdopendir(fd) else { close(fd); return }
        defer { closedir(dir) }
        let folder = dirfd(dir)
        var names: [String] = [], folders: [String] = []
        while let entry = readdir(dir) {
            let name = ContentRoot.name(of: entry)
            if name == "." || name == ".." { continue }
            if entry.pointee.d_type == UInt8(DT_DIR) { folders.append(name) } else { names.append(name) }
        }
        // A type the file system did not give (DT_UNKNOWN) that is a folder refuses unlink.
        let refused = concurrentMap(names) { name in unlinkat(folder, name, 0) == 0 || errno == ENOENT ? nil : name }
        for name in folders + refused.compactMap({ $0 }) {
            let sub = openat(folder, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if sub >= 0 { empty(sub) }
            _ = unlinkat(folder, name, AT_REMOVEDIR)
        }
    }

    /// open/write/close: Foundation's `Data.write` fsyncs every file, slow on a virtual disk.
    static func writeFile(_ path: String, _ data: Data) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Diagnostic(file: path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Diagnostic(file: path, message: "cannot write: \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
    }
}
