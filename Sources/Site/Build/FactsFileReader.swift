import LabgenCore
import Foundation
import Facts

/// A facts file as the build reads it (default facts in the content, `--facts FILE`, an
/// attendee's): loaded and validated by the Facts target's `FactsLoader`, its problems turned
/// into build diagnostics carrying the line and column of the offending value (`labgen probe`
/// writes them: Probe's `FactsFile`).
public enum FactsFileReader {
    public static func load(data: Data, displayPath: String, validate: Bool = true) throws -> Facts {
        do {
            return try Facts.load(bytes: Array(data), file: displayPath, validate: validate)
        } catch {
            let diagnostics = error.diagnostics
            if diagnostics.count == 1 { throw diagnostics[0] }
            throw BuildFailure(diagnostics)
        }
    }

    public static func load(file url: URL, displayPath: String) throws -> Facts {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            let missing = !FileManager.default.fileExists(atPath: url.path)
            throw Diagnostic(file: displayPath, message: missing
                ? "facts file not found: check the path, or write it with `labgen probe -o \(displayPath)`"
                : "cannot read the facts file (is it a folder, or unreadable?)")
        }
        var facts = try load(data: data, displayPath: displayPath)
        facts.directory = url.deletingLastPathComponent().path
        return facts
    }
}
