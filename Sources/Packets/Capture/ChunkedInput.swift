#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A window over the input that is refilled in fixed-size chunks, so memory stays flat whatever
/// the file size; a record larger than a chunk grows the window only for that record.
final class ChunkedInput {
    private enum Source { case file(Int32), memory([UInt8], Int) }
    private var source: Source
    private(set) var buffer: [UInt8]
    /// Index in `buffer` of the next unread byte, and one past the last valid byte.
    private(set) var position = 0
    private(set) var end = 0
    /// File offset of `buffer[0]`.
    private var baseOffset = 0
    private var eof = false
    private let chunkSize: Int

    init(fileDescriptor: Int32, chunkSize: Int = 1 << 20) {
        source = .file(fileDescriptor)
        self.chunkSize = chunkSize
        buffer = [UInt8](repeating: 0, count: chunkSize)
    }

    init(bytes: [UInt8]) {
        source = .memory(bytes, 0)
        chunkSize = max(bytes.count, 16)
        buffer = [UInt8](repeating: 0, count: chunkSize)
    }

    deinit {
        if case .file(let fd) = source { close(fd) }
    }

    /// File offset of the next unread byte.
    var offset: Int { baseOffset + position }
    var available: Int { end - position }

    /// Makes `count` bytes readable from `position`; false when the input ends first.
    func ensure(_ count: Int) -> Bool {
        if end - position >= count { return true }
        if position > 0 {
            // Slide the unread tail to the front so the window never grows without need.
            let tail = end - position
            if tail > 0 {
                buffer.withUnsafeMutableBufferPointer { p in
                    let base = p.baseAddress!
                    memmove(base, base + position, tail)
                }
            }
            baseOffset += position
            position = 0
            end = tail
        }
        if buffer.count < count {
            buffer.append(contentsOf: repeatElement(0, count: count - buffer.count))
        }
        while end < count && !eof {
            let got = fill()
            if got <= 0 { eof = true } else { end += got }
        }
        return end - position >= count
    }

    private func fill() -> Int {
        let room = buffer.count - end
        switch source {
        case .file(let fd):
            return buffer.withUnsafeMutableBytes { p -> Int in
                while true {
                    let n = read(fd, p.baseAddress! + end, room)
                    if n < 0 && errno == EINTR { continue }
                    return n
                }
            }
        case .memory(let bytes, let cursor):
            let n = min(room, bytes.count - cursor)
            if n <= 0 { return 0 }
            buffer.withUnsafeMutableBufferPointer { dst in
                bytes.withUnsafeBufferPointer { src in
                    (dst.baseAddress! + end).update(from: src.baseAddress! + cursor, count: n)
                }
            }
            source = .memory(bytes, cursor + n)
            return n
        }
    }

    func skip(_ count: Int) { position += count }

    func copy(from relative: Int, count: Int) -> [UInt8] {
        let s = position + relative
        return Array(buffer[s ..< s + count])
    }

    @inline(__always) func u8(_ relative: Int) -> UInt8 { buffer[position + relative] }

    @inline(__always) func u16(_ relative: Int, bigEndian: Bool) -> UInt16 {
        let i = position + relative
        let a = UInt16(buffer[i]), b = UInt16(buffer[i + 1])
        return bigEndian ? (a << 8 | b) : (b << 8 | a)
    }

    @inline(__always) func u32(_ relative: Int, bigEndian: Bool) -> UInt32 {
        let i = position + relative
        let a = UInt32(buffer[i]), b = UInt32(buffer[i + 1]), c = UInt32(buffer[i + 2]), d = UInt32(buffer[i + 3])
        return bigEndian ? (a << 24 | b << 16 | c << 8 | d) : (d << 24 | c << 16 | b << 8 | a)
    }
}
