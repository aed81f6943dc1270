import LabgenCore

/// Bounds how deep a YAML text may nest before Yams reads it. Yams composes and decodes its
/// node tree recursively, so front matter like `title: [[[[…` (100,000 brackets) or 50,000
/// nested `{a: ` in course.yaml overflowed the stack. The scan over-estimates the nesting
/// (indentation, `- ` runs and open `[`/`{` outside quotes and comments, added up), so
/// nothing deeper than the limit reaches Yams; real course files, front matter and rosters
/// stay under 10.
public enum YAMLNesting {
    /// The most nesting (as estimated) a YAML text may have.
    public static let maxDepth = 64

    /// Throws at the first place where the estimated nesting passes `maxDepth`.
    /// - Parameters:
    ///   - text: the YAML text.
    ///   - file: the file as diagnostics name it.
    ///   - firstLine: the file's line of the text's first line (front matter starts at 2).
    public static func check(_ text: String, file: String, firstLine: Int = 1) throws(Diagnostic) {
        var line = firstLine
        var column = 1
        var indent = 0, dashes = 0
        var atLineStart = true      // still in the indentation and `- ` runs
        var flow = 0                // open `[`/`{`
        var quote: UInt8?           // inside a '…' or "…" scalar
        var inComment = false
        var previous: UInt8 = 0x0A
        var escaped = false
        for byte in text.utf8 {
            defer {
                // Columns in Unicode scalars: a continuation byte (10xxxxxx) starts none.
                if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
                previous = byte
            }
            if byte == 0x0A {
                indent = 0; dashes = 0; atLineStart = true; inComment = false
                continue
            }
            if inComment { continue }
            if let q = quote {
                if escaped { escaped = false } else if q == 0x22, byte == 0x5C { escaped = true } else if byte == q { quote = nil }
                continue
            }
            if atLineStart {
                if byte == 0x20 { indent += 1; continue }
                if byte == 0x2D || byte == 0x3F {       // `-`, `?`: counted if a space follows
                    dashes += 1
                    try bound(indent + dashes + flow, file, line, column)
                    continue
                }
                atLineStart = false
            }
            let afterBlank = previous == 0x20 || previous == 0x09 || previous == 0x0A
            switch byte {
            case 0x23 where afterBlank: inComment = true                      // `#`
            case 0x22, 0x27:                                                  // `"`, `'`
                let opensScalar = afterBlank || [0x5B, 0x7B, 0x2C, 0x3A, 0x2D, 0x3F].contains(previous)
                if opensScalar { quote = byte }
            case 0x5B, 0x7B:                                                  // `[`, `{`
                flow += 1
                try bound(indent + dashes + flow, file, line, column)
            case 0x5D, 0x7D: flow = max(0, flow - 1)                          // `]`, `}`
            default:
                try bound(indent + dashes + flow, file, line, column)
            }
        }
    }

    private static func bound(_ depth: Int, _ file: String, _ line: Int, _ column: Int) throws(Diagnostic) {
        guard depth > maxDepth else { return }
        throw Diagnostic(file: file, SourcePosition(line: line, column: column),
                         "YAML nested deeper than \(maxDepth) levels (indentation, `- ` and brackets): flatten it")
    }
}
