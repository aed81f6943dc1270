import ArgumentParser

struct DecodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decode", abstract: "(placeholder)")

    func run() async throws {
        throw ValidationError("labgen decode: placeholder, replaced by its own issue")
    }
}
