import Foundation
import Facts

/// Saves a capture and records it in the facts it was taken with: the pcap below the facts
/// file's folder, and `captures.NAME` (file, time, command, cluster map) in the facts.
///
/// Both files are written to temporary files first and renamed into place only when both
/// are complete, so a failed capture leaves the previous pcap and facts as they were.
public struct CaptureStore: Sendable {
    /// The attendee's facts file, updated in place.
    public var factsFile: URL
    /// The capture's name in the facts (`dsr`), which trace blocks refer to.
    public var name: String
    /// Where the pcap goes; default `captures/<facts file name>/<name>.pcap` beside the facts.
    public var pcapFile: URL

    /// - Parameters:
    ///   - factsFile: the facts the capture is recorded in.
    ///   - name: the capture's name.
    ///   - pcapFile: an explicit place for the pcap, below the facts file's folder.
    public init(factsFile: URL, name: String = "dsr", pcapFile: URL? = nil) {
        self.factsFile = factsFile.standardizedFileURL
        self.name = name
        let stem = factsFile.deletingPathExtension().lastPathComponent
        self.pcapFile = (pcapFile ?? factsFile.deletingLastPathComponent()
            .appendingPathComponent("captures").appendingPathComponent(stem)
            .appendingPathComponent("\(name).pcap")).standardizedFileURL
    }

    /// The pcap's path as the facts record it: relative to the facts file's folder.
    public func relativePCAPPath() throws -> String {
        let folder = factsFile.deletingLastPathComponent().path
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        guard pcapFile.path.hasPrefix(prefix) else {
            throw ProbeError("\(pcapFile.path) is not below \(folder), the folder of \(factsFile.lastPathComponent): the facts could not name it",
                             advice: "save the capture below the facts file's folder (default: captures/\(factsFile.deletingPathExtension().lastPathComponent)/\(name).pcap)")
        }
        return String(pcapFile.path.dropFirst(prefix.count))
    }

    /// Checks the name and the destination before anything is captured.
    public func validate() throws {
        guard name.wholeMatch(of: #/[a-z0-9]([-a-z0-9]*[a-z0-9])?/#) != nil else {
            throw ProbeError("\"\(name)\" is not a capture name", advice: "use lower-case letters, digits and `-`, e.g. --name dsr")
        }
        _ = try relativePCAPPath()
    }

    /// Reads the facts (validated), so a capture is never taken for facts that cannot be saved.
    public func loadFacts() throws -> Facts {
        do { return try Facts.load(contentsOf: factsFile) } catch {
            throw ProbeError("cannot use \(factsFile.path): \(error)", advice: "run `labgen probe` to write this attendee's facts first")
        }
    }

    /// Writes the pcap and the facts naming it; returns the facts as saved.
    /// - Parameters:
    ///   - taken: the capture brought back by `Capturer`.
    ///   - plan: the plan it was taken with (its cluster map is recorded).
    ///   - facts: the facts the plan was made from.
    @discardableResult
    public func save(_ taken: Capturer.Taken, plan: CaptureRecipe.Plan, into facts: Facts) throws -> Facts {
        var facts = facts
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var captures = facts.captures ?? [:]
        captures[name] = Facts.Capture(file: try relativePCAPPath(), takenAt: formatter.string(from: taken.takenAt),
                                       command: taken.command, map: plan.map)
        facts.captures = captures
        let encoded = try facts.encoded()
        // What is saved must load again (the build reads it back).
        do { _ = try Facts.load(bytes: Array(encoded), file: factsFile.path) } catch {
            throw ProbeError("the updated facts would not load: \(error)", advice: "nothing was saved; report this as a bug")
        }
        let pcapTemporary = try AtomicFile.prepare(taken.data, for: pcapFile)
        let factsTemporary: URL
        do { factsTemporary = try AtomicFile.prepare(encoded, for: factsFile) } catch {
            try? FileManager.default.removeItem(at: pcapTemporary)
            throw error
        }
        do {
            try AtomicFile.commit(pcapTemporary, to: pcapFile)
            try AtomicFile.commit(factsTemporary, to: factsFile)
        } catch {
            try? FileManager.default.removeItem(at: pcapTemporary)
            try? FileManager.default.removeItem(at: factsTemporary)
            throw error
        }
        return facts
    }
}
