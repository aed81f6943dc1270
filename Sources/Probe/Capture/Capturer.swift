import Facts
import Foundation
import Packets

/// Runs tcpdump on the probed machine while generating the lab's traffic, then brings the
/// capture back (`CaptureStore` saves it with the facts).
///
/// tcpdump starts under `timeout` (so a lost connection cannot leave it running), writes to a
/// temporary file on that machine (`-U -w`), and is stopped with SIGINT by its pid, which works
/// the same locally and over ssh. A DSR capture with no SYN carrying Cilium's option is an
/// error, with the likely causes, rather than a file that silently shows nothing.
public struct Capturer: Sendable {
    public var runner: any CommandRunner
    public var commandTimeout: Double

    public init(runner: any CommandRunner, commandTimeout: Double = 20) {
        self.runner = runner
        self.commandTimeout = commandTimeout
    }

    public struct Report: Sendable, Equatable {
        public var bytes: Int
        /// tcpdump's own count ("N packets captured").
        public var packetsCaptured: Int?
        /// One line per URL: the curl exit code (7 = connection refused, 28 = timeout).
        public var traffic: [String]
        /// SYNs carrying Cilium's DSR option.
        public var dsrSYNs: Int
    }

    /// A capture brought back, not yet saved.
    public struct Taken: Sendable {
        public var data: Data
        public var report: Report
        /// The tcpdump command as it ran, for the facts.
        public var command: String
        /// When tcpdump started listening.
        public var takenAt: Date
    }

    /// Fixed script: prints its pid, then execs the argument list untouched.
    static let pidScript = #"echo "labgen-pid $$" >&2; exec "$@""#

    /// Captures `plan` on the runner's machine.
    /// - Parameters:
    ///   - plan: interface, filter, traffic and limits, from a `CaptureRecipe`.
    public func capture(_ plan: CaptureRecipe.Plan) async throws -> Taken {
        let temporary = try await runner.output(["mktemp", "--suffix=.pcap", "/tmp/labgen-capture.XXXXXX"],
                                                timeout: commandTimeout).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard temporary.hasPrefix("/tmp/labgen-capture."), !temporary.contains("\n") else {
            throw ProbeError("mktemp printed \(temporary.debugDescription), not a file under /tmp",
                             advice: "check `mktemp --suffix=.pcap /tmp/labgen-capture.XXXXXX` on the capturing machine")
        }
        do {
            let taken = try await capture(plan, via: temporary)
            _ = try? await runner.run(["rm", "-f", "--", temporary], timeout: commandTimeout)
            return taken
        } catch {
            _ = try? await runner.run(["rm", "-f", "--", temporary], timeout: commandTimeout)
            throw error
        }
    }

