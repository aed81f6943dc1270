import ArgumentParser

/// The root command: only routes to one small type per subcommand.
public struct Labgen: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "labgen",
        abstract: "Turn French hands-on lab markdown into a hosted HTML course and per-attendee handouts.",
        discussion: """
        labgen renders content/ (GitHub-flavoured markdown, through the system libcmark-gfm) \
        with templates/ into site/, filling every cluster-specific value from a facts file. \
        `labgen probe` reads those facts from a live KinD/Cilium cluster; packet captures are \
        decoded and embedded in the pages.
        """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, BuildCommand.self, CheckCommand.self, ServeCommand.self,
            DecodeCommand.self, ProbeCommand.self, CaptureCommand.self, CompletionCommand.self,
        ]
    )

    public init() {}
}
