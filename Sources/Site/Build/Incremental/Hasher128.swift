import Foundation

struct Hasher128 {
    private var a: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private var length: UInt64 = 0

    private static let p1: UInt64 = 0x9FB2_1C65_1E98_DF25
    private static let p2: UInt64 = 0xFF51_AFD7_ED55_8CCD

    mutating func combine(word w: UInt64) {
        a = ((a ^ w) &* Self.p1)
        a = (a << 29) | (a >> 35)
        b = ((b ^ (w &+ 0x632B_E59B_D9B4_E019)) &* Self.p2)
        b = (b << 31) | (b >> 33)
        length &+= 8
    }

    mutating func combine<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let done = bytes.withContiguousStorageIfAvailable { buffer -> Bool in
            combine(buffer: UnsafeRawBufferPointer(buffer))
            return true
        }
        if done == nil { let copy = Array(bytes); copy.withUnsafeBytes { combine(buffer: $0) } }
    }

    mutating func combine(buffer: UnsafeRawBufferPointer) {
        var i = 0
        let n = buffer.count
        while i + 8 <= n {
            combine(word: UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n { tail |= UInt64(buffer[i]) << shift; shift += 8; i += 1 }
        // The tail word carries its own length, so "a" and "a\0" differ.
        combine(word: tail ^ (UInt64(n & 7) << 56))
    }

    func finalize() -> Digest {
        func mix(_ x: UInt64) -> UInt64 {
            var x = x
            x ^= x >> 33; x &*= 0xFF51_AFD7_ED55_8CCD
            x ^= x >> 33; x &*= 0xC4CE_B9FE_1A85_EC53
            x ^= x >> 33
            return x
        }
        return Digest(high: mix(a ^ length), low: mix(b &+ mix(a) ^ length))
    }
}
