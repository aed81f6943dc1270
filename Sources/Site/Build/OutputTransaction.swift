import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a set of output files so that a failure at any point leaves the previous site as
/// it was. Two ways, one interface:
/// - `fresh`: everything goes to a directory beside the output, which then replaces it by
///   two renames (a first or `--clean` build);
/// - `inPlace`: only changed files are written, each under a temporary name beside its final
///   one; `commit` renames them over the old files and deletes dropped ones (an incremental
///   build: 2,000 unchanged files are neither copied nor linked).
/// `write` may be called from several tasks at once.
final class OutputTransaction: @unchecked Sendable {
    enum Mode { case fresh, inPlace }

    let output: URL
    let mode: Mode
    /// Where `write` puts files: the staging directory, or the output itself.
    let root: URL
    private let suffix: String
    private let rootPath: String
    private let lock = NSLock()
    private var written: [String] = []
    private var directories: Set<String> = [""]
    private var finished = false
    private let writer = DispatchQueue(label: "labgen.output")
    private var queuedFailure: (any Error)?

    init(output: URL, mode: Mode) throws {
        self.output = output.standardizedFileURL
        self.mode = mode
        let fm = FileManager.default
        let parent = self.output.deletingLastPathComponent()
        let name = self.output.lastPathComponent
        let pid = ProcessInfo.processInfo.processIdentifier
        suffix = ".labgen-tmp-\(pid)"
        switch mode {
        case .fresh:
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            root = parent.appendingPathComponent(".\(name).new-\(pid)")
            try? fm.removeItem(at: root)
            try fm.createDirectory(at: root, withIntermediateDirectories: false)
        case .inPlace:
            root = self.output
        }
        rootPath = root.path
    }

    /// Writes `data` at `path` (relative, checked by `WriteStep.isSafe`), under a temporary
    /// name when in place. Not fsync'ed: like other static site generators, a crash of the
    /// machine may lose the last build, never the atomicity of a failed one.
    func write(_ path: String, _ data: Data) throws {
        guard WriteStep.isSafe(path) else {
            throw Diagnostic(file: path, message: "output path leaves the output directory")
        }
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        lock.lock()
        let needsFolder = !directories.contains(folder)
        lock.unlock()
        if needsFolder {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
            lock.lock(); directories.insert(folder); lock.unlock()
        }
        // Joined as a string (the path is checked safe above): URL appending was a twentieth
        // of writing a site.
        let target = rootPath + "/" + (mode == .inPlace ? path + suffix : path)
        try Self.writeFile(target, data)
        lock.lock(); written.append(path); lock.unlock()
    }

    /// Queues `write(path, data)` on the transaction's one writer thread and returns: pages
    /// rendered on both cores no longer create their files side by side in one folder, where
    /// the second waited on the folder's lock, spinning (a twentieth of a clean build's CPU),
    /// and rendering goes on while the kernel creates files. `drain` waits and reports.
    func enqueue(_ path: String, _ data: Data) {
        writer.async { [self] in
            do { try write(path, data) } catch {
                lock.lock(); if queuedFailure == nil { queuedFailure = error }; lock.unlock()
            }
        }
    }

    /// Waits for the queued writes; throws the first that failed.
    func drain() throws {
        writer.sync {}
        lock.lock(); let failure = queuedFailure; lock.unlock()
        if let failure { throw failure }
    }

    /// Makes the written files the site; `deleting`: outputs of the previous build that this
    /// one no longer makes (in place only; a fresh build starts empty).
    func commit(deleting dropped: [String] = []) throws {
        try drain()
        let fm = FileManager.default
        lock.lock(); let paths = written; finished = true; lock.unlock()
        let duplicates = Dictionary(grouping: paths, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        if let first = duplicates.first {
            abortWrites(paths)
            throw Diagnostic(file: first, message: "two outputs want the same path")
        }
        switch mode {
        case .fresh:
            let name = output.lastPathComponent
            let previous = output.deletingLastPathComponent().appendingPathComponent(".\(name).old-\(ProcessInfo.processInfo.processIdentifier)")
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: output.path, isDirectory: &isDirectory) {
                try fm.moveItem(at: output, to: previous)
                do {
                    try fm.moveItem(at: root, to: output)
                } catch {
                    try? fm.moveItem(at: previous, to: output)
                    try? fm.removeItem(at: root)
                    throw error
                }
                try? fm.removeItem(at: previous)
            } else {
                do { try fm.moveItem(at: root, to: output) } catch { try? fm.removeItem(at: root); throw error }
            }
        case .inPlace:
            for path in paths {
                let final = output.appendingPathComponent(path).path
                guard rename(final + suffix, final) == 0 else {
                    let code = errno
                    abortWrites(paths)
                    throw Diagnostic(file: final, message: "cannot replace: \(String(cString: strerror(code)))")
                }
            }
            let kept = Set(paths)
            for path in dropped where !kept.contains(path) && WriteStep.isSafe(path) {
                try? fm.removeItem(at: output.appendingPathComponent(path))
                Self.removeEmptyFolders(above: path, in: output)
            }
        }
    }

    /// Throws away what was written; the site stays as it was.
    func abort() {
        writer.sync {}
        lock.lock(); let paths = written; let done = finished; finished = true; lock.unlock()
        guard !done else { return }
        abortWrites(paths)
    }

    private func abortWrites(_ paths: [String]) {
        switch mode {
        case .fresh:
            try? FileManager.default.removeItem(at: root)
        case .inPlace:
            for path in paths { unlink(output.appendingPathComponent(path).path + suffix) }
        }
    }

    private static func removeEmptyFolders(above path: String, in root: URL) {
        var parts = path.split(separator: "/").dropLast()
        while !parts.isEmpty {
            guard rmdir(root.appendingPathComponent(parts.joined(separator: "/")).path) == 0 else { return }
            parts = parts.dropLast()
        }
    }

    /// open/write/close: Foundation's `Data.write` fsyncs every file, which made writing a
    /// 2,000-page site take seconds on a virtual disk.
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
