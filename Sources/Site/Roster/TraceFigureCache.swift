import Facts
import Foundation

/// Trace figures per attendee: a trace reads the facts only for the attendee's own capture
/// and the DSR option their SYN must carry (`TraceEmbed.factsKey`); two attendees with the
/// same such values get the same figure, rendered once.
final class TraceFigureCache: @unchecked Sendable {
    private let lock = NSLock()
    private var figures: [String: String] = [:]

    func figure(_ key: String, render: () throws -> String?) rethrows -> String? {
        lock.lock()
        let found = figures[key]
        lock.unlock()
        if let found { return found }
        guard let made = try render() else { return nil }
        lock.lock()
        figures[key] = made
        lock.unlock()
        return made
    }
}
