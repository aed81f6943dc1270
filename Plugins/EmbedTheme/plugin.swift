// Files of the repository built into the binary, from the one copy people edit: for the
// Site target, templates/ (the default theme, `DefaultTheme`); for LabgenCLI, starter/ (the
// course `labgen init` writes, `StarterCourse`). This build-tool plugin lists the folder and
// has `EmbedThemeTool` write the Swift file into the build folder, so a change to any of
// those files rebuilds the embedded copy.
import Foundation
import PackagePlugin

@main
struct EmbedTheme: BuildToolPlugin {
    /// Target → (folder of the package, generated enum).
    static let embedded = ["Site": ("templates", "DefaultTheme"), "LabgenCLI": ("starter", "StarterCourse")]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let (folder, name) = Self.embedded[target.name] else { return [] }
        let root = context.package.directoryURL.appending(path: folder)
        let output = context.pluginWorkDirectoryURL.appending(path: "\(name).swift")
        let paths = (FileManager.default.subpaths(atPath: root.path) ?? []).sorted()
        var inputs: [URL] = []
        for path in paths where !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
            var isDirectory: ObjCBool = false
            let url = root.appending(path: path)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                inputs.append(url)
            }
        }
        return [.buildCommand(
            displayName: "Embedding \(folder)/ as \(name)",
            executable: try context.tool(named: "EmbedThemeTool").url,
            arguments: [name, root.path, output.path] + inputs.map(\.path),
            inputFiles: inputs,
            outputFiles: [output])]
    }
}
