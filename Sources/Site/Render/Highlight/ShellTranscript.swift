/// How the lines of a shell or console block divide into commands and output.
///
/// `$ ` marks a transcript: lines starting with `$ ` or `# ` (a root prompt) are commands,
/// lines after one ending in `\` continue it, the rest is output. A shell block without any
/// `$ ` is a script: every line is a command and `# ` lines stay comments (pasting a comment
/// runs nothing, while dropping a "prompt" that was a comment would run its text). A console
/// block without prompts is all output.
public struct ShellTranscript: Sendable, Equatable {
    public enum Line: Sendable, Equatable {
        /// A command line; `prompt` bytes (`$ `, `# `, or 0 in a script) come first.
        case command(prompt: Int)
        case continuation
        case output
    }

    /// Byte range of each line in the literal (without its `\n`) and what it is.
    public var lines: [(range: Range<Int>, line: Line)]

    public static func == (a: ShellTranscript, b: ShellTranscript) -> Bool {
        a.lines.elementsEqual(b.lines) { $0.range == $1.range && $0.line == $1.line }
    }

    public var hasCommands: Bool {
        lines.contains { if case .command = $0.line { return true } else { return false } }
    }

    public init(_ b: [UInt8], console: Bool) {
        var ranges: [Range<Int>] = []
        var start = 0
        var i = 0
        let n = b.count
        while i < n {
            if b[i] == Bytes.newline {
                ranges.append(start..<i)
                start = i + 1
            }
            i += 1
        }
        if start < b.count { ranges.append(start..<b.count) }
        func prompt(_ r: Range<Int>, _ p: UInt8) -> Bool {
            r.count >= 2 && b[r.lowerBound] == p && b[r.lowerBound + 1] == Bytes.space
                || r.count == 1 && b[r.lowerBound] == p && p == Bytes.dollar
        }
        let transcript = ranges.contains { prompt($0, Bytes.dollar) } || (console && ranges.contains { prompt($0, Bytes.hash) })
        var result: [(Range<Int>, Line)] = []
        var continues = false
        for r in ranges {
            let line: Line
            if !transcript {
                line = console ? .output : (continues ? .continuation : .command(prompt: 0))
            } else if continues {
                line = .continuation
            } else if prompt(r, Bytes.dollar) || prompt(r, Bytes.hash) {
                line = .command(prompt: min(2, r.count))
            } else {
                line = .output
            }
            if case .output = line { continues = false } else { continues = r.count > 0 && b[r.upperBound - 1] == Bytes.backslash }
            result.append((r, line))
        }
        lines = result
    }

    /// The text a copy button puts on the clipboard: the commands without prompts or output,
    /// trailing blank lines dropped; nil when there is nothing to run.
    public func commands(_ b: [UInt8]) -> String? {
        var out: [String] = []
        for (r, line) in lines {
            switch line {
            case .command(let p): out.append(String(decoding: b[(r.lowerBound + p)..<r.upperBound], as: UTF8.self))
            case .continuation: out.append(String(decoding: b[r], as: UTF8.self))
            case .output: continue
            }
        }
        while let last = out.last, last.allSatisfy(\.isWhitespace) { out.removeLast() }
        return out.isEmpty ? nil : out.joined(separator: "\n")
    }
}
