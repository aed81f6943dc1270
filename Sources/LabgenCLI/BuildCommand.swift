import ArgumentParser

struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "(placeholder)")

    func run() async throws {
        throw ValidationError("labgen build: placeholder, replaced by its own issue")
    }
}
