import ArgumentParser

struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "probe", abstract: "(placeholder)")

    func run() async throws {
        throw ValidationError("labgen probe: placeholder, replaced by its own issue")
    }
}
