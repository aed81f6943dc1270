import ArgumentParser

/// `labgen completion bash|zsh|fish`: the shell completion script, from the same command
/// definitions as `--help` (swift-argument-parser writes it), so it never drifts.
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print the shell completion script for bash, zsh or fish.",
        discussion: """
        EXAMPLES
          labgen completion bash > /etc/bash_completion.d/labgen
          labgen completion zsh > "${fpath[1]}/_labgen"
          labgen completion fish > ~/.config/fish/completions/labgen.fish

        EXIT STATUS
          0 on success, 64 for a shell other than bash, zsh or fish.
        """)

    @Argument(help: ArgumentHelp("bash, zsh or fish.", valueName: "SHELL"))
    var shell: String

    func validate() throws {
        guard CompletionShell(rawValue: shell) != nil else {
            throw ValidationError("unknown shell '\(shell)': labgen completes bash, zsh and fish")
        }
    }

    func run() throws {
        guard let shell = CompletionShell(rawValue: shell) else { return }
        print(Labgen.completionScript(for: shell))
    }
}
