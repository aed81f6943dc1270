import LabgenCore
import ArgumentParser
import Foundation
import Site

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the course for broken links, anchors, files and HTML.",
        discussion: """
        Runs the build's load, parse, fill and check steps without writing anything, and \
        reports on stderr, as FILE:LINE:COL: error: MESSAGE:
          - links to pages that do not exist, and to anchors no heading produces \
        (anchors are French slugs: "Création du Cluster" is #creation-du-cluster);
          - missing images and downloads;
          - absolute paths (/x) and ../ or symlinks leading outside the content directory;
          - inline HTML tags left open in their paragraph (<ins>…<ins>);
          - as warnings, values of the default facts written as literals outside a recorded \
        example (`172.18.0.2 is nodes[1].ip: write ${{ node("kind-worker").ip }}`).

        EXIT STATUS
          0 when nothing is wrong (warnings allowed unless --strict), 1 when any error was found.
        """)

    @OptionGroup var options: ContentOptions

    @Flag(help: "Treat warnings (literal values that should be parameters) as errors.")
    var strict = false

    func run() async throws {
        let build = SiteBuild(content: options.contentRoot, output: URL(fileURLWithPath: "/nonexistent"),
                              templatesDirectory: options.templatesURL,
                              factsFile: options.facts.map { URL(fileURLWithPath: $0) })
        let diagnostics = await build.check().map { d -> Diagnostic in
            var d = d
            if strict { d.severity = .error }
            return d
        }
        for diagnostic in diagnostics { Console.error(diagnostic.description) }
        let errors = diagnostics.filter { $0.severity == .error }.count
        if errors > 0 {
            Console.error("labgen check: \(errors) error\(errors == 1 ? "" : "s")")
            throw ExitCode.failure
        }
        if !diagnostics.isEmpty {
            Console.error("labgen check: \(diagnostics.count) warning\(diagnostics.count == 1 ? "" : "s") (--strict makes them errors)")
            return
        }
        Console.error("labgen check: no problem found")
    }
}
