import LabgenCore
import Foundation
import Markdown

/// Reads what `CacheWriter` wrote; anything short or odd throws, and the cache is ignored.
struct CacheReader {
    struct Invalid: Error {}
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { offset == bytes.count }

    mutating func word() throws -> UInt64 {
        guard offset + 8 <= bytes.count else { throw Invalid() }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    mutating func int() throws -> Int { Int(Int64(bitPattern: try word())) }
    mutating func count() throws -> Int {
        let n = try int()
        guard n >= 0, n <= bytes.count - offset else { throw Invalid() }
        return n
    }
    mutating func bool() throws -> Bool {
        guard offset < bytes.count else { throw Invalid() }
        defer { offset += 1 }
        return bytes[offset] != 0
    }
    mutating func string() throws -> String {
        let n = try count()
        defer { offset += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]), as: UTF8.self)
    }
    mutating func skipString() throws { offset += try count() }
    mutating func digest() throws -> Digest { Digest(high: try word(), low: try word()) }
    mutating func position() throws -> SourcePosition? {
        let line = try int(), column = try int()
        return line < 0 ? nil : SourcePosition(line: line, column: column)
    }
}
