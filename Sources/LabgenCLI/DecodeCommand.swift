import ArgumentParser
import Packets
#if canImport(Glibc)
import Glibc
#endif

/// `labgen decode`: streams a capture and prints one tcpdump-style line or one JSON object per packet.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode a pcap/pcapng capture: tcpdump-like lines, or the full dissection as JSON.",
        discussion: """
        Reads classic pcap (microsecond or nanosecond, either byte order) and pcapng captures of \
        Ethernet, Linux cooked (v1, v2), raw IP and BSD loopback links, streaming: memory stays \
        flat whatever the size of the file.

        Without --json, prints one line per packet in the style of `tcpdump -nn -e` (times in \
        UTC). Cilium's DSR IP option is decoded (service address and port).

        With --json, prints an array with, per packet, its number, timestamp, layers, summary and \
        its fields in order, each with its Wireshark display-filter name, value (as `tshark -T \
        json` shows it), byte offset, length and children.

        --filter takes a subset of Wireshark's display-filter syntax: ==, !=, <, >, <=, >=, \
        &&, ||, !, and, or, not, parentheses, bare fields (tcp, cilium.dsr), and ip.addr / \
        tcp.port / udp.port matching either side. A field labgen does not decode is an error \
        naming the closest ones (tcp.prot: did you mean tcp.port?), never a filter that silently \
        matches nothing.

        Exit status: 0 when the whole file was read; 1 when it is unreadable or truncated (the \
        packets before the problem are printed first); 64 for a bad filter.

        Example: labgen decode trace.pcap --filter 'tcp.port == 31400 && ip.addr == 172.18.0.2'
        """
    )

    @Argument(help: "The capture file (pcap or pcapng).")
    var file: String

    @Option(help: "Display filter, e.g. 'tcp.port == 31400 && ip.addr == 172.18.0.2'.")
    var filter: String?

    @Flag(help: "Print the full dissection as JSON instead of one line per packet.")
    var json = false

    func run() throws {
        var displayFilter: DisplayFilter?
        if let filter {
            do {
                displayFilter = try DisplayFilter(filter)
            } catch {
                printError("labgen decode: --filter:1:\(error.column): \(error.message)")
                throw ExitCode(64)
            }
        }
        let reader: CaptureReader
        do {
            reader = try CaptureReader(path: file)
        } catch {
            printError("labgen decode: \(file): \(error.reason)")
            throw ExitCode.failure
        }
        if json {
            JSONDump().write(reader, filter: displayFilter, to: 1)
        } else {
            var decoder = PacketDecoder()
            var out = ByteBuffer(capacity: 1 << 17)
            for record in reader {
                let p = decoder.decode(record)
                if let displayFilter, !p.matches(displayFilter) { continue }
                p.writeSummary(into: &out)
                out.append(0x0a)
                if out.count >= 1 << 16 { out.flush(to: 1) }
            }
            out.flush(to: 1)
        }
        if let e = reader.error {
            printError("labgen decode: \(file): offset \(e.offset): \(e.reason)")
            throw ExitCode.failure
        }
    }

    private func printError(_ s: String) {
        let b = ByteBuffer(capacity: 256)
        b.append(s)
        b.append(0x0a)
        b.flush(to: 2)
    }
}
