import LabgenCore
import Foundation

/// Headless Chromium from Debian, to print handouts to PDF.
struct Chromium: Sendable {
    var executable: String

    static func find() throws -> Chromium {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for dir in path.split(separator: ":") {
                let candidate = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return Chromium(executable: candidate) }
            }
        }
        throw Diagnostic(file: "labgen", message: "--pdf needs headless Chromium, which is not installed (Debian: apt-get install chromium); build without --pdf, or print handout.html from a browser")
    }

    /// Prints `html` (with `assets`, the files it links, beside it) in a scratch folder,
    /// returns the PDF.
    func printToPDF(html: String, assets: [OutputFile]) throws -> Data {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("labgen-pdf-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        for asset in assets {
            let url = dir.appendingPathComponent(asset.path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try asset.contents.write(to: url)
        }
        let page = dir.appendingPathComponent("handout.html")
        try Data(html.utf8).write(to: page)
        let pdf = dir.appendingPathComponent("handout.pdf")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                             "--user-data-dir=" + dir.appendingPathComponent("profile").path,
                             "--print-to-pdf=" + pdf.path, page.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = try? Data(contentsOf: pdf), data.starts(with: Array("%PDF".utf8)) else {
            throw Diagnostic(file: executable, message: "Chromium could not print the handout to PDF (exit \(process.terminationStatus))")
        }
        return data
    }
}
