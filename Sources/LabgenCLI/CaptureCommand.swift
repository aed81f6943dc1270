import ArgumentParser

struct CaptureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "capture", abstract: "(placeholder)")

    func run() async throws {
        throw ValidationError("labgen capture: placeholder, replaced by its own issue")
    }
}
