import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One build at a time per output: an exclusive `flock` on `.<name>.lock` beside the output,
/// held from the moment a build reads the previous site until it has replaced it. A second
/// build fails at once with the holder's pid rather than interleave its files. The lock dies
/// with its process, so a killed build never leaves the output locked; whoever takes it next
/// first tidies what the killed build left beside the output.
final class OutputLock: @unchecked Sendable {
    /// The lock file (beside the output, never inside: the output is swapped as a whole).
    let path: String
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Takes the lock of `output`, creating its parent folder if needed, then removes the
    /// staging folders of killed builds (`OutputTransaction.removeLeftovers`).
    /// - Parameters:
    ///   - output: the site folder a build is about to replace.
    /// - Throws: `Diagnostic` naming the output when another process holds the lock.
    static func acquire(for output: URL) throws -> OutputLock {
        let parent = output.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let path = parent.appendingPathComponent(".\(output.lastPathComponent).lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Diagnostic(file: path, message: "cannot create the build lock: \(String(cString: strerror(errno))); check that \(parent.path) is writable")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            var holder = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &holder, holder.count, 0)
            close(fd)
            let pid = n > 0 ? String(decoding: holder[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
            if code == EWOULDBLOCK {
                throw Diagnostic(file: output.path, message: "another labgen build\(pid.isEmpty ? "" : " (pid \(pid))") is writing this site; wait for it to finish, or build into another --out (nothing was changed)")
            }
            throw Diagnostic(file: path, message: "cannot lock the output: \(String(cString: strerror(code)))")
        }
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
