"""An HTTPS server on another TLS stack than the client's (Python's ssl module, OpenSSL), for the
TLS tests: it answers every GET with an empty Elasticsearch key list.

    python3 https_server.py CHAIN_PEM KEY_PEM [CLIENT_CA_PEM]

It listens on a free loopback port and prints the port on a line of its own. With CLIENT_CA_PEM it
requires a client certificate signed by that CA (mutual TLS). It runs until it is killed.
"""

import http.server
import ssl
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b'{"api_keys":[]}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def log_message(self, format, *args):
        pass


def main():
    chain, key = sys.argv[1], sys.argv[2]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain, key)
    if len(sys.argv) > 3:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(sys.argv[3])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # A handshake that fails raises in accept(), an OSError that socketserver skips.
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
