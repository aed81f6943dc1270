import Foundation

/// What one finished command produced. Non-zero exits are values, not errors: callers decide
/// what a failure means (kubectl's "context not found" and ssh's exit 255 need different advice).
public struct CommandResult: Sendable {
    /// The argument list as the caller asked for it (before any ssh or namespace wrapping).
    public var argv: [String]
    /// What actually ran, shell-quoted for display (provenance, error messages).
    public var display: String
    public var stdout: Data
    public var stderr: Data
    public var exitCode: Int32
    public var startedAt: Date

    public init(argv: [String], display: String, stdout: Data, stderr: Data, exitCode: Int32, startedAt: Date) {
        self.argv = argv
        self.display = display
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
        self.startedAt = startedAt
    }

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    public var succeeded: Bool { exitCode == 0 }
}

/// Why a command could not produce a result at all.
public enum CommandError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The program is not installed (locally: not in PATH; over ssh: the remote shell said 127).
    case notFound(program: String, display: String)
    case timedOut(display: String, seconds: Double)
    /// The ssh connection itself failed (exit 255): unreachable host, refused key, timeout.
    case sshFailed(destination: String, message: String)
    /// The command ran and failed; `exitCode` and the end of stderr say how.
    case failed(display: String, exitCode: Int32, stderr: String)
    case launchFailed(display: String, reason: String)
    /// An argument would have been read as an option or broken the command line (a value
    /// starting with `-`, a newline): nothing was run.
    case refused(String)

    public var description: String {
        switch self {
        case let .notFound(program, _):
            return "\(program): command not found. Install \(program) (or fix PATH) on the probed machine and retry."
        case let .timedOut(display, seconds):
            return "timed out after \(Self.format(seconds)) s: \(display)"
        case let .sshFailed(destination, message):
            return "ssh to \(destination) failed: \(message). Check that the host is up and that `ssh \(destination) true` works without a password (BatchMode)."
        case let .failed(display, code, stderr):
            let tail = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return "`\(display)` exited with \(code)" + (tail.isEmpty ? "" : ": \(tail)")
        case let .launchFailed(display, reason):
            return "could not start `\(display)`: \(reason)"
        case let .refused(problem):
            return "refused to run: \(problem) (nothing was run)"
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

/// Runs argument lists on the probed machine. Arguments are never joined into a shell string
/// built from data, except by `SSHRunner`, which quotes each one for the remote shell.
public protocol CommandRunner: Sendable {
    /// Runs `argv` to completion (killing it after `timeout` seconds); throws only when it
    /// could not run, timed out or was cancelled.
    func run(_ argv: [String], timeout: Double) async throws -> CommandResult
    /// Starts a long-running command (tcpdump) whose stderr can be watched while it runs.
    func start(_ argv: [String]) throws -> RunningCommand
    /// How `argv` is shown in provenance and messages.
    func display(_ argv: [String]) -> String
}

extension CommandRunner {
    /// Runs `argv` and throws `CommandError.failed` on a non-zero exit.
    public func output(_ argv: [String], timeout: Double) async throws -> CommandResult {
        let result = try await run(argv, timeout: timeout)
        guard result.succeeded else {
            throw CommandError.failed(display: result.display, exitCode: result.exitCode,
                                      stderr: String(result.stderrText.suffix(600)))
        }
        return result
    }
}
