import ArgumentParser

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "(placeholder)")

    func run() async throws {
        throw ValidationError("labgen check: placeholder, replaced by its own issue")
    }
}
