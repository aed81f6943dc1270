import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Packets

/// tshark and tcpdump, run for real on capture files the tests write.
enum Oracle {
    struct TField: Equatable {
        var name: String; var pos: Int; var size: Int; var show: String; var hidden: Bool; var isProto: Bool
        /// tshark's own conclusions (stream index, analysis, times, expert notes): no bytes behind them.
        var generated = false
    }

    static func find(_ tool: String) -> String? {
        ["/usr/bin/\(tool)", "/usr/sbin/\(tool)", "/bin/\(tool)"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ path: String, _ args: [String], env: [String: String] = [:]) throws -> (out: Data, err: String, status: Int32) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        var e = ProcessInfo.processInfo.environment
        for (k, v) in env { e[k] = v }
        p.environment = e
        let outURL = FileManager.default.temporaryDirectory.appendingPathComponent("oracle-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL) }
        let out = try FileHandle(forWritingTo: outURL)
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try out.close()
        let outData = try Data(contentsOf: outURL)
        let errData = Data()
        return (outData, String(decoding: errData, as: UTF8.self), p.terminationStatus)
    }

    static let tsharkOptions = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                                "-o", "udp.check_checksum:TRUE", "-d", "udp.port==8472,vxlan"]

    /// tshark's dissection of every packet, as flat lists of PDML fields.
    static func pdml(_ file: String) throws -> [[TField]] {
        guard let tshark = find("tshark") else { throw OracleMissing(tool: "tshark") }
        let r = try run(tshark, ["-r", file, "-T", "pdml"] + tsharkOptions)
        let parser = XMLParser(data: r.out)
        let d = PDMLDelegate()
        parser.delegate = d
        _ = parser.parse()
        return d.packets
    }

    /// tcpdump's lines (`-nn -e`, UTC).
    static func tcpdump(_ file: String) throws -> [String] {
        guard let tcpdump = find("tcpdump") else { throw OracleMissing(tool: "tcpdump") }
        let r = try run(tcpdump, ["-nn", "-e", "-r", file], env: ["TZ": "UTC"])
        return String(decoding: r.out, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    final class PDMLDelegate: NSObject, XMLParserDelegate {
        var packets: [[TField]] = []
        func parser(_ parser: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?,
                    attributes a: [String: String] = [:]) {
            if e == "packet" { packets.append([]); return }
            guard e == "field" || e == "proto", !packets.isEmpty else { return }
            packets[packets.count - 1].append(TField(name: a["name"] ?? "", pos: Int(a["pos"] ?? "") ?? -1,
                                                     size: Int(a["size"] ?? "") ?? -1, show: a["show"] ?? "",
                                                     hidden: a["hide"] == "yes", isProto: e == "proto",
                                                     generated: a["value"] == nil || a["size"] == "0"))
        }
    }
}

struct OracleMissing: Error, CustomStringConvertible {
    var tool: String
    var description: String { "\(tool) is not installed" }
}

extension Array where Element == Field {
    /// Every field, depth-first.
    var flattened: [Field] {
        var out: [Field] = []
        func walk(_ fs: [Field]) { for f in fs { out.append(f); walk(f.children) } }
        walk(self)
        return out
    }
}

enum TempFiles {
    static func write(_ bytes: [UInt8], name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labgen-packets-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }
}
