#!/usr/bin/env python3
"""Replays recorded Kubernetes API responses (a KinD + Cilium 1.12 cluster) to kubectl.

Usage: replay.py ROUTES_DIR   — listens on 127.0.0.1, prints "port N" on stdout once ready.
routes.json maps a request path (query string ignored) to a response file in ROUTES_DIR.
Unknown paths get the API server's own 404 Status object.
"""
import http.server, json, os, sys

root = sys.argv[1]
with open(os.path.join(root, "routes.json")) as f:
    routes = json.load(f)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        name = routes.get(path)
        if name is None:
            status, body = 404, json.dumps({
                "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": "the server could not find the requested resource", "reason": "NotFound",
                "details": {}, "code": 404}).encode()
        else:
            status = 200
            with open(os.path.join(root, name), "rb") as f:
                body = f.read()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write("replay: %s\n" % (fmt % args))


# socketserver, not HTTPServer: its bind does a reverse DNS lookup, slow without DNS.
import socketserver
server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
print("port", server.server_address[1], flush=True)
server.serve_forever()
