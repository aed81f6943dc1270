#!/usr/bin/env python3
"""Cilium's DSR datapath played in the test's node namespaces (no BPF there), so that a
capture on the backend node's veth sees what a real KinD + Cilium 1.12 cluster puts on it.

  cilium-dsr.py forward IFACE SVC_IP NODEPORT POD_IP TARGET_PORT NODE_MAC BACKEND_MAC
      On the contacted node: each SYN arriving for SVC_IP:NODEPORT is sent on to the backend
      node, DNATed to POD_IP:TARGET_PORT, the client's address kept, with Cilium's IPv4
      option 0x9a naming the service (what bpf/lib/nodeport.h's dsr_set_opt4 writes).
  cilium-dsr.py reply IFACE POD_IP TARGET_PORT BACKEND_MAC HOST_MAC
      On the backend node: each such SYN is answered straight to the client by a SYN-ACK
      whose source is the service address the option names (DSR: no trip back through the
      contacted node).

Prints "ready" once its packet socket is bound; sends only on IFACE of its own namespace.
"""
import socket, struct, sys

ETH_P_ALL, PACKET_OUTGOING = 0x0003, 4


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def mac(text):
    return bytes(int(x, 16) for x in text.split(":"))


def ipv4(src, dst, payload, options=b"", ident=0x102D):
    ihl = 5 + len(options) // 4
    header = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload), ident, 0x4000, 64, 6, 0,
                         src, dst) + options
    return header[:10] + struct.pack("!H", checksum(header)) + header[12:] + payload


def tcp(src, dst, sport, dport, seq, ack, flags, options):
    segment = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, (20 + len(options)) // 4 << 4, flags,
                          64240, 0, 0) + options
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(segment))
    return segment[:16] + struct.pack("!H", checksum(pseudo + segment)) + segment[18:]


def dsr_option(address, port):
    # Cilium 1.12: opt[0] = htonl(DSR_IPV4_OPT_32 | svc_port), opt[1] = htonl(svc_addr), with the
    # port and address already in network order: on a little-endian node both end up swapped.
    return bytes([0x9A, 8]) + struct.pack("<H", port) + address[::-1]


def syns(sock):
    """Yields (ip header, tcp header, options of both) of each incoming SYN without ACK."""
    while True:
        frame, meta = sock.recvfrom(65535)
        if meta[2] == PACKET_OUTGOING or len(frame) < 34 or frame[12:14] != b"\x08\x00":
            continue
        ihl = (frame[14] & 0x0F) * 4
        ip = frame[14:14 + ihl]
        if ip[9] != 6 or len(frame) < 14 + ihl + 20:
            continue
        t = frame[14 + ihl:]
        offset = (t[12] >> 4) * 4
        if t[13] & 0x12 == 0x02:
            yield ip, t[:offset]


def main():
    role, iface = sys.argv[1], sys.argv[2]
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.bind((iface, 0))
    print("ready", flush=True)
    if role == "forward":
        svc, nodeport, pod, target = socket.inet_aton(sys.argv[3]), int(sys.argv[4]), socket.inet_aton(sys.argv[5]), int(sys.argv[6])
        node_mac, backend_mac = mac(sys.argv[7]), mac(sys.argv[8])
        for ip, t in syns(sock):
            sport, dport, seq = struct.unpack("!HHI", t[:8])
            if ip[16:20] != svc or dport != nodeport:
                continue
            client = ip[12:16]
            segment = tcp(client, pod, sport, target, seq, 0, 0x02, t[20:])
            sock.send(backend_mac + node_mac + b"\x08\x00" + ipv4(client, pod, segment, dsr_option(svc, nodeport)))
    elif role == "reply":
        pod, target = socket.inet_aton(sys.argv[3]), int(sys.argv[4])
        backend_mac, host_mac = mac(sys.argv[5]), mac(sys.argv[6])
        for ip, t in syns(sock):
            sport, dport, seq = struct.unpack("!HHI", t[:8])
            options = ip[20:]
            if ip[16:20] != pod or dport != target or len(options) < 8 or options[0] != 0x9A:
                continue
            svc, port = options[4:8][::-1], struct.unpack("<H", options[2:4])[0]
            client = ip[12:16]
            segment = tcp(svc, client, port, sport, 0x5EED0001, (seq + 1) & 0xFFFFFFFF, 0x12,
                          b"\x02\x04\x05\xb4\x01\x01\x04\x02")
            sock.send(host_mac + backend_mac + b"\x08\x00" + ipv4(svc, client, segment, ident=0))
    else:
        sys.exit("usage: cilium-dsr.py forward|reply IFACE …")


main()
