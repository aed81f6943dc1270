import LabgenCore
import ArgumentParser
import Facts
import Foundation

/// What `probe` and `capture` share before anything runs: the flags that reach a command
/// line (`--ssh`, `--netns`; a destination such as `-oProxyCommand=…` would otherwise be an
/// ssh option), and the roster, whose `ssh:`, `kubeconfig:` and `context:` are checked the
/// same way, each problem at its line and column.
enum CommandArguments {
    /// Throws a `ValidationError` naming the flag and the value when one cannot be used.
    ///
    /// - Parameters:
    ///   - ssh: the `--ssh` destination, if given.
    ///   - netns: the `--netns` namespace, if given.
    static func validate(ssh: String?, netns: String?) throws {
        if let ssh, let problem = CommandArgument.checkSSHDestination(ssh) {
            throw ValidationError("--ssh: \(problem)")
        }
        if let netns, let problem = CommandArgument.checkNamespace(netns) {
            throw ValidationError("--netns: \(problem)")
        }
    }

    /// The roster at `path`, or every problem it has printed as `file:line:col: error: …`
    /// and `ExitCode.failure` thrown: nobody is probed or captured from a roster with one.
    ///
    /// - Parameters:
    ///   - path: the `--roster` argument.
    ///   - command: the command's name, for the closing line.
    static func roster(_ path: String, command: String) throws -> Roster {
        do {
            let roster = try Roster.load(from: URL(fileURLWithPath: path), displayPath: path)
            let problems = Roster.problems(in: roster, file: path)
            if !problems.isEmpty { throw DiagnosticsError(problems) }
            return roster
        } catch {
            printError("\(error)\n\(command): fix the roster \(path); nothing was run")
            throw ExitCode.failure
        }
    }
}
