import LabgenCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One build at a time per output: an exclusive `flock` on `.<name>.lock` beside the output,
/// held from the moment a build reads the previous site until it has replaced it. A second
/// build says whom it waits for and waits (as cargo does for its build folder) rather than
/// interleave its files. The lock dies with its process, so a killed build never leaves the
/// output locked; whoever takes it next first tidies what the killed build left beside the
/// output.
final class OutputLock: @unchecked Sendable {
    /// The lock file (beside the output, never inside: the output is swapped as a whole).
    let path: String
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Takes the lock of `output`, waiting while another build holds it, creating the
    /// output's parent folder if needed; then removes the staging folders of killed builds
    /// (`OutputTransaction.removeLeftovers`).
    /// - Parameters:
    ///   - output: the site folder a build is about to replace.
    ///   - waiting: told once, with a line to show, when another build holds the lock.
    static func acquire(for output: URL, waiting: (String) -> Void = { _ in }) async throws -> OutputLock {
        let (path, fd) = try openLockFile(output)
        var told = false
        while !(try tryLock(fd, path: path)) {
            if !told {
                waiting("waiting for another labgen build\(holder(fd).map { " (pid \($0))" } ?? "") writing \(output.path) to finish")
                told = true
            }
            do { try await Task.sleep(for: .milliseconds(50)) } catch { close(fd); throw error }
        }
        return try finish(output, path: path, fd: fd)
    }

    /// `acquire`, blocking the calling thread while it waits.
    static func acquireBlocking(for output: URL) throws -> OutputLock {
        let (path, fd) = try openLockFile(output)
        while !(try tryLock(fd, path: path)) { usleep(50_000) }
        return try finish(output, path: path, fd: fd)
    }

    private static func openLockFile(_ output: URL) throws -> (String, Int32) {
        let parent = output.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let path = parent.appendingPathComponent(".\(output.lastPathComponent).lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Diagnostic(file: path, message: "cannot create the build lock: \(String(cString: strerror(errno))); check that \(parent.path) is writable")
        }
        return (path, fd)
    }

    /// Whether the lock was taken; false while another process (or build) holds it.
    private static func tryLock(_ fd: Int32, path: String) throws -> Bool {
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return true }
        let code = errno
        if code == EWOULDBLOCK || code == EINTR { return false }
        close(fd)
        throw Diagnostic(file: path, message: "cannot lock the output: \(String(cString: strerror(code)))")
    }

    /// The pid the holder wrote in the lock file.
    private static func holder(_ fd: Int32) -> String? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &bytes, bytes.count, 0)
        guard n > 0 else { return nil }
        let pid = String(decoding: bytes[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return pid.isEmpty ? nil : pid
    }

    private static func finish(_ output: URL, path: String, fd: Int32) throws -> OutputLock {
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
        let lock = OutputLock(path: path, fd: fd)
        try OutputTransaction.removeLeftovers(of: output)
        return lock
    }

    /// Lets the next build in (closing the file drops the `flock`).
    func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    deinit { release() }
}
