#!/usr/bin/env python3
"""The lab's backend (echoserver) stand-in: answers every GET on ADDRESS:PORT.

socketserver rather than http.server's HTTPServer, whose bind does a reverse DNS lookup
(socket.getfqdn) that hangs in a namespace without DNS.
"""
import http.server, socketserver, sys

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"echoserver\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass

socketserver.ThreadingTCPServer.allow_reuse_address = True
server = socketserver.ThreadingTCPServer((sys.argv[1], int(sys.argv[2])), Handler)
print("listening", flush=True)
server.serve_forever()
