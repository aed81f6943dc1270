import Foundation

/// Runs commands on another machine through the system `ssh`, so `~/.ssh/config`, agents and
/// known hosts work as they do for the instructor. Batch mode: never waits for a password.
public struct SSHRunner: CommandRunner {
    public var destination: String
    public var connectTimeout: Int
    public var options: [String]
    public var local: LocalRunner

    public init(destination: String, connectTimeout: Int = 10, options: [String] = [],
                local: LocalRunner = LocalRunner()) {
        self.destination = destination
        self.connectTimeout = connectTimeout
        self.options = options
        self.local = local
    }

    /// The local argv: each remote argument is quoted, because ssh joins them into one line
    /// that the remote shell splits again.
    public func sshArgv(_ argv: [String]) -> [String] {
        ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=\(connectTimeout)"] + options
            + [destination, "--"] + argv.map(ShellQuote.quote)
    }

    public func display(_ argv: [String]) -> String {
        "ssh \(destination) -- " + ShellQuote.join(argv)
    }

    public func run(_ argv: [String], timeout: Double) async throws -> CommandResult {
        try await start(argv).wait(timeout: timeout)
    }

    public func start(_ argv: [String]) throws -> RunningCommand {
        let wrapped = sshArgv(argv)
        guard let ssh = local.resolve("ssh") else {
            throw CommandError.notFound(program: "ssh", display: display(argv))
        }
        let destination = destination
        let shown = display(argv)
        let program = argv.first ?? ""
        return try RunningCommand(
            argv: argv, display: shown, executable: ssh,
            arguments: Array(wrapped.dropFirst()),
            environment: local.environment,
            classify: { result in
                if result.exitCode == 255 {
                    let lines = result.stderrText.split(whereSeparator: \.isNewline)
                    throw CommandError.sshFailed(destination: destination,
                                                 message: lines.last.map(String.init) ?? "exit 255")
                }
                if result.exitCode == 127 {
                    throw CommandError.notFound(program: program, display: shown)
                }
                return result
            })
    }
}
