import Foundation
import Site

extension ContentOptions {
    /// The one place the CLI assembles a build, so `build` and `serve` render identically.
    func siteBuild(out: String) -> SiteBuild {
        SiteBuild(content: contentRoot, output: URL(fileURLWithPath: out),
                  templatesDirectory: templatesURL,
                  factsFile: facts.map { URL(fileURLWithPath: $0) })
    }

    /// What `serve` watches: the content, the templates and the facts file.
    var watchedInputs: [URL] {
        [URL(fileURLWithPath: content), templatesURL] + (facts.map { [URL(fileURLWithPath: $0)] } ?? [])
    }
}
