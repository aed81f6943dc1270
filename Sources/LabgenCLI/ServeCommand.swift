import ArgumentParser

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "(placeholder)")

    func run() async throws {
        throw ValidationError("labgen serve: placeholder, replaced by its own issue")
    }
}
