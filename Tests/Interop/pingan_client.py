#!/usr/bin/env python3
"""A Pingan protocol client in Python, written from Shared/Wire/PROTOCOL.md and the .proto files.

It exists to prove that the spec is enough: a district system in another language must be
able to integrate. Standard library plus PyPI's `protobuf` (messages from generated/, made by
Shared/Contracts/generate.sh).

Usage: pingan_client.py HOST PORT CA CERT KEY
Runs the interop checks against a server that serves the test service's Count stream, prints
one JSON line with what it saw, and exits 0 only if every check passed.
"""
import json
import os
import socket
import ssl
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "generated"))
from pingan.health.v1 import health_pb2  # noqa: E402
from pingan.rpc.v1 import reflection_pb2, status_pb2  # noqa: E402

HEADERS, MESSAGE, STATUS, CANCEL, WINDOW_UPDATE, PING, GOAWAY, CLOSE = range(1, 9)
END_STREAM = 0x01
INITIAL_WINDOW = 64


class ProtocolFailure(Exception):
    pass


class Connection:
    """One TLS connection speaking the Pingan protocol; calls are made one at a time here."""

    def __init__(self, host, port, ca, cert, key):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_3
        context.load_verify_locations(ca)
        context.load_cert_chain(cert, key)
        raw = socket.create_connection((host, port), timeout=10)
        self.sock = context.wrap_socket(raw, server_hostname=host)
        self.sock.sendall(b"PINGAN" + struct.pack(">H", 1))
        magic, version = self._read(6), struct.unpack(">H", self._read(2))[0]
        if magic != b"PINGAN" or version != 1:
            raise ProtocolFailure("bad server preface %r version %d" % (magic, version))
        self.next_call_id = 1

    def _read(self, count):
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise EOFError("connection closed")
            data += chunk
        return data

    def send_frame(self, kind, flags, call_id, payload=b""):
        self.sock.sendall(struct.pack(">IBBI", len(payload), kind, flags, call_id) + payload)

    def read_frame(self):
        length, kind, flags, call_id = struct.unpack(">IBBI", self._read(10))
        return kind, flags, call_id, self._read(length)

    @staticmethod
    def headers(method, timeout_us, metadata):
        payload = struct.pack(">H", len(method)) + method.encode() + struct.pack(">QH", timeout_us, len(metadata))
        for key, value in metadata.items():
            payload += struct.pack(">B", len(key)) + key.encode() + struct.pack(">H", len(value.encode())) + value.encode()
        return payload

    def open_call(self, method, request):
        call_id = self.next_call_id
        self.next_call_id += 1
        self.send_frame(HEADERS, 0, call_id, self.headers(method, 10_000_000, {"request-id": "py-%d" % call_id}))
        self.send_frame(MESSAGE, END_STREAM, call_id, request.SerializeToString())
        return call_id

    @staticmethod
    def parse_status(payload):
        code, message_length = struct.unpack(">BH", payload[:3])
        message = payload[3:3 + message_length].decode()
        (details_length,) = struct.unpack(">I", payload[3 + message_length:7 + message_length])
        details = status_pb2.StatusDetails()
        details.ParseFromString(payload[7 + message_length:7 + message_length + details_length])
        return code, message, details

    def call(self, method, request, response_type, stream=False):
        """Returns (status code, status message, [responses]); grants credit while streaming."""
        call_id = self.open_call(method, request)
        responses, consumed = [], 0
        while True:
            kind, _, frame_call, payload = self.read_frame()
            if kind == PING:
                continue
            if frame_call != call_id:
                raise ProtocolFailure("frame for call %d while waiting for %d" % (frame_call, call_id))
            if kind == MESSAGE:
                message = response_type()
                message.ParseFromString(payload)
                responses.append(message)
                consumed += 1
                if stream and consumed == INITIAL_WINDOW // 2:
                    self.send_frame(WINDOW_UPDATE, 0, call_id, struct.pack(">I", consumed))
                    consumed = 0
            elif kind == STATUS:
                code, text, _ = self.parse_status(payload)
                return code, text, responses
            else:
                raise ProtocolFailure("unexpected frame type %d" % kind)

    def expect_goaway(self):
        while True:
            kind, _, _, payload = self.read_frame()
            if kind == GOAWAY:
                last_call, code, length = struct.unpack(">IIH", payload[:10])
                return code, payload[10:10 + length].decode()


def main():
    host, port, ca, cert, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    seen, ok = {}, True

    connection = Connection(host, port, ca, cert, key)
    code, _, responses = connection.call("/pingan.health.v1.Health/Check", health_pb2.HealthCheckRequest(),
                                         health_pb2.HealthCheckResponse)
    seen["health"] = health_pb2.HealthCheckResponse.ServingStatus.Name(responses[0].status) if responses else None
    ok &= code == 0 and seen["health"] == "SERVING"

    code, _, responses = connection.call("/pingan.rpc.v1.Reflection/ListMethods", reflection_pb2.ListMethodsRequest(),
                                         reflection_pb2.ListMethodsResponse)
    methods = {m.name: reflection_pb2.MethodInfo.Kind.Name(m.kind) for m in responses[0].methods} if responses else {}
    seen["count_kind"] = methods.get("/test.v1.Test/Count")
    ok &= code == 0 and seen["count_kind"] == "SERVER_STREAMING"

    # 200 messages: more than the initial window, so this only finishes if our credit works.
    code, _, responses = connection.call("/test.v1.Test/Count", health_pb2.HealthCheckRequest(service="200"),
                                         health_pb2.HealthCheckResponse, stream=True)
    seen["stream_messages"] = len(responses)
    seen["stream_in_order"] = [r.server for r in responses] == [str(i) for i in range(200)]
    ok &= code == 0 and seen["stream_messages"] == 200 and seen["stream_in_order"]

    code, text, _ = connection.call("/test.v1.Test/Nope", health_pb2.HealthCheckRequest(), health_pb2.HealthCheckResponse)
    seen["unknown_method"] = [code, text]
    ok &= code == 12

    broken = Connection(host, port, ca, cert, key)
    broken.send_frame(9, 0, 1)
    code, text = broken.expect_goaway()
    seen["malformed_frame_goaway"] = [code, text]
    ok &= code == 1 and text == "frame type 0x9 is not defined"

    seen["ok"] = bool(ok)
    print(json.dumps(seen))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
