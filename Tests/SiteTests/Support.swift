import Foundation
@testable import Site

enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("templates")

    /// A fresh copy of a fixture content dir in a temporary folder (tests may edit it).
    static func copy(_ name: String) throws -> URL {
        let dir = try temporaryDirectory()
        let target = dir.appendingPathComponent("content")
        try FileManager.default.copyItem(at: root.appendingPathComponent(name), to: target)
        return target
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labgen-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func build(_ content: URL, out: URL) -> SiteBuild {
        SiteBuild(content: ContentRoot(content, displayPath: "content"), output: out, templatesDirectory: templates)
    }

    /// Every file under `dir`, relative path → bytes.
    static func tree(_ dir: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let base = dir.resolvingSymlinksInPath().path
        let enumerator = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let url as URL in enumerator where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            let path = url.resolvingSymlinksInPath().path
            files[String(path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
        }
        return files
    }
}
