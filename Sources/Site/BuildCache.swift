import Foundation

/// What the previous build made from what: stored in the output (`.labgen-cache.json`),
/// swapped or replaced together with the files it describes, so it always describes the site
/// it sits in. Keys are digests of inputs; a page is rebuilt when any of its keys changes.
struct BuildCache: Codable, Sendable {
    static let fileName = ".labgen-cache.json"
    /// Bumped when the format or the meaning of a key changes.
    static let format = 1

    var format = Self.format
    /// The labgen binary that built the site (a new labgen may render differently).
    var tool: String
    /// Templates and their assets, course.yaml, the facts file.
    var templates: Digest
    var course: Digest
    var facts: Digest
    /// Every page's output path and title, in order: in every page's sidebar and pager.
    var navigation: Digest
    /// By source path.
    var pages: [String: Page]
    /// Output path → digest, for files copied from templates or content.
    var files: [String: Digest]

    struct Page: Codable, Sendable {
        /// The page text as loaded (front matter title included).
        var source: Digest
        /// Whether its fill reads the facts (it has placeholders or blocks a handler takes).
        var usesFacts: Bool
        var dependencies: [FileDependency]
        var summary: PageSummary
        /// Everything its HTML depends on, combined.
        var render: Digest
        var output: String
        var size: Int
    }

    static func load(from output: URL) -> BuildCache? {
        guard let data = try? Data(contentsOf: output.appendingPathComponent(fileName)),
              let cache = try? JSONDecoder().decode(BuildCache.self, from: data),
              cache.format == format, cache.tool == toolIdentity else { return nil }
        return cache
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// The running labgen: path, size and modification time of its executable, so a rebuilt
    /// labgen never trusts pages an older one rendered.
    static let toolIdentity: String = {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments.first ?? "labgen"
        let attributes = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "labgen \(path) \(size) \(modified) format \(format)"
    }()
}
