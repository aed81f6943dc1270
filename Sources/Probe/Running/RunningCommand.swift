import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A started child process whose output is collected as it arrives, so a caller can wait for
/// a line on stderr (tcpdump's "listening on") before doing the next step.
public final class RunningCommand: @unchecked Sendable {
    public let argv: [String]
    public let display: String
    public let startedAt: Date
    /// Maps the raw result to an error where the exit code means one (ssh's 255, shell's 127).
    private let classify: @Sendable (CommandResult) throws -> CommandResult
    private let process: Process
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
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { [weak self] finished in
            let code = finished.terminationReason == .uncaughtSignal
                ? 128 + finished.terminationStatus : finished.terminationStatus
            self?.update { $0.status = code }
        }
        do {
            try process.run()
        } catch {
            throw CommandError.launchFailed(display: display, reason: "\(error)")
        }
        drain(stdoutPipe.fileHandleForReading, isStdout: true)
        drain(stderrPipe.fileHandleForReading, isStdout: false)
    }

    public var processIdentifier: Int32 { process.processIdentifier }

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
        _ = kill(process.processIdentifier, number)
    }

    /// Waits for the process to exit and its output to be drained; after `timeout` seconds it
    /// is sent SIGTERM, then SIGKILL, and `CommandError.timedOut` is thrown.
    public func wait(timeout: Double? = nil) async throws -> CommandResult {
        if let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [self] in
                guard !isFinished else { return }
                lock.withLock { timedOut = true }
                signal(SIGTERM)
                DispatchQueue.global().asyncAfter(deadline: .now() + 2) { [self] in signal(SIGKILL) }
            }
        }
        await withTaskCancellationHandler {
            await finished()
        } onCancel: {
            self.signal(SIGTERM)
            DispatchQueue.global().asyncAfter(deadline: .now() + 2) { [self] in signal(SIGKILL) }
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

    private func drain(_ handle: FileHandle, isStdout: Bool) {
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.withLock {
                    if isStdout { out.append(chunk) } else { err.append(chunk) }
                }
            }
            update { $0.openStreams -= 1 }
        }
        thread.start()
    }
}
