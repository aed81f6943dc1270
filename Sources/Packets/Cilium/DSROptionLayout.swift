/// The 8 bytes Cilium writes into the IPv4 header of a SYN it forwards in DSR mode, computed
/// for a service address and NodePort instead of read from a capture: what an attendee's
/// own SYN must carry.
///
/// Both layouts Cilium has used give the same bytes on a little-endian node (x86-64, arm64),
/// because in both the port and the address are already in network order when they are
/// converted to network order a second time:
/// - up to 1.13, `dsr_set_opt4()` in bpf/lib/nodeport.h builds two 32-bit words,
///   `opt[0] = bpf_htonl(DSR_IPV4_OPT_32 | svc_port); opt[1] = bpf_htonl(svc_addr);`
///   with `DSR_IPV4_OPT_32 = 0x9a080000` (e.g. cilium/cilium@ef3fe349, the 1.12 tree the lab
///   cites);
/// - from 1.14 (cilium/cilium#23326, merged 2023-01-25, which replaced DSR_IPV4_OPT_32 by
///   DSR_IPV4_OPT_TYPE), it fills `struct dsr_opt_v4 { __u8 type; __u8 len; __u16 port;
///   __u32 addr; }` with `opt.port = bpf_htons(svc_port); opt.addr = bpf_htonl(svc_addr);`
///   (still so in the later nodeport.h kept in the reference index).
/// A switch to true network order was proposed (cilium/cilium#23262, "Change the
/// byte-format of the IPv4 DSR Option to big-endian") and closed unmerged. Both layouts are
/// computed here as the C does, so a test can hold them equal.
public enum DSROptionLayout: String, Sendable, Equatable {
    /// `opt[0] = bpf_htonl(DSR_IPV4_OPT_32 | svc_port); opt[1] = bpf_htonl(svc_addr)`.
    case htonlWords
    /// `struct dsr_opt_v4`, `opt.port = bpf_htons(svc_port); opt.addr = bpf_htonl(svc_addr)`.
    case optionStruct

    /// The layout of a Cilium release (`1.12.2`, `v1.14.5`); an unreadable version gets the
    /// newest layout.
    /// - Parameters:
    ///   - ciliumVersion: the version as the facts give it.
    public init(ciliumVersion: String) {
        let digits = ciliumVersion.drop { $0 == "v" }.split(separator: ".").prefix(2).map { Int($0) }
        if digits.count == 2, let major = digits[0], let minor = digits[1], major == 1, minor <= 13 {
            self = .htonlWords
        } else {
            self = .optionStruct
        }
    }

    /// The option's 8 bytes as a little-endian node writes them.
    /// - Parameters:
    ///   - address: the service's IPv4 address, network order (172.19.4.2 is `ac 13 04 02`).
    ///   - port: the NodePort.
    public func bytes(address: [UInt8], port: UInt16) -> [UInt8] {
        precondition(address.count == 4, "an IPv4 address is 4 bytes")
        // The values as the program holds them: __be16/__be32 loaded by a little-endian CPU.
        let svcPort = UInt16(littleEndianBytes: [UInt8(port >> 8), UInt8(port & 0xff)])
        let svcAddr = UInt32(littleEndianBytes: address)
        switch self {
        case .htonlWords:
            let dsrIPv4Opt32: UInt32 = 0x9a08_0000
            return htonl(dsrIPv4Opt32 | UInt32(svcPort)).storedLittleEndian + htonl(svcAddr).storedLittleEndian
        case .optionStruct:
            return [CiliumDSR.ipv4OptionType, 8] + htons(svcPort).storedLittleEndian + htonl(svcAddr).storedLittleEndian
        }
    }

    /// "9a08 1779 0204 13ac": the bytes as tcpdump -X groups them.
    public static func text(_ bytes: [UInt8]) -> String {
        stride(from: 0, to: bytes.count, by: 2).map { i in
            bytes[i ..< min(i + 2, bytes.count)].map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        }.joined(separator: " ")
    }

    private func htonl(_ v: UInt32) -> UInt32 { v.byteSwapped }   // on a little-endian CPU
    private func htons(_ v: UInt16) -> UInt16 { v.byteSwapped }
}

extension FixedWidthInteger {
    init(littleEndianBytes b: [UInt8]) {
        var v: Self = 0
        for (i, byte) in b.enumerated() { v |= Self(byte) << (8 * i) }
        self = v
    }

    /// The bytes of this value in memory on a little-endian CPU, lowest address first.
    var storedLittleEndian: [UInt8] {
        (0 ..< MemoryLayout<Self>.size).map { UInt8(truncatingIfNeeded: self >> (8 * $0)) }
    }
}

extension CiliumDSR {
    /// What Cilium puts in a SYN for `address:port` with `ciliumVersion`, explained like an
    /// option read from a capture (the figure draws both alike); nil for a non-IPv4 address.
    /// - Parameters:
    ///   - address: dotted IPv4 service address (the contacted node's IP).
    ///   - port: the NodePort.
    ///   - ciliumVersion: the cluster's Cilium version.
    public static func expectedIPv4(address: String, port: UInt16, ciliumVersion: String) -> DSRExplanation? {
        let parts = address.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
        guard parts.count == 4, parts.allSatisfy({ $0 != nil }) else { return nil }
        let bytes = DSROptionLayout(ciliumVersion: ciliumVersion).bytes(address: parts.map { $0! }, port: port)
        return explainIPv4(frame: bytes, at: 0)
    }
}