    func capture(_ plan: CaptureRecipe.Plan, via temporary: String) async throws -> Taken {
        let tcpdump = ["timeout", "-s", "INT", String(Int(plan.duration.rounded(.up))),
                       "tcpdump", "-n", "-U", "--immediate-mode", "-i", try Self.checked(plan.interface), "-c", String(plan.packetCount),
                       "-w", temporary] + (plan.filter.isEmpty ? [] : ["--", plan.filter])
        let running: RunningCommand
        do {
            running = try runner.start(["sh", "-c", Self.pidScript, "sh"] + tcpdump)
        } catch CommandError.notFound(let program, _) {
            throw ProbeError("\(program) is not installed on the capturing machine",
                             advice: "install tcpdump (`apt-get install tcpdump`) and retry")
        }
        guard await running.waitForStderr(containing: "listening on", timeout: commandTimeout) else {
            running.terminate()
            let result = try? await running.wait(timeout: 5)
            throw ProbeError("tcpdump did not start on \(plan.interface): \(result?.stderrText ?? running.stderrSoFar)",
                             advice: "check the interface (`ip link`) and the filter, and that you are root")
        }
        let takenAt = Date()
        var traffic: [String] = []
        for url in plan.urls {
            let result = try await runner.run(["curl", "-s", "-o", "/dev/null", "--max-time", "3", "--", url],
                                              timeout: commandTimeout)
            traffic.append("curl \(url) → exit \(result.exitCode)")
        }
        // Give the last replies time to cross the interface, then stop tcpdump cleanly.
        try await Task.sleep(nanoseconds: 500_000_000)
        if !running.isFinished, let pid = Self.pid(in: running.stderrSoFar) {
            _ = try? await runner.run(["kill", "-INT", String(pid)], timeout: commandTimeout)
        }
        let result = try await running.wait(timeout: plan.duration + commandTimeout)
        let count = Self.packetsCaptured(in: result.stderrText)
        guard [0, 124, 130].contains(result.exitCode) else {
            throw ProbeError("tcpdump failed (exit \(result.exitCode)): \(result.stderrText)",
                             advice: "run the same tcpdump by hand on the machine")
        }
        let data = try await runner.output(["cat", "--", temporary], timeout: commandTimeout).stdout
        guard Self.looksLikeCapture(data) else {
            throw ProbeError("tcpdump wrote no capture file", advice: "check free space in /tmp")
        }
        if count == 0 {
            throw ProbeError("no packet matched `\(plan.filter)` on \(plan.interface) (traffic: \(traffic.joined(separator: "; ")); tcpdump: \(result.stderrText.split(whereSeparator: \.isNewline).joined(separator: " / ")))",
                             advice: "check the interface, the filter and that the traffic reaches that node")
        }
        let dsrSYNs = Self.dsrSYNs(in: data)
        if plan.requireDSR && dsrSYNs == 0 {
            throw ProbeError("no SYN carrying Cilium's DSR option (IPv4 option 0x9a) among the \(count.map(String.init) ?? "") packets captured on \(plan.interface) (traffic: \(traffic.joined(separator: "; ")))",
                             advice: "likely causes: Cilium is not in DSR mode (bpf-lb-mode in the cilium-config ConfigMap), "
                                + "the request reached the pod's own node (pass --contact NODE), or the capture is on the wrong veth "
                                + "(the pod's node: --interface veth-of-backend); nothing was saved")
        }
        let report = Report(bytes: data.count, packetsCaptured: count, traffic: traffic, dsrSYNs: dsrSYNs)
        return Taken(data: data, report: report, command: runner.display(Array(tcpdump.dropFirst(4))), takenAt: takenAt)
    }

    /// SYNs (without ACK) that carry Cilium's DSR option, as labgen's own decoder reads them.
    static func dsrSYNs(in data: Data) -> Int {
        let filter = try! DisplayFilter("tcp.flags.syn == 1 && tcp.flags.ack == 0 && cilium.dsr")
        var decoder = PacketDecoder()
        return CaptureReader(bytes: Array(data)).reduce(0) { $0 + (decoder.decode($1).matches(filter) ? 1 : 0) }
    }

    /// The interface tcpdump listens on, if it can be passed as one (no leading `-`).
    static func checked(_ interface: String) throws(CommandError) -> String {
        if let problem = CommandArgument.checkInterface(interface) { throw .refused(problem) }
        return interface
    }

    static func pid(in stderr: String) -> Int? {
        for line in stderr.split(whereSeparator: \.isNewline) where line.hasPrefix("labgen-pid ") {
            return Int(line.dropFirst("labgen-pid ".count))
        }
        return nil
    }

    static func packetsCaptured(in stderr: String) -> Int? {
        for line in stderr.split(whereSeparator: \.isNewline) where line.hasSuffix("packets captured") {
            return Int(line.split(separator: " ").first ?? "")
        }
        return nil
    }

    /// pcap (either byte order, µs or ns) or pcapng.
    static func looksLikeCapture(_ data: Data) -> Bool {
        guard data.count >= 24 else { return false }
        let magic = Array(data.prefix(4))
        return [[0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0xc3, 0xd4], [0x4d, 0x3c, 0xb2, 0xa1],
                [0xa1, 0xb2, 0x3c, 0x4d], [0x0a, 0x0d, 0x0d, 0x0a]].contains(magic)
    }
}
