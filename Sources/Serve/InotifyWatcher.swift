import Foundation
import Glibc
import Synchronization

/// Watches the inputs of `labgen serve` with inotify: every folder under the watched folders
/// (new ones as they appear) and the watched files (through their folder, by name, since
/// editors replace a file by renaming another over it). No polling and no fixed wait: the
/// kernel wakes the watcher's thread on a change, which reports the changed paths as soon as
/// no file it saw written is still open for writing — at once on a close after writing
/// (`IN_CLOSE_WRITE`), a rename into place (`IN_MOVED_TO`), a deletion or a new folder. Only
/// a file modified and not closed yet (a save in progress: `open(O_TRUNC)` is a change of
/// its own, before the bytes) is waited for, until it is closed or holds still for `settle`.
///
/// Symbolic links are never followed (`IN_DONT_FOLLOW`, and a symlinked folder is not
/// walked): `ln -s . content/a` or a link to /usr adds no watch. Names starting with `.`
/// (editor swap files, caches) are ignored, and so are the excluded folders (the output).
final class InotifyWatcher: Sendable {
    private let fd: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let settle: Duration
    private let excluded: Set<String>
    /// Watch descriptor → folder, and for folders watched for one file, the names wanted.
    private let state = Mutex(State())

    private struct State {
        var folders: [Int32: String] = [:]
        /// Folders watched only for some of their files (the facts file's folder).
        var fileFilters: [Int32: Set<String>] = [:]
        var stopped = false
    }

