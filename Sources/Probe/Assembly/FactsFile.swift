import Foundation
import Facts

/// Writes facts so that a reader sees the old file or the new one, never half of either:
/// canonical JSON into a temporary file beside the target, then `rename(2)`.
public enum FactsFile {
    public static func write(_ facts: Facts, to url: URL) throws {
        try AtomicFile.write(facts.encoded(), to: url)
    }

    /// Writes freshly probed facts over `url`, keeping the captures the previous facts there
    /// recorded (`labgen capture`): each carries its own cluster map, so it stays true to
    /// what it shows even if the cluster changed since.
    /// - Parameters:
    ///   - facts: the probed facts (a probe records no capture).
    ///   - url: the attendee's facts file.
    public static func writeProbed(_ facts: Facts, to url: URL) throws {
        var facts = facts
        if facts.captures == nil, let previous = try? Facts.load(contentsOf: url) {
            facts.captures = previous.captures
        }
        try write(facts, to: url)
    }
}

public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let temporary = try prepare(data, for: url)
        do { try commit(temporary, to: url) } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Writes `data` to a hidden temporary file beside `url` (same file system, so the rename
    /// is atomic) and returns it; `commit` renames it into place.
    /// - Parameters:
    ///   - data: the new contents.
    ///   - url: the file it will replace.
    public static func prepare(_ data: Data, for url: URL) throws -> URL {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do { try data.write(to: temporary) } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        return temporary
    }

    /// Renames a file made by `prepare` over `url`.
    /// - Parameters:
    ///   - temporary: what `prepare` returned.
    ///   - url: the file to replace.
    public static func commit(_ temporary: URL, to url: URL) throws {
        guard rename(temporary.path, url.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }
}
