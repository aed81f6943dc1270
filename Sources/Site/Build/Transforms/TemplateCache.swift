import LabgenCore
import Facts
import Foundation

/// Parsed templates by source text and position, shared by every edition of a build: a
/// page's parameters are parsed once, then filled once per attendee.
final class TemplateCache: @unchecked Sendable {
    struct Key: Hashable {
        var pieces: [TemplatePiece]
        var file: String
    }
    private var entries: [Key: Result<Template, DiagnosticsError>] = [:]
    private let lock = NSLock()

    func template(_ pieces: [TemplatePiece], file: String) -> Result<Template, DiagnosticsError> {
        let key = Key(pieces: pieces, file: file)
        lock.lock()
        let cached = entries[key]
        lock.unlock()
        if let cached { return cached }
        let parsed: Result<Template, DiagnosticsError>
        do { parsed = .success(try Template(parsing: pieces, file: file)) } catch { parsed = .failure(error) }
        lock.lock()
        entries[key] = parsed
        lock.unlock()
        return parsed
    }
}
