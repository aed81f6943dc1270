import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A started child process whose output is collected as it arrives, so a caller can wait for
/// a line on stderr (tcpdump's "listening on") before doing the next step.
///
/// Spawned with `posix_spawn` rather than Foundation's `Process`: a child must start with an
/// empty signal mask and default handlers (Swift's threads block SIGINT and SIGTERM, and a
/// child inherits that mask, so tcpdump would ignore the SIGINT that stops it cleanly), in its
/// own process group (a timeout kills the whole group), and is reaped by `waitpid` directly.
public final class RunningCommand: @unchecked Sendable {
    public let argv: [String]
    public let display: String
    public let startedAt: Date
    /// Maps the raw result to an error where the exit code means one (ssh's 255, shell's 127).
    private let classify: @Sendable (CommandResult) throws -> CommandResult
    private let pid: pid_t
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()
    private var status: Int32?
    private var openStreams = 2
    private var timedOut = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(argv: [String], display: String, executable: URL, arguments: [String],
         environment: [String: String]?,
         classify: @escaping @Sendable (CommandResult) throws -> CommandResult) throws {
        self.argv = argv
        self.display = display
        self.classify = classify
        self.startedAt = Date()
        var stdoutPipe: [Int32] = [-1, -1]
        var stderrPipe: [Int32] = [-1, -1]
        guard pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else {
            throw CommandError.launchFailed(display: display, reason: String(cString: strerror(errno)))
        }
        // Only the dup2'd copies may reach a child: other commands spawned meanwhile must not
        // hold these pipes open.
        for descriptor in stdoutPipe + stderrPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGALRM, SIGUSR1, SIGUSR2] {
            sigaddset(&defaults, number)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let arguments = [executable.path] + arguments
        let environmentList = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var child: pid_t = 0
        let spawned = withCStrings(arguments) { argvPointer in
            withCStrings(environmentList) { envPointer in
                posix_spawn(&child, executable.path, &actions, &attributes, argvPointer, envPointer)
            }
        }
        close(stdoutPipe[1])
        close(stderrPipe[1])
        guard spawned == 0 else {
            close(stdoutPipe[0])
            close(stderrPipe[0])
            throw CommandError.launchFailed(display: display, reason: String(cString: strerror(spawned)))
        }
        pid = child
        let spawnedPID = child
        drain(stdoutPipe[0], isStdout: true)
        drain(stderrPipe[0], isStdout: false)
        let thread = Thread { [self] in
            var raw: Int32 = 0
            while waitpid(spawnedPID, &raw, 0) == -1 && errno == EINTR {}
            let signal = raw & 0x7f
            let code = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
            update { $0.status = code }
        }
        thread.start()
    }

    public var processIdentifier: Int32 { pid }

    /// Everything written to stdout so far.
    public var stdoutSoFar: String { lock.withLock { String(decoding: out, as: UTF8.self) } }

    /// Everything written to stderr so far.
    public var stderrSoFar: String { lock.withLock { String(decoding: err, as: UTF8.self) } }

    public var isFinished: Bool { lock.withLock { status != nil && openStreams == 0 } }

    /// Waits until stderr contains `text` or the process ends or `timeout` passes.
    public func waitForStderr(containing text: String, timeout: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stderrSoFar.contains(text) { return true }
            if isFinished { return stderrSoFar.contains(text) }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return stderrSoFar.contains(text)
    }

    /// SIGINT: lets tcpdump flush and close its capture file.
    public func interrupt() { signal(SIGINT) }
    public func terminate() { signal(SIGTERM) }

    func signal(_ number: Int32) {
        guard lock.withLock({ status == nil }) else { return }
        _ = kill(pid, number)
    }

    /// Signals the child's whole process group (what it started too), for timeouts.
    func signalGroup(_ number: Int32) {
        guard lock.withLock({ status == nil }) else { return }
        _ = kill(-pid, number)
    }

    /// Waits for the process to exit and its output to be drained; after `timeout` seconds it
    /// is sent SIGTERM, then SIGKILL, and `CommandError.timedOut` is thrown.
    public func wait(timeout: Double? = nil) async throws -> CommandResult {
        if let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [self] in
                guard !isFinished else { return }
                lock.withLock { timedOut = true }
                signalGroup(SIGTERM)
                DispatchQueue.global().asyncAfter(deadline: .now() + 2) { [self] in signalGroup(SIGKILL) }
            }
        }
        await withTaskCancellationHandler {
            await finished()
        } onCancel: {
            self.signalGroup(SIGTERM)
            DispatchQueue.global().asyncAfter(deadline: .now() + 2) { [self] in signalGroup(SIGKILL) }
        }
        let (result, didTimeOut) = lock.withLock {
            (CommandResult(argv: argv, display: display, stdout: out, stderr: err,
                           exitCode: status ?? -1, startedAt: startedAt), timedOut)
        }
        if didTimeOut { throw CommandError.timedOut(display: display, seconds: timeout ?? 0) }
        try Task.checkCancellation()
        return try classify(result)
    }

    private func finished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done: Bool = lock.withLock {
                if status != nil && openStreams == 0 { return true }
                waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func update(_ change: (RunningCommand) -> Void) {
        let ready: [CheckedContinuation<Void, Never>] = lock.withLock {
            change(self)
            guard status != nil && openStreams == 0 else { return [] }
            defer { waiters = [] }
            return waiters
        }
        ready.forEach { $0.resume() }
    }

    private func drain(_ descriptor: Int32, isStdout: Bool) {
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(descriptor, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                let chunk = Data(buffer[0..<count])
                lock.withLock {
                    if isStdout { out.append(chunk) } else { err.append(chunk) }
                }
            }
            close(descriptor)
            update { $0.openStreams -= 1 }
        }
        thread.start()
    }
}

/// Runs `body` with a NULL-terminated C array of `strings`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
