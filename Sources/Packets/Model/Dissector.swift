/// Runs the layer decoders over one frame, in the order each layer names.
enum Dissector {
    /// More layers than any real stack; a crafted frame cannot make the loop run longer.
    static let maxLayers = 24

    static func dissect(_ frame: [UInt8], linkType: LinkType, tcpState: inout TCPConversations)
        -> (layers: [Layer], issue: DecodeIssue?) {
        var layers: [Layer] = []
        layers.reserveCapacity(6)
        var issue: DecodeIssue?
        frame.withUnsafeBufferPointer { p in
            let b = Bytes(p: p)
            var o = 0
            var end = p.count
            var declaredEnd = end
            var next: Next
            switch linkType {
            case .ethernet: next = .ethernet
            case .null: next = .none
            case .linuxCooked, .linuxCooked2: next = .none
            case .rawIP, .rawIP12, .rawIP14: next = .raw
            case .ipv4: next = .ipv4
            case .ipv6: next = .ipv6
            default:
                issue = DecodeIssue(kind: .malformed, layer: "frame", reason: "unsupported link type \(linkType.rawValue)", offset: 0)
                return
            }
            // First headers that depend on the link type only.
            var first: Step?
            if linkType == .null { first = NullLoopback.decode(b, 0, end) }
            if linkType == .linuxCooked { first = LinuxCooked.decode(b, 0, end, version: 1) }
            if linkType == .linuxCooked2 { first = LinuxCooked.decode(b, 0, end, version: 2) }
            if let s = first {
                if let l = s.layer { layers.append(l) }
                if let i = s.issue { issue = i; return }
                next = s.next; o = s.offset
            }
            // Addresses of the innermost IP header, for transport pseudo-headers.
            var src6 = (UInt64(0), UInt64(0)), dst6 = (UInt64(0), UInt64(0))
            var v4 = true
            var src4: UInt32 = 0, dst4: UInt32 = 0
            while layers.count < maxLayers {
                var step: Step
                switch next {
                case .none: return
                case .raw:
                    guard o < end else { issue = DecodeIssue(kind: .truncated, layer: "ip", reason: "empty packet", offset: o); return }
                    next = b.u8(o) >> 4 == 6 ? .ipv6 : .ipv4
                    continue
                case .ethernet: step = Ethernet.decode(b, o, end)
                case .vlan: step = VLAN.decode(b, o, end)
                case .arp: step = ARP.decode(b, o, end)
                case .ipv4:
                    step = IPv4.decode(b, o, end)
                    if case .ipv4(let ip)? = step.layer {
                        v4 = true; src4 = ip.source; dst4 = ip.destination
                        declaredEnd = o + Int(ip.totalLength)
                    }
                case .ipv6:
                    step = IPv6.decode(b, o, end)
                    if case .ipv6(let ip)? = step.layer {
                        v4 = false; src6 = ip.source; dst6 = ip.destination
                        declaredEnd = o + 40 + Int(ip.payloadLength)
                    }
                case .tcp, .udp, .icmpv6:
                    let proto: UInt8 = next == .tcp ? 6 : next == .udp ? 17 : 58
                    let len = declaredEnd - o
                    let pseudo = v4 ? Checksum.pseudo4(src: src4, dst: dst4, proto: proto, length: len)
                                    : Checksum.pseudo6(src: src6, dst: dst6, proto: proto, length: len)
                    if next == .tcp {
                        step = TCP.decode(b, o, end, declaredEnd: declaredEnd, pseudo: pseudo)
                        if case .tcp(var t)? = step.layer {
                            tcpState.annotate(&t, v4: v4, src4: src4, dst4: dst4, src6: src6, dst6: dst6)
                            step.layer = .tcp(t)
                        }
                    } else if next == .udp {
                        step = UDP.decode(b, o, end, declaredEnd: declaredEnd, pseudo: pseudo)
                        if case .udp(let u)? = step.layer { declaredEnd = o + Int(u.length) }
                    } else {
                        step = ICMPv6.decode(b, o, end, declaredEnd: declaredEnd, pseudo: pseudo)
                    }
                case .icmp: step = ICMP.decode(b, o, end, declaredEnd: declaredEnd)
                case .vxlan: step = VXLAN.decode(b, o, end)
                case .geneve: step = Geneve.decode(b, o, end)
                case .http: step = HTTPFirstLine.decode(b, o, end)
                }
                if let l = step.layer { layers.append(l) }
                if let i = step.issue { issue = i; return }
                // Progress is guaranteed: every decoder consumes at least one byte or stops.
                let last = step.layer
                o = step.offset; end = step.end
                if step.next == .none && o < end {
                    switch last {
                    case .udp?, .ipv4?, .ipv6?, .vxlan?, .geneve?:
                        layers.append(.payload(Payload(offset: o, length: end - o)))
                    default: break
                    }
                }
                next = step.next
                // Tunnels reset the outer length bound for the inner frame.
                if next == .ethernet { declaredEnd = end }
            }
            if layers.count >= maxLayers && next != .none {
                issue = DecodeIssue(kind: .malformed, layer: "frame", reason: "more than \(maxLayers) layers", offset: o)
            }
        }
        return (layers, issue)
    }
}

