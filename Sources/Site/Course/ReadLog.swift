import Foundation
import Markdown
import TraceView

/// Collects `FileDependency`s from the tasks filling one page.
public final class ReadLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: FileDependency] = [:]

    public init() {}

    func note(_ path: String, exists: Bool) {
        lock.lock(); defer { lock.unlock() }
        if entries[path]?.digest == nil { entries[path] = FileDependency(path: path, exists: exists, digest: nil) }
    }

    func note(_ path: String, contents: Data) {
        let digest = Digest(contents)
        lock.lock(); defer { lock.unlock() }
        entries[path] = FileDependency(path: path, exists: true, digest: digest)
    }

    /// Sorted by path, so the cache file is the same for the same build.
    public var dependencies: [FileDependency] {
        lock.lock(); defer { lock.unlock() }
        return entries.values.sorted { $0.path < $1.path }
    }
}

extension ContentRoot {
    /// Tells the build cache that the page depends on the capture a ```trace block names
    /// (TraceView opens it by path, not through this root).
    func noteCapture(of block: CodeBlock, page: String) {
        guard readLog != nil, let trace = try? TraceBlock(parsing: block.literal), let file = trace.file,
              case .inside(let path) = ContentRoot.resolve(file.value, from: page) else { return }
        _ = try? read(path)
        // The recorded example's cluster map, beside it (present or not).
        let map = (path as NSString).deletingPathExtension + ".json"
        if isFile(map) { _ = try? read(map) }
    }
}
