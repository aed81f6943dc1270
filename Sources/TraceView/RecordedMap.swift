import Foundation
import Facts

/// The cluster map of a recorded example, kept next to its capture (`seed-dsr.pcap` →
/// `seed-dsr.json`, the shape of a facts `captures` entry): the recording is annotated from
/// the cluster it was taken on, whoever reads it.
enum RecordedMap {
    /// The map beside `capturePath`; nil and why (plain text for the page) when there is no
    /// such file; an error message when the file does not read as a capture entry.
    static func load(beside capturePath: String) -> Result<(Facts.CaptureMap?, String?), MapError> {
        let url = URL(fileURLWithPath: capturePath).deletingPathExtension().appendingPathExtension("json")
        guard url.path != capturePath, let data = FileManager.default.contents(atPath: url.path) else {
            return .success((nil, "pas de fichier \(url.lastPathComponent) à côté de la capture"))
        }
        do {
            return .success((try JSONDecoder().decode(Facts.Capture.self, from: data).map, nil))
        } catch {
            return .failure(MapError(message: "the cluster map \(url.lastPathComponent) next to the capture does not read as a capture entry (file, takenAt, command, map): \(error)"))
        }
    }

    struct MapError: Error { var message: String }
}
