// The default theme, built into the binary from templates/ (the one copy people edit): this
// build-tool plugin lists templates/ and has `EmbedThemeTool` write `DefaultTheme.swift`
// into the build folder, so a change to any template rebuilds the embedded copy.
import Foundation
import PackagePlugin

@main
struct EmbedTheme: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let templates = context.package.directoryURL.appending(path: "templates")
        let output = context.pluginWorkDirectoryURL.appending(path: "DefaultTheme.swift")
        let names = (FileManager.default.subpaths(atPath: templates.path) ?? []).sorted()
        var inputs: [URL] = []
        for name in names where !name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
            var isDirectory: ObjCBool = false
            let url = templates.appending(path: name)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                inputs.append(url)
            }
        }
        return [.buildCommand(
            displayName: "Embedding templates/ as the default theme",
            executable: try context.tool(named: "EmbedThemeTool").url,
            arguments: [templates.path, output.path] + inputs.map(\.path),
            inputFiles: inputs,
            outputFiles: [output])]
    }
}
