import LabgenCore
import Foundation

/// The files of the theme a build uses: the built-in theme (`DefaultTheme`, generated from
/// labgen's `templates/` at build time) with a course's own `templates/` laid over it, file
/// by file: a course overrides one partial or one stylesheet and keeps the rest.
struct ThemeFiles {
    struct File {
        var data: Data
        /// How diagnostics name it: the overriding file's path, or where the built-in one
        /// comes from.
        var display: String
    }

    /// Path relative to the theme root (`page.mustache`, `assets/style.css`), sorted.
    private(set) var files: [(path: String, file: File)] = []

    /// The built-in files, then those under `directory` (if it exists) replacing or adding.
    /// Hidden files and folders are skipped; a file that cannot be read is an error naming it.
    /// - Parameters:
    ///   - directory: the course's templates folder (need not exist).
    init(overriding directory: URL) throws {
        var byPath: [String: File] = [:]
        for (path, base64) in DefaultTheme.files {
            byPath[path] = File(data: Data(base64Encoded: base64) ?? Data(), display: "templates/\(path) (built into labgen)")
        }
        let fm = FileManager.default
        let root = directory.standardizedFileURL
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: root.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw Diagnostic(file: directory.path, message: "the templates path is a file, not a folder: "
                                 + "make it a folder of the theme files to override, or remove it")
            }
            for path in (fm.subpaths(atPath: root.path) ?? []).sorted()
            where !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                let url = root.appendingPathComponent(path)
                guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                do {
                    byPath[path] = File(data: try Data(contentsOf: url), display: url.path)
                } catch {
                    throw Diagnostic(file: url.path, message: "cannot read this template file (check its permissions)")
                }
            }
        }
        files = byPath.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// A digest of every file (path and bytes), for the build cache.
    var digest: Digest {
        Digest.combining(files.flatMap { [Digest($0.path), Digest($0.file.data)] })
    }
}
