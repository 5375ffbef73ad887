#!/usr/bin/env python3
"""Calls /pingan.health.v1.Health/Check with Python's ssl module, written from PROTOCOL.md.

Usage: health_check.py HOST PORT CA CERT KEY [--no-cert] [--tls12]
Prints one JSON line: the server's preface version, the call's status code and message, and
the response message bytes in hex (a serialized pingan.health.v1.HealthCheckResponse).
Standard library only, so it needs nothing installed.
"""
import json
import socket
import ssl
import struct
import sys

FRAME_HEADERS, FRAME_MESSAGE, FRAME_STATUS, FRAME_GOAWAY = 0x01, 0x02, 0x03, 0x07
END_STREAM = 0x01


def frame(kind, flags, call_id, payload):
    return struct.pack(">IBBI", len(payload), kind, flags, call_id) + payload


def read_exactly(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise EOFError("connection closed after %d of %d bytes" % (len(data), count))
        data += chunk
    return data


def main():
    host, port, ca, cert, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(ca)
    if "--no-cert" not in sys.argv:
        context.load_cert_chain(cert, key)
    if "--tls12" in sys.argv:
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    result = {}
    try:
        with socket.create_connection((host, port), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname=host) as sock:
                method = b"/pingan.health.v1.Health/Check"
                headers = struct.pack(">H", len(method)) + method + struct.pack(">QH", 5_000_000, 1)
                headers += struct.pack(">B", 10) + b"request-id" + struct.pack(">H", 6) + b"py-001"
                sock.sendall(b"PINGAN" + struct.pack(">H", 1)
                             + frame(FRAME_HEADERS, 0, 1, headers)
                             + frame(FRAME_MESSAGE, END_STREAM, 1, b""))
                magic, version = read_exactly(sock, 6), struct.unpack(">H", read_exactly(sock, 2))[0]
                result["preface"] = magic.decode("ascii")
                result["version"] = version
                while True:
                    length, kind, flags, call_id = struct.unpack(">IBBI", read_exactly(sock, 10))
                    payload = read_exactly(sock, length)
                    if kind == FRAME_MESSAGE:
                        result["response_hex"] = payload.hex()
                    elif kind == FRAME_STATUS:
                        code, message_length = struct.unpack(">BH", payload[:3])
                        result["status_code"] = code
                        result["status_message"] = payload[3:3 + message_length].decode("utf-8")
                        break
                    elif kind == FRAME_GOAWAY:
                        result["goaway"] = payload[10:].decode("utf-8")
                        break
                result["tls_version"] = sock.version()
    except (ssl.SSLError, OSError, EOFError) as error:
        result["error"] = str(error)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
