import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `labgen decode --json` over a whole capture. Decoding stays in order on the calling thread
/// (relative TCP sequence numbers need every earlier packet); formatting, nine tenths of the
/// work, runs in batches on other threads, and batches are written in order. Memory holds at
/// most `slots` batches, whatever the size of the capture.
public struct JSONDump {
    /// Packets per batch: enough that a hand-off costs little beside the batch's formatting, few
    /// enough that the batches in flight stay in cache (larger ones measured slower).
    public var batchSize = 64
    /// Formatting threads; 1 formats on the calling thread with no other thread started.
    public var workers: Int

    public init(workers: Int = JSONDump.processorCount) {
        self.workers = Swift.max(1, workers)
    }

    public static var processorCount: Int { Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Writes the JSON array of the packets that pass `filter` to `fd`.
    public func write(_ reader: CaptureReader, filter: DisplayFilter?, to fd: Int32) {
        var decoder = PacketDecoder()
        let frame = ByteBuffer(capacity: 64)
        frame.append("[\n" as StaticString)
        frame.flush(to: fd)
        var written = 0
        if workers == 1 {
            var w = JSONPacketWriter()
            for record in reader {
                let p = decoder.decode(record)
                if let filter, !p.matches(filter) { continue }
                w.write(p)
                if w.buffer.count >= 1 << 20 { w.flush(to: fd) }
            }
            w.flush(to: fd)
            written = w.count
        } else {
            written = pipelined(reader, &decoder, filter, fd)
        }
        frame.append(written == 0 ? "]\n" as StaticString : "\n]\n")
        frame.flush(to: fd)
    }

    /// One batch: its packets, the writer that formats them, and a signal when it is done.
    /// Handed to exactly one formatting thread at a time; the semaphore orders the accesses.
    private final class Slot: @unchecked Sendable {
        var packets: [Packet] = []
        var writer = JSONPacketWriter()
        let done = DispatchSemaphore(value: 0)
    }

    private func pipelined(_ reader: CaptureReader, _ decoder: inout PacketDecoder,
                           _ filter: DisplayFilter?, _ fd: Int32) -> Int {
        // Serial queues, one per worker: each gets its own thread even when the caller is a
        // blocked thread of a shared pool (a concurrent queue could be starved by it).
        let lanes = (0 ..< workers).map { DispatchQueue(label: "labgen.json.\($0)") }
        let slots = (0 ..< workers + 2).map { _ in Slot() }
        let separator = ByteBuffer(capacity: 8)
        var written = 0
        var n = 0
        func drain(_ s: Slot) {
            s.done.wait()
            if s.writer.count > 0 {
                if written > 0 { separator.append(",\n" as StaticString); separator.flush(to: fd) }
                written += s.writer.count
                s.writer.flush(to: fd)
            }
            s.writer.restart()
        }
        var iterator = reader.makeIterator()
        while true {
            let s = slots[n % slots.count]
            if n >= slots.count { drain(s) }
            s.packets.removeAll(keepingCapacity: true)
            while s.packets.count < batchSize, let record = iterator.next() {
                s.packets.append(decoder.decode(record))
            }
            if s.packets.isEmpty { break }
            lanes[n % workers].async {
                for p in s.packets {
                    if let filter, !p.matches(filter) { continue }
                    s.writer.write(p)
                }
                s.done.signal()
            }
            n += 1
        }
        // Batches n-slots+1 … n-1 are still out, oldest first.
        for k in Swift.max(0, n - slots.count + 1) ..< n { drain(slots[k % slots.count]) }
        return written
    }
}
