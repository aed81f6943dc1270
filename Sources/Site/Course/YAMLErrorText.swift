import LabgenCore
import Facts
import Foundation
import Yams

/// A YAML parse error as one line: where, and the parser's problem in its own words.
enum YAMLErrorText {
    /// - Parameters:
    ///   - firstLine: the file line of the YAML's first line (2 for a front matter).
    ///   - what: what the YAML is, for the message ("course.yaml", "front matter").
    static func diagnostic(_ error: any Error, file: String, firstLine: Int, what: String) -> Diagnostic {
        var error = error
        // Yams' decoder wraps the parser's error in a DecodingError.
        if case DecodingError.dataCorrupted(let context) = error, let underlying = context.underlyingError { error = underlying }
        var line = firstLine, column = 1, problem = "\(error)"
        switch error {
        case YamlError.scanner(let context, let p, let mark, _), YamlError.parser(let context, let p, let mark, _),
             YamlError.composer(let context, let p, let mark, _):
            line = mark.line + firstLine - 1
            column = mark.column
            problem = p + (context.map { " (\($0.text) at line \($0.mark.line + firstLine - 1))" } ?? "")
        case YamlError.reader(let p, _, _, _):
            problem = p
        default:
            break
        }
        return Diagnostic(file: file, line: line, column: column,
                          message: "invalid YAML in \(what): \(problem); check the indentation and quote values that contain `: ` or start with a special character")
    }
}
