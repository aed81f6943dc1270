import Foundation

/// Resolves a block's `file:` against the page and the content root. A capture path is author
/// input that ends up read from disk, so nothing outside the content root may be opened, even
/// through `..` or a symbolic link.
public enum CapturePath {
    /// The absolute, symlink-free path of the capture, or an error located on the `file:` value.
    public static func resolve(_ file: TraceBlock.Located<String>, pageDirectory: String,
                               contentRoot: String) throws(TraceError) -> String {
        let fail = { (message: String) in TraceError(line: file.line, column: file.column, message: message) }
        if file.value.hasPrefix("/") {
            throw fail("capture path `\(file.value)` must be relative to the page, inside the content root")
        }
        let joined = URL(fileURLWithPath: pageDirectory, isDirectory: true)
            .appendingPathComponent(file.value).standardizedFileURL.path
        guard isInside(joined, root: URL(fileURLWithPath: contentRoot).standardizedFileURL.path) else {
            throw fail("capture path `\(file.value)` leaves the content root")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: joined, isDirectory: &isDirectory) else {
            throw fail("capture file `\(file.value)` not found (looked for \(joined))")
        }
        guard !isDirectory.boolValue else { throw fail("capture path `\(file.value)` is a directory") }
        let real = canonical(joined)
        guard isInside(real, root: canonical(contentRoot)) else {
            throw fail("capture path `\(file.value)` leaves the content root (through a symbolic link)")
        }
        return real
    }

    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func isInside(_ path: String, root: String) -> Bool {
        let r = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(r)
    }
}

extension CapturePath {
    /// The capture a facts file names (`captures.dsr.file`), relative to the facts file's
    /// folder and never outside it: facts come from a probe or a trainer, not from the
    /// content, and may not make the build read anything else.
    /// - Parameters:
    ///   - file: the capture's `file` value.
    ///   - factsDirectory: the folder of the facts file.
    ///   - at: where the block names the capture, for errors.
    public static func resolve(_ file: String, factsDirectory: String, at: TraceBlock.Located<String>) throws(TraceError) -> String {
        let fail = { (message: String) in TraceError(line: at.line, column: at.column, message: message) }
        guard !file.hasPrefix("/") else { throw fail("the facts' capture `\(at.value)` names `\(file)`: it must be relative to the facts file") }
        let joined = URL(fileURLWithPath: factsDirectory, isDirectory: true).appendingPathComponent(file).standardizedFileURL.path
        let root = canonical(factsDirectory)
        guard isInside(joined, root: URL(fileURLWithPath: factsDirectory).standardizedFileURL.path),
              FileManager.default.fileExists(atPath: joined) else {
            throw fail("the facts' capture `\(at.value)` names `\(file)`, which is not a file inside the facts file's folder \(factsDirectory)")
        }
        let real = canonical(joined)
        guard isInside(real, root: root) else {
            throw fail("the facts' capture `\(at.value)` leaves the facts file's folder (through a symbolic link)")
        }
        return real
    }
}
