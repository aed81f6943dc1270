import Foundation
import Facts

/// Writes facts so that a reader sees the old file or the new one, never half of either:
/// canonical JSON into a temporary file beside the target, then `rename(2)`.
public enum FactsFile {
    public static func write(_ facts: Facts, to url: URL) throws {
        try AtomicFile.write(facts.encoded(), to: url)
    }
}

public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
