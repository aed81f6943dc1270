import LabgenCore
import Foundation

/// Stage 6, write: the new site staged beside the output and swapped in as a whole
/// (`OutputTransaction`), with the marker that makes it a labgen site and the build's record.
/// A failure or a kill at any point leaves the previous site as it was.
public struct WriteStep: Sendable {
    public var output: URL
    /// Where a test stops or fails the commit.
    var faults = FaultPoints.fromEnvironment()

    /// Marks a directory as a labgen site, so a mistyped `--out ~/Documents` is never replaced.
    public static let marker = ".labgen-site"

    public init(output: URL) {
        self.output = output.standardizedFileURL
    }

    /// Replaces the output with `files` (and the marker), taking the output's lock.
    /// - Parameters:
    ///   - files: the whole new site.
    public func run(_ files: [OutputFile]) throws {
        try run(files, lock: nil)
    }

    /// Replaces the output with `files` (and the marker).
    /// - Parameters:
    ///   - files: the whole new site.
    ///   - lock: the output's lock, when the caller already holds it (else taken here).
    func run(_ files: [OutputFile], lock: OutputLock?) throws {
        let lock = try lock ?? OutputLock.acquireBlocking(for: output)
        try checkReplaceable()
        let transaction = try begin(lock: lock)
        do {
            for file in files { try transaction.write(file.path, file.contents) }
            try finish(transaction, record: nil)
        } catch {
            transaction.abort()
            throw error
        }
    }

    /// Opens the new site, staged beside the output: what the stages write goes there.
    /// - Parameters:
    ///   - lock: the output's lock, held until `finish` or the transaction's `abort`.
    func begin(lock: OutputLock) throws -> OutputTransaction {
        try OutputTransaction(output: output, lock: lock, faults: faults)
    }

    /// Puts the new site in place: the marker and the build's record (if any) written, then
    /// the staged site swapped in whole. Only what this build made goes over: a file added
    /// by hand or a page removed since the last build is not in the new site.
    /// - Parameters:
    ///   - transaction: the staged site (`begin`).
    ///   - record: the build's record for the next build (`BuildCache`), or nil.
    func finish(_ transaction: OutputTransaction, record: Data?) throws {
        try transaction.write(Self.marker, Data())
        if let record { try transaction.write(BuildCache.fileName, record) }
        try transaction.commit()
    }

    /// The output must be absent, empty, or a labgen site.
    func checkReplaceable() throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: output.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw Diagnostic(file: output.path, message: "output exists and is not a directory")
        }
        let entries = (try? fm.contentsOfDirectory(atPath: output.path)) ?? []
        guard entries.isEmpty || entries.contains(Self.marker) else {
            throw Diagnostic(file: output.path, message: "refusing to replace a directory labgen did not make (no \(Self.marker) in it)")
        }
    }

    /// Relative, no `..`, no empty or `.` components.
    static func isSafe(_ path: String) -> Bool {
        guard !path.hasPrefix("/"), !path.isEmpty else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}