/// TCP conversations seen so far, to print relative sequence numbers like tshark and tcpdump.
public struct TCPConversations: Sendable {
    struct Key: Hashable {
        var a0: UInt64, a1: UInt64, b0: UInt64, b1: UInt64
        var ports: UInt32
    }
    struct State {
        /// tshark: base sequence per direction (0: from the lower endpoint).
        var base: (UInt32, UInt32) = (0, 0)
        var baseSet: (Bool, Bool) = (false, false)
        /// tcpdump: seq base of the lower endpoint's direction and of the other one.
        var tdSeq: UInt32 = 0
        var tdAck: UInt32 = 0
        var tdKnown = false
        /// Window shift each side announced in its SYN (0: the lower endpoint); -2: none
        /// announced; nil: its SYN was not seen.
        var shift: (Int?, Int?) = (nil, nil)
    }
    private var table: [Key: State] = [:]

    public init() {}

    mutating func annotate(_ t: inout TCP, v4: Bool, src4: UInt32, dst4: UInt32,
                           src6: (UInt64, UInt64), dst6: (UInt64, UInt64)) {
        let s: (UInt64, UInt64) = v4 ? (0, UInt64(src4)) : src6
        let d: (UInt64, UInt64) = v4 ? (0, UInt64(dst4)) : dst6
        // Same ordering rule as tcpdump: compare addresses, then ports.
        let rev = s > d || (s == d && t.sourcePort > t.destinationPort)
        let key = rev ? Key(a0: d.0, a1: d.1, b0: s.0, b1: s.1,
                            ports: UInt32(t.destinationPort) << 16 | UInt32(t.sourcePort))
                      : Key(a0: s.0, a1: s.1, b0: d.0, b1: d.1,
                            ports: UInt32(t.sourcePort) << 16 | UInt32(t.destinationPort))
        var st = table[key] ?? State()
        // tshark
        let fwdIsA = !rev
        func getBase(_ a: Bool) -> (UInt32, Bool) { a ? (st.base.0, st.baseSet.0) : (st.base.1, st.baseSet.1) }
        func setBase(_ a: Bool, _ v: UInt32) {
            if a { st.base.0 = v; st.baseSet.0 = true } else { st.base.1 = v; st.baseSet.1 = true }
        }
        if t.isSYN { setBase(fwdIsA, t.seq) }
        if !getBase(fwdIsA).1 { setBase(fwdIsA, t.seq &- 1) }
        if t.isACK && !getBase(!fwdIsA).1 { setBase(!fwdIsA, t.ack &- 1) }
        t.relativeSeq = t.seq &- getBase(fwdIsA).0
        t.relativeAck = t.isACK ? t.ack &- getBase(!fwdIsA).0 : 0
        t.peerBase = getBase(!fwdIsA).0
        // Window scaling, as tshark: a side's SYN says what its later windows are scaled by.
        if t.isSYN {
            if fwdIsA { st.shift.0 = t.windowShift ?? -2 } else { st.shift.1 = t.windowShift ?? -2 }
        } else {
            let (mine, peer) = fwdIsA ? st.shift : (st.shift.1, st.shift.0)
            if mine == -2 || peer == -2 { t.windowScaleFactor = -2 } else if let mine { t.windowScaleFactor = 1 << mine }
        }
        // tcpdump
        t.summarySeq = t.seq
        t.summaryAck = t.ack
        if t.isACK {
            if !st.tdKnown || t.isSYN {
                st.tdKnown = true
                if rev { st.tdAck = t.seq; st.tdSeq = t.ack &- 1 } else { st.tdSeq = t.seq; st.tdAck = t.ack &- 1 }
            } else if rev {
                t.summarySeq = t.seq &- st.tdAck; t.summaryAck = t.ack &- st.tdSeq
            } else {
                t.summarySeq = t.seq &- st.tdSeq; t.summaryAck = t.ack &- st.tdAck
            }
            t.summarySackBase = rev ? st.tdSeq : st.tdAck
        }
        table[key] = st
    }
}
