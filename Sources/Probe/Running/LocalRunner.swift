import Foundation

/// Runs commands on this machine with Foundation's `Process` (no shell involved).
///
/// `prefix` wraps every command, e.g. `["ip", "netns", "exec", "lab-host"]` to probe a network
/// namespace as if it were the attendee's machine, or `["sudo", "-n"]`.
public struct LocalRunner: CommandRunner {
    /// The child's environment; `nil` inherits labgen's. Its `PATH` is also where programs are found.
    public var environment: [String: String]?
    public var prefix: [String]

    public init(environment: [String: String]? = nil, prefix: [String] = []) {
        self.environment = environment
        self.prefix = prefix
    }

    public func display(_ argv: [String]) -> String { ShellQuote.join(prefix + argv) }

    public func run(_ argv: [String], timeout: Double) async throws -> CommandResult {
        try await start(argv).wait(timeout: timeout)
    }

    public func start(_ argv: [String]) throws -> RunningCommand {
        guard let program = argv.first else {
            throw CommandError.launchFailed(display: "", reason: "empty command")
        }
        let full = prefix + argv
        // The wrapped program is looked up too: `ip netns exec` shares our filesystem and PATH.
        guard let executable = resolve(full[0]), resolve(program) != nil else {
            throw CommandError.notFound(program: resolve(full[0]) == nil ? full[0] : program,
                                        display: display(argv))
        }
        return try RunningCommand(argv: argv, display: display(argv), executable: executable,
                                  arguments: Array(full.dropFirst()), environment: environment,
                                  classify: { $0 })
    }

    /// The executable `PATH` would run for `program`, or nil if there is none.
    public func resolve(_ program: String) -> URL? {
        let manager = FileManager.default
        if program.contains("/") {
            return manager.isExecutableFile(atPath: program) ? URL(fileURLWithPath: program) : nil
        }
        let path = (environment ?? ProcessInfo.processInfo.environment)["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(program)"
            if manager.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        return nil
    }
}
