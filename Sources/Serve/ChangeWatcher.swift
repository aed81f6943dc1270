import Foundation

/// What the watched inputs look like now: every file under the watched folders (and the
/// watched files) with its modification time and size. Polling snapshots is deterministic
/// and needs nothing from the kernel; a course is a few hundred files at most. Symbolic
/// links are stamped as links and never followed, so a link to `.` or to `/usr` adds one
/// entry, not a loop or a tree outside the course.
public struct InputSnapshot: Equatable, Sendable {
    public struct Stamp: Equatable, Sendable {
        var modified: Double
        var size: Int
    }

    public var files: [String: Stamp]

    /// `excluding`: a folder never looked into (the output, should it sit inside an input).
    public init(watching paths: [URL], excluding excluded: [URL] = []) {
        let fm = FileManager.default
        let skip = Set(excluded.map { $0.standardizedFileURL.path })
        var files: [String: Stamp] = [:]
        // attributesOfItem is lstat: a symlink is stamped as itself, never followed.
        func stamp(_ attributes: [FileAttributeKey: Any]) -> Stamp {
            let date = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return Stamp(modified: date, size: (attributes[.size] as? NSNumber)?.intValue ?? 0)
        }
        for root in paths.map({ $0.standardizedFileURL }) {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
                files[root.path] = Stamp(modified: -1, size: -1)     // missing: a change when it appears
                continue
            }
            guard isDirectory.boolValue else {
                files[root.path] = (try? fm.attributesOfItem(atPath: root.path)).map(stamp)
                continue
            }
            var stack = [root.path]
            while let dir = stack.popLast() {
                guard !skip.contains(dir), let names = try? fm.contentsOfDirectory(atPath: dir) else { continue }
                for name in names where !name.hasPrefix(".") {
                    let path = dir + "/" + name
                    guard let attributes = try? fm.attributesOfItem(atPath: path) else { continue }
                    // A symlinked folder is not walked: `ln -s . content/a` would loop (each
                    // level a new path) and a link to /usr would stamp the whole system.
                    if attributes[.type] as? FileAttributeType == .typeDirectory {
                        stack.append(path)
                    } else {
                        files[path] = stamp(attributes)
                    }
                }
            }
        }
        self.files = files
    }

    /// Files added, removed or modified since `old`, sorted (for the terminal message).
    public func changes(since old: InputSnapshot) -> [String] {
        var changed: [String] = []
        for (path, stamp) in files where old.files[path] != stamp { changed.append(path) }
        for path in old.files.keys where files[path] == nil { changed.append(path) }
        return changed.sorted()
    }
}
