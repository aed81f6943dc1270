#!/usr/bin/env python3
"""Writes a pcap of N mixed packets (TCP handshakes/data with options, UDP, ICMP, ARP, 802.1Q,
IPv6, VXLAN with an inner frame, the Cilium DSR option) for the decode benchmark."""
import struct, sys

def csum(b, init=0):
    s = init
    if len(b) % 2: b += b'\0'
    for i in range(0, len(b), 2): s += (b[i] << 8) | b[i+1]
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def ip4(src, dst, proto, payload, opts=b''):
    hl = 20 + len(opts)
    h = struct.pack('!BBHHHBBH4s4s', 0x40 | hl // 4, 0, hl + len(payload), 0x1234, 0x4000, 64, proto, 0, bytes(src), bytes(dst)) + opts
    c = csum(h)
    return h[:10] + struct.pack('!H', c) + h[12:] + payload

def tcp(sp, dp, seq, ack, flags, opts=b'', payload=b''):
    hl = 20 + len(opts)
    return struct.pack('!HHIIHHHH', sp, dp, seq, ack, (hl // 4) << 12 | flags, 64240, 0xbeef, 0) + opts + payload

def udp(sp, dp, payload):
    return struct.pack('!HHHH', sp, dp, 8 + len(payload), 0) + payload

def eth(t, p, src=b'\x02\x42\xac\x12\x00\x02', dst=b'\x02\x42\xac\x12\x00\x05'):
    return dst + src + struct.pack('!H', t) + p

synopts = bytes([2, 4, 5, 0xb4, 4, 2, 8, 10]) + struct.pack('!II', 704972761, 0) + bytes([1, 3, 3, 7])
tsopts = bytes([1, 1, 8, 10]) + struct.pack('!II', 704972800, 4059790408)
dsr = bytes([0x9a, 8, 0xa8, 0x7a, 2, 0, 0x12, 0xac])
get = b'GET /index.html HTTP/1.1\r\nHost: 10.244.3.250:8080\r\n\r\n'

def packet(i):
    flow = i % 500
    c, s = [172, 18, flow // 250, 1 + flow % 250], [10, 244, 3, 250]
    k = i % 10
    sp = 40000 + flow
    if k == 0: return eth(0x0800, ip4(c, s, 6, tcp(sp, 8080, 1000, 0, 0x002, synopts), dsr))
    if k == 1: return eth(0x0800, ip4(s, c, 6, tcp(8080, sp, 5000, 1001, 0x012, synopts)))
    if k == 2: return eth(0x0800, ip4(c, s, 6, tcp(sp, 8080, 1001, 5001, 0x010, tsopts)))
    if k == 3: return eth(0x0800, ip4(c, s, 6, tcp(sp, 8080, 1001, 5001, 0x018, tsopts, get)))
    if k == 4: return eth(0x0800, ip4(s, c, 6, tcp(8080, sp, 5001, 1001 + len(get), 0x018, tsopts, b'x' * 600)))
    if k == 5: return eth(0x0800, ip4(c, s, 17, udp(sp, 53, b'\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03www\x07example\x03com\x00\x00\x01\x00\x01')))
    if k == 6: return eth(0x0800, ip4(c, s, 1, struct.pack('!BBHHH', 8, 0, 0, 7, i & 0xffff) + bytes(56)))
    if k == 7: return eth(0x0806, struct.pack('!HHBBH', 1, 0x0800, 6, 4, 1) + b'\x02\x42\xac\x12\x00\x02' + bytes(c) + bytes(6) + bytes(s))
    if k == 8:
        inner = eth(0x0800, ip4(c, s, 6, tcp(sp, 8080, 1000, 0, 0x002, synopts), dsr))
        return eth(0x0800, ip4([172, 18, 0, 3], [172, 18, 0, 5], 17, udp(sp, 8472, bytes([8, 0, 0, 0, 0, 0, 2, 0]) + inner)))
    a6 = bytes.fromhex('fd000010024400000000000000000001'); b6 = bytes.fromhex('fd0000100244000300000000000000fa')
    t = tcp(sp, 80, 1000, 0, 0x002, bytes([2, 4, 5, 0xa0]))
    return eth(0x8100, struct.pack('!HH', 100, 0x86dd) + struct.pack('!IHBB', 0x60000000, len(t), 6, 64) + a6 + b6 + t)

def main():
    n = int(sys.argv[1]); out = open(sys.argv[2], 'wb')
    out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
    cache = [packet(i) for i in range(5000)]
    buf = []
    for i in range(n):
        p = cache[i % 5000]
        t = 1664662891 + i // 10000
        buf.append(struct.pack('<IIII', t, (i % 10000) * 100, len(p), len(p)) + p)
        if len(buf) >= 10000: out.write(b''.join(buf)); buf = []
    out.write(b''.join(buf))

main()