    /// - Parameters:
    ///   - paths: folders (watched recursively) and files.
    ///   - excluded: folders never watched, e.g. the output inside the content.
    ///   - settle: how long a file modified but not closed yet must hold still before its
    ///     change is reported anyway (a writer that keeps it open).
    init(watching paths: [URL], excluding excluded: [URL] = [], settle: Duration = .milliseconds(100)) throws(SocketError) {
        fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { throw SocketError("inotify_init1") }
        var pipe: [Int32] = [-1, -1]
        guard Glibc.pipe(&pipe) == 0 else { Glibc.close(fd); throw SocketError("pipe") }
        for end in pipe { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        wakeRead = pipe[0]
        wakeWrite = pipe[1]
        self.settle = settle
        self.excluded = Set(excluded.map { $0.standardizedFileURL.path })
        func isFolder(_ url: URL) -> Bool {
            var info = stat()
            return lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
        }
        let urls = paths.map(\.standardizedFileURL)
        for url in urls where isFolder(url) { addTree(url.path) }
        for url in urls where !isFolder(url) {
            // A file (or a folder not there yet): its folder, for this name only, unless
            // that folder is watched whole already.
            let folder = url.deletingLastPathComponent().path
            let whole = state.withLock { state in
                state.folders.contains { $0.value == folder && state.fileFilters[$0.key] == nil }
            }
            if !whole, let wd = add(folder) {
                state.withLock { $0.fileFilters[wd, default: []].insert(url.lastPathComponent) }
            }
        }
    }

    /// How many folders are watched now.
    var watchedFolders: Int { state.withLock { $0.folders.count } }

    deinit {
        Glibc.close(fd)
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
    }

    static let mask = UInt32(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_MODIFY
                             | IN_DELETE_SELF | IN_MOVE_SELF) | UInt32(IN_DONT_FOLLOW) | UInt32(IN_ONLYDIR)

    /// Watches `folder`; nil if it cannot be (gone, a symlink, no permission).
    @discardableResult
    private func add(_ folder: String) -> Int32? {
        let wd = inotify_add_watch(fd, folder, Self.mask)
        guard wd >= 0 else { return nil }
        state.withLock { $0.folders[wd] = folder }
        return wd
    }

    /// `root` and every folder below it, without following symlinks or entering hidden or
    /// excluded folders.
    private func addTree(_ root: String) {
        var stack = [root]
        while let folder = stack.popLast() {
            guard !excluded.contains(folder), add(folder) != nil, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names where !name.hasPrefix(".") {
                var info = stat()
                let path = folder + "/" + name
                if lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR { stack.append(path) }
            }
        }
    }

    /// Runs on a thread of its own until `stop()`, calling `changed` with each batch of
    /// changed paths (sorted): every change read at once from the kernel, reported as soon as
    /// no file among them is still being written.
    func start(_ changed: @escaping @Sendable ([String]) -> Void) {
        let thread = Thread { [self] in
            var pending: Set<String> = []
            // Files modified (or created) and not closed since: a save in progress.
            var writing: Set<String> = []
            // Files modified since the last report, and those it named.
            var modified: Set<String> = []
            var reported: Set<String> = []
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            let (seconds, attoseconds) = settle.components
            let settleMilliseconds = max(1, Int32(seconds * 1000 + attoseconds / 1_000_000_000_000_000))
            while true {
                if !pending.isEmpty && writing.isEmpty {
                    changed(pending.sorted())
                    reported = pending
                    pending.removeAll()
                    modified.removeAll()
                }
                // Wait for ever while nothing is pending, else as long as a writer may pause.
                var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
                let ready = poll(&fds, 2, pending.isEmpty ? -1 : settleMilliseconds)
                if ready < 0 && errno == EINTR { continue }
                if fds[1].revents != 0 || ready < 0 { return }
                if ready == 0 {
                    // A file left open after writing: its change goes out all the same.
                    writing.removeAll()
                    continue
                }
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard count > 0 else { continue }
                for event in events(in: buffer[..<count]) {
                    switch event.kind {
                    case .writing:
                        writing.insert(event.path)
                        modified.insert(event.path)
                    case .closed where reported.contains(event.path) && !modified.contains(event.path):
                        // Closed after being renamed into place and reported (Foundation's
                        // atomic write renames, then closes): nothing new.
                        continue
                    case .closed, .done: writing.remove(event.path)
                    case .other: break
                    }
                    pending.insert(event.path)
                }
            }
        }
        thread.name = "labgen-serve-watch"
        thread.start()
    }

    /// Wakes the thread, which returns.
    func stop() {
        state.withLock { state in
            guard !state.stopped else { return }
            state.stopped = true
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    /// What an event says of a file's writing: begun (modified, or created and not closed),
    /// over (closed after writing; renamed into place, deleted or moved away), or neither.
    enum Kind: Equatable {
        case writing, closed, done, other

        init(mask: UInt32) {
            let isFolder = mask & UInt32(IN_ISDIR) != 0
            if mask & UInt32(IN_CLOSE_WRITE) != 0 {
                self = .closed
            } else if mask & UInt32(IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM) != 0 {
                self = .done
            } else if !isFolder && mask & UInt32(IN_MODIFY | IN_CREATE) != 0 {
                self = .writing
            } else {
                self = .other
            }
        }
    }

    /// The paths named by the `inotify_event`s in `bytes`, with what each event says of the
    /// file's writing; new folders are watched at once.
    private func events(in bytes: ArraySlice<UInt8>) -> [(path: String, kind: Kind)] {
        var found: [(path: String, kind: Kind)] = []
        var offset = bytes.startIndex
        let header = MemoryLayout<inotify_event>.size
        while offset + header <= bytes.endIndex {
            let (wd, mask, length) = bytes.withUnsafeBytes { raw -> (Int32, UInt32, Int) in
                let base = offset - bytes.startIndex
                return (raw.loadUnaligned(fromByteOffset: base, as: Int32.self),
                        raw.loadUnaligned(fromByteOffset: base + 4, as: UInt32.self),
                        Int(raw.loadUnaligned(fromByteOffset: base + 12, as: UInt32.self)))
            }
            let nameBytes = bytes[(offset + header)..<min(bytes.endIndex, offset + header + length)]
            let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            offset += header + length
            if mask & UInt32(IN_Q_OVERFLOW) != 0 { found.append(("*", .other)); continue }
            let (folder, filter) = state.withLock { ($0.folders[wd], $0.fileFilters[wd]) }
            guard let folder else { continue }
            if mask & UInt32(IN_IGNORED) != 0 {
                state.withLock { _ = $0.folders.removeValue(forKey: wd) }
                continue
            }
            if name.isEmpty { found.append((folder, .other)); continue }   // the folder itself went away
            if let filter, !filter.contains(name) { continue }
            guard !name.hasPrefix(".") else { continue }
            let path = folder + "/" + name
            // A new folder (or the awaited templates/ appearing) is watched from now on.
            if mask & UInt32(IN_ISDIR) != 0 && mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { addTree(path) }
            found.append((path, Kind(mask: mask)))
        }
        return found
    }
}
