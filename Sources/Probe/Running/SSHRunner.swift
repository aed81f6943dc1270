import Facts
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

    /// The local argv: the destination is checked (`[user@]host[:port]`, never an option)
    /// and placed after `--`, so ssh reads nothing after it as an option; each remote
    /// argument is quoted, because ssh joins them into one line that the remote shell splits
    /// again.
    ///
    /// - Parameters:
    ///   - argv: the command to run on the remote machine.
    /// - Throws: `CommandError.refused` when the destination is not a destination.
    public func sshArgv(_ argv: [String]) throws(CommandError) -> [String] {
        if let problem = CommandArgument.checkSSHDestination(destination) {
            throw CommandError.refused(problem)
        }
        guard let parsed = SSHDestination(destination) else { throw CommandError.refused("ssh destination \(destination.debugDescription) is not [user@]host[:port]") }
        return ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=\(connectTimeout)"] + options
            + (parsed.port.map { ["-p", String($0)] } ?? []) + ["--", parsed.target] + argv.map(ShellQuote.quote)
    }

    public func display(_ argv: [String]) -> String {
        "ssh \(destination) -- " + ShellQuote.join(argv)
    }

    public func run(_ argv: [String], timeout: Double) async throws -> CommandResult {
        try await start(argv).wait(timeout: timeout)
    }

    public func start(_ argv: [String]) throws -> RunningCommand {
        let wrapped = try sshArgv(argv)
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
