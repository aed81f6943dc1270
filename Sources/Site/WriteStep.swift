import Foundation

/// Step 6, write: everything goes to a fresh directory next to the output, which then
/// replaces the output by renames. A failure at any point leaves the previous site as it was.
public struct WriteStep: Sendable {
    public var output: URL

    /// Marks a directory as a labgen site, so a mistyped `--out ~/Documents` is never replaced.
    public static let marker = ".labgen-site"

    public init(output: URL) {
        self.output = output.standardizedFileURL
    }

    public func run(_ files: [OutputFile]) throws {
        let fm = FileManager.default
        let parent = output.deletingLastPathComponent()
        let name = output.lastPathComponent
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: output.path, isDirectory: &isDirectory)
        if exists {
            guard isDirectory.boolValue else {
                throw Diagnostic(file: output.path, message: "output exists and is not a directory")
            }
            let entries = (try? fm.contentsOfDirectory(atPath: output.path)) ?? []
            guard entries.isEmpty || entries.contains(Self.marker) else {
                throw Diagnostic(file: output.path, message: "refusing to replace a directory labgen did not make (no \(Self.marker) in it)")
            }
        }
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = parent.appendingPathComponent(".\(name).new-\(pid)")
        let previous = parent.appendingPathComponent(".\(name).old-\(pid)")
        try? fm.removeItem(at: staging)
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            var written: Set<String> = []
            for file in files {
                guard Self.isSafe(file.path) else {
                    throw Diagnostic(file: file.path, message: "output path leaves the output directory")
                }
                guard written.insert(file.path).inserted else {
                    throw Diagnostic(file: file.path, message: "two outputs want the same path")
                }
                let url = staging.appendingPathComponent(file.path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.contents.write(to: url)
            }
            try Data().write(to: staging.appendingPathComponent(Self.marker))
            if exists {
                try fm.moveItem(at: output, to: previous)
                do {
                    try fm.moveItem(at: staging, to: output)
                } catch {
                    try? fm.moveItem(at: previous, to: output)
                    throw error
                }
                try? fm.removeItem(at: previous)
            } else {
                try fm.moveItem(at: staging, to: output)
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }

    /// Relative, no `..`, no empty or `.` components.
    static func isSafe(_ path: String) -> Bool {
        guard !path.hasPrefix("/"), !path.isEmpty else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}
