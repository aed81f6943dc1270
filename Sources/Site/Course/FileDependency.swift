import Foundation
import Markdown
import TraceView

/// A file of the content a page's fill looked at: read (with a digest of what it read) or
/// only checked for. The cache rebuilds the page when any of these changes.
public struct FileDependency: Sendable, Codable, Hashable {
    public var path: String
    public var exists: Bool
    /// nil when the file was only checked for, not read.
    public var digest: Digest?

    /// Whether the content still looks the same to a page.
    func holds(in content: ContentRoot) -> Bool {
        var plain = content
        plain.readLog = nil
        guard let digest else { return plain.isFile(path) == exists }
        guard let data = try? plain.read(path) else { return !exists }
        return exists && Digest(data) == digest
    }
}
