import Facts
import LabgenCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The content directory, and the only way the build reads files: every path is resolved
/// inside it, and a `../` or a symlink leading outside is refused.
public struct ContentRoot: Sendable {
    /// Absolute, symlinks resolved.
    public let url: URL
    /// How diagnostics name the root (the `--content` argument as typed).
    public let displayPath: String
    /// Set while one page is filled: notes every file a transform or handler reads or looks
    /// for, so the build cache knows what the page depends on (read files through here).
    public var readLog: ReadLog?

    public init(_ url: URL, displayPath: String? = nil) {
        self.url = url.standardizedFileURL.resolvingSymlinksInPath()
        var shown = displayPath ?? url.path
        while shown.count > 1 && shown.hasSuffix("/") { shown.removeLast() }
        self.displayPath = shown
    }

    /// `content/labs/01-dsr.md` for `labs/01-dsr.md`.
    public func display(_ relative: String) -> String {
        displayPath.isEmpty || displayPath == "." ? relative : displayPath + "/" + relative
    }

    public enum Resolution: Sendable, Equatable {
        case inside(String)
        case escapes
    }

    /// Lexically resolves `reference` (a relative path as written in a page) against the
    /// folder of `page`; the result is relative to the root.
    public static func resolve(_ reference: String, from page: String) -> Resolution {
        // Most references are plain relative names (`lab-02.md`, `img/x.png`): no `.`, `..`
        // or empty segment. They resolve by joining, without splitting.
        if isPlain(reference[...]) {
            guard let slash = page.utf8.lastIndex(of: UInt8(ascii: "/")) else { return .inside(reference) }
            let folder = page[..<slash]
            if isPlain(folder) { return .inside(folder + "/" + reference) }
        }
        return resolveBySegments(reference, from: page)
    }

    /// The general case, segment by segment.
    static func resolveBySegments(_ reference: String, from page: String) -> Resolution {
        var parts = page.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if !parts.isEmpty { parts.removeLast() }
        for part in reference.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if parts.isEmpty { return .escapes }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return .inside(parts.joined(separator: "/"))
    }

    /// A directory entry's name (`d_name` is a fixed-size C array).
    static func name(of entry: UnsafeMutablePointer<dirent>) -> String {
        withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    /// Non-empty, and no segment empty, `.` or `..` (nor one starting with a dot).
    private static func isPlain(_ path: Substring) -> Bool {
        guard let first = path.utf8.first, let last = path.utf8.last,
              first != UInt8(ascii: "."), first != UInt8(ascii: "/"), last != UInt8(ascii: "/") else { return false }
        var previous: UInt8 = 0
        for byte in path.utf8 {
            if previous == UInt8(ascii: "/"), byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") { return false }
            previous = byte
        }
        return true
    }

    public func fileURL(_ relative: String) -> URL {
        url.appendingPathComponent(relative)
    }

    /// Whether `relative` is a regular file whose real location is inside the root.
    public func isFile(_ relative: String) -> Bool {
        guard staysInside(relative) else { readLog?.note(relative, exists: false); return false }
        var isDirectory: ObjCBool = false
        let found = FileManager.default.fileExists(atPath: fileURL(relative).path, isDirectory: &isDirectory) && !isDirectory.boolValue
        readLog?.note(relative, exists: found)
        return found
    }

    /// Whether following symlinks keeps `relative` inside the root.
    public func staysInside(_ relative: String) -> Bool {
        // realpath(3) for what exists (cheaper than Foundation's walk, once per page);
        // Foundation's lexical resolution for the rest (a missing file resolves as written).
        if let resolved = realpath(url.path + "/" + relative, nil) {
            defer { free(resolved) }
            let real = String(cString: resolved)
            return real == url.path || real.hasPrefix(url.path + "/")
        }
        guard let real = Self.followingLinks(url.path + "/" + relative) else { return false }
        return real == url.path || real.hasPrefix(url.path + "/")
    }

    /// Where `path` leads once every symlink along it is followed, for a path whose end does
    /// not exist (a dangling link: `realpath` fails, but a link out of the root must still be
    /// reported as leaving it, not as missing); nil after 40 links (a loop).
    static func followingLinks(_ path: String) -> String? {
        var pending = path.split(separator: "/").map(String.init)
        var resolved: [String] = []
        var hops = 0
        while !pending.isEmpty {
            let part = pending.removeFirst()
            if part == "." || part.isEmpty { continue }
            if part == ".." { if !resolved.isEmpty { resolved.removeLast() }; continue }
            let candidate = "/" + (resolved + [part]).joined(separator: "/")
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(candidate, &buffer, buffer.count - 1)
            guard count > 0 else { resolved.append(part); continue }
            hops += 1
            if hops > 40 { return nil }
            let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if target.hasPrefix("/") { resolved = [] }
            pending = target.split(separator: "/").map(String.init) + pending
        }
        return "/" + resolved.joined(separator: "/")
    }

    /// Reads a file of the content; refuses anything whose real path leaves the root.
    public func read(_ relative: String) throws -> Data {
        guard case .inside(let clean) = Self.resolve(relative, from: ""), clean == relative, staysInside(relative) else {
            throw Diagnostic(file: display(relative), message: "'\(relative)' is outside the content directory \(displayPath)")
        }
        do {
            let data = try Data(contentsOf: fileURL(relative))
            readLog?.note(relative, contents: data)
            return data
        } catch {
            readLog?.note(relative, exists: false)
            // Foundation's message names no cause ("error 256"): read again for one in words.
            let reason: String
            do { _ = try InputFile.read(fileURL(relative)); reason = error.localizedDescription } catch { reason = error.reason }
            throw Diagnostic(file: display(relative), message: "cannot read the file: \(reason)")
        }
    }

    public func readText(_ relative: String) throws -> String {
        let data = try read(relative)
        guard let text = String(validating: data, as: UTF8.self) else {
            let at = InputFile.invalidUTF8Location(in: data) ?? .start
            throw Diagnostic(file: display(relative), line: at.line, column: at.column,
                             message: "not valid UTF-8 from here; save the file as UTF-8")
        }
        return text
    }

    /// What `folder` (relative) holds directly, in one read: the names ending in `.ext` and
    /// the sub-folders (real folders, not links to one), each sorted by name; names starting
    /// with `.` are left out. The load step reads the course's outline from it.
    /// - Parameters:
    ///   - folder: relative to the root.
    ///   - ext: the extension of the files to list, without the dot.
    public func listing(of folder: String, withExtension ext: String) -> (files: [String], folders: [String]) {
        var files: [String] = []
        var folders: [String] = []
        guard let dir = opendir(url.path + "/" + folder) else { return ([], []) }
        defer { closedir(dir) }
        let fd = dirfd(dir)
        while let entry = readdir(dir) {
            let name = Self.name(of: entry)
            if name.hasPrefix(".") { continue }
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {
                var info = stat()
                guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                type = info.st_mode & S_IFMT == S_IFDIR ? UInt8(DT_DIR) : UInt8(DT_REG)
            }
            if type == UInt8(DT_DIR) {
                folders.append(name)
            } else if name.hasSuffix("." + ext) {
                files.append(name)
            }
        }
        return (files.sorted(), folders.sorted())
    }
}
