import LabgenCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reading a file the user named (`--facts`, `--roster`, a roster's secret, a page) with a
/// reason a person can act on — "no such file", "is a directory, not a file", "permission
/// denied" — instead of Foundation's `NSCocoaErrorDomain error 256` or `Code=260`.
public enum InputFile {
    /// Why a file could not be read, as a short clause ("is a directory, not a file").
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The whole file at `url`.
    ///
    /// - Parameters:
    ///   - url: a file URL.
    /// - Throws: `Problem` saying why, in words.
    public static func read(_ url: URL) throws(Problem) -> Data {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Problem(reason: reason(errno)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Problem(reason: reason(errno)) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw Problem(reason: "is a directory, not a file") }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = Glibc.read(descriptor, &buffer, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw Problem(reason: reason(errno))
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return data
    }

    /// `errno` in words, with what to check.
    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file (check the path)"
        case ENOTDIR: "a folder of this path is a file (check the path)"
        case EACCES, EPERM: "permission denied (check the file's permissions with `ls -l`)"
        case ELOOP: "too many symbolic links (a symlink loop?)"
        default: String(cString: strerror(code))
        }
    }

    /// Where the first byte sequence that is not UTF-8 starts, as line and column (columns
    /// in Unicode scalars, as every diagnostic counts them: the valid ones before it, plus
    /// one); nil when `bytes` are valid UTF-8.
    ///
    /// - Parameters:
    ///   - bytes: the file's contents.
    public static func invalidUTF8Location<C: Collection>(in bytes: C) -> SourcePosition? where C.Element == UInt8 {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        // Scalars of the current line before the next one.
        var line = 1, column = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput:
                return nil
            case .error:
                return SourcePosition(line: line, column: column)
            }
        }
    }
}
