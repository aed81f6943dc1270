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
          - inline HTML tags left open in their paragraph (<ins>…<ins>).

        EXIT STATUS
          0 when nothing is wrong, 1 when any error was found.
        """)

    @OptionGroup var options: ContentOptions

    func run() async throws {
        let build = SiteBuild(content: options.contentRoot, output: URL(fileURLWithPath: "/nonexistent"),
                              templatesDirectory: options.templatesURL,
                              factsFile: options.facts.map { URL(fileURLWithPath: $0) })
        let diagnostics = await build.check()
        for diagnostic in diagnostics { Console.error(diagnostic.description) }
        let errors = diagnostics.filter { $0.severity == .error }.count
        if errors > 0 {
            Console.error("labgen check: \(errors) error\(errors == 1 ? "" : "s")")
            throw ExitCode.failure
        }
        Console.error("labgen check: no problem found")
    }
}
