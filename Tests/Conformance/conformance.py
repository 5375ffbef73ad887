#!/usr/bin/env python3
"""The Pingan protocol conformance suite: one check per normative row of Shared/Wire/PROTOCOL.md.

What h2spec is to HTTP/2: run it against any implementation of a Pingan server, in any language,
to learn where it departs from the spec. It needs Python 3 (standard library `ssl`) and PyPI's
`protobuf`, and uses only what every Pingan server serves (Health, Reflection) plus raw frames.

    conformance.py --host 127.0.0.1 --port 7401 --ca ca.pem --cert client.pem --key client.key
    conformance.py ... --only H-      run the rows whose id starts with H-
    conformance.py --list             list the rows

The client certificate must be in the server's ACL with some role (Reflection needs one).
Prints a line per row on stderr, one JSON summary on stdout and, last, `N passed, N failed`.
Exits 0 only if every row passed.
"""
import argparse
import json
import os
import socket
import ssl
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Interop", "generated"))
from pingan.health.v1 import health_pb2  # noqa: E402
from pingan.rpc.v1 import reflection_pb2, status_pb2  # noqa: E402

SUITE_VERSION = "1.0"

HEADERS, MESSAGE, STATUS, CANCEL, WINDOW_UPDATE, PING, GOAWAY, CLOSE = range(1, 9)
END_STREAM, ACK = 0x01, 0x01
NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, UNSUPPORTED_VERSION, FRAME_TOO_LARGE = range(5)
OK, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, UNIMPLEMENTED = 0, 3, 4, 5, 12
HEALTH = "/pingan.health.v1.Health/Check"
LIST_METHODS = "/pingan.rpc.v1.Reflection/ListMethods"
HEADERS_LIMIT, PAYLOAD_LIMIT = 16 * 1024, 4 * 1024 * 1024


class Failed(Exception):
    """A row's expectation did not hold; the message says what was seen instead."""


class Closed(Exception):
    pass


class Connection:
    """One TLS connection after the preface exchange, sending and reading raw frames."""

    def __init__(self, options, preface=b"PINGAN\x00\x01", read_preface=True):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_3
        context.load_verify_locations(options.ca)
        context.load_cert_chain(options.cert, options.key)
        raw = socket.create_connection((options.host, options.port), timeout=options.timeout)
        self.sock = context.wrap_socket(raw, server_hostname=options.host)
        self.sock.settimeout(options.timeout)
        self.buffer = b""
        self.server_version = None
        if preface:
            self.sock.sendall(preface)
        if read_preface:
            magic, version = self.read(6), struct.unpack(">H", self.read(2))[0]
            if magic != b"PINGAN":
                raise Failed("server preface starts %r, not PINGAN" % magic)
            self.server_version = version

    def read(self, count):
        while len(self.buffer) < count:
            try:
                chunk = self.sock.recv(65536)
            except (ConnectionResetError, ssl.SSLError) as error:
                raise Closed(str(error))
            if not chunk:
                raise Closed("connection closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def send(self, *frames):
        self.sock.sendall(b"".join(frames))

    def frame(self):
        length, kind, flags, call_id = struct.unpack(">IBBI", self.read(10))
        return kind, flags, call_id, self.read(length)

    def next_frame(self, skip_pings=True):
        while True:
            kind, flags, call_id, payload = self.frame()
            if not (skip_pings and kind == PING):
                return kind, flags, call_id, payload

    def expect_goaway(self, code):
        """Reads up to the GOAWAY, checks its code and that the connection then closes."""
        try:
            while True:
                kind, _, _, payload = self.next_frame()
                if kind == GOAWAY:
                    last_call_id, error_code, length = struct.unpack(">IIH", payload[:10])
                    message = payload[10:10 + length].decode("utf-8", "replace")
                    if error_code != code:
                        raise Failed("GOAWAY code %d (%s), expected %d" % (error_code, message, code))
                    self.expect_closed()
                    return last_call_id, message
        except Closed as closed:
            raise Failed("connection closed without GOAWAY %d (%s)" % (code, closed))

    def expect_closed(self):
        try:
            while True:
                kind, _, _, _ = self.next_frame()
                if kind not in (GOAWAY,):
                    raise Failed("frame type %d after GOAWAY; expected the connection to close" % kind)
        except Closed:
            return
        except socket.timeout:
            raise Failed("the connection stayed open")

    def call(self, call_id, method, request, end_stream_on_headers=False, end_stream_on_message=True):
        frames = [frame(HEADERS, END_STREAM if end_stream_on_headers else 0, call_id, headers(method))]
        if request is not None:
            frames.append(frame(MESSAGE, END_STREAM if end_stream_on_message else 0, call_id, request.SerializeToString()))
        self.send(*frames)

    def answer(self, call_id):
        """The call's response messages and its STATUS (code, message, details)."""
        messages = []
        while True:
            kind, flags, frame_call, payload = self.next_frame()
            if kind == GOAWAY:
                raise Failed("GOAWAY while waiting for call %d: %s" % (call_id, payload[10:].decode("utf-8", "replace")))
            if frame_call != call_id:
                continue
            if kind == MESSAGE:
                if flags & END_STREAM:
                    raise Failed("a server MESSAGE carried END_STREAM (STATUS alone ends a call)")
                messages.append(payload)
            elif kind == STATUS:
                return messages, parse_status(payload)
            else:
                raise Failed("frame type %d for call %d" % (kind, call_id))

    def health_works(self, call_id):
        """The connection still serves calls: a Health check on `call_id` answers OK."""
        self.call(call_id, HEALTH, health_pb2.HealthCheckRequest())
        _, (code, message, _) = self.answer(call_id)
        if code != OK:
            raise Failed("Health on the same connection answered %d: %s" % (code, message))

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def frame(kind, flags, call_id, payload=b"", declared=None):
    length = len(payload) if declared is None else declared
    return struct.pack(">IBBI", length, kind, flags, call_id) + payload


def headers(method, timeout_us=10_000_000, metadata=None, raw_method=None):
    name = raw_method if raw_method is not None else method.encode()
    payload = struct.pack(">H", len(name)) + name + struct.pack(">Q", timeout_us)
    entries = list((metadata or {"request-id": "conformance"}).items())
    payload += struct.pack(">H", len(entries))
    for key, value in entries:
        payload += struct.pack(">B", len(key)) + key.encode() + struct.pack(">H", len(value.encode())) + value.encode()
    return payload


def parse_status(payload):
    code, message_length = struct.unpack(">BH", payload[:3])
    message = payload[3:3 + message_length].decode()
    (details_length,) = struct.unpack(">I", payload[3 + message_length:7 + message_length])
    details = status_pb2.StatusDetails()
    details.ParseFromString(payload[7 + message_length:7 + message_length + details_length])
    return code, message, details


ROWS = []


def row(identifier, section, title):
    def register(check):
        ROWS.append((identifier, section, title, check))
        return check
    return register


def expect(condition, message):
    if not condition:
        raise Failed(message)


def expect_status(connection, call_id, code):
    _, (got, message, details) = connection.answer(call_id)
    expect(got == code, "STATUS %d (%s), expected %d" % (got, message, code))
    return message, details


# §2 Connection preface

@row("P-1", "2", "the server sends its preface, PINGAN and version 1, once TLS is up")
def server_preface(options):
    connection = Connection(options)
    expect(connection.server_version == 1, "server preface version %s" % connection.server_version)
    connection.health_works(1)


@row("P-2", "2", "a client preface with other bytes than PINGAN: GOAWAY PROTOCOL_ERROR, then close")
def wrong_magic(options):
    Connection(options, preface=b"GET / HTTP/1.1\r\n\r\n").expect_goaway(PROTOCOL_ERROR)


@row("P-3", "2", "a client preface naming another version: GOAWAY UNSUPPORTED_VERSION naming the server's, then close")
def wrong_version(options):
    _, message = Connection(options, preface=b"PINGAN\x00\x07").expect_goaway(UNSUPPORTED_VERSION)
    expect("1" in message, "GOAWAY message does not name version 1: %r" % message)


# §3 Frames

@row("F-1", "3", "an undefined frame type: GOAWAY PROTOCOL_ERROR")
def undefined_type(options):
    connection = Connection(options)
    connection.send(frame(9, 0, 1))
    connection.expect_goaway(PROTOCOL_ERROR)


@row("F-2", "3", "a flag bit not defined for the type: GOAWAY PROTOCOL_ERROR")
def undefined_flag(options):
    connection = Connection(options)
    connection.send(frame(HEADERS, 0x80, 1, headers(HEALTH)))
    connection.expect_goaway(PROTOCOL_ERROR)


@row("F-3", "3", "a call frame with call id 0: GOAWAY PROTOCOL_ERROR")
def call_frame_id_zero(options):
    connection = Connection(options)
    connection.send(frame(HEADERS, 0, 0, headers(HEALTH)))
    connection.expect_goaway(PROTOCOL_ERROR)


@row("F-4", "3", "a PING with a non-zero call id: GOAWAY PROTOCOL_ERROR")
def ping_with_call_id(options):
    connection = Connection(options)
    connection.send(frame(PING, 0, 3, b"12345678"))
    connection.expect_goaway(PROTOCOL_ERROR)


@row("F-5", "3", "a PING whose payload is not 8 bytes: GOAWAY PROTOCOL_ERROR")
def short_ping(options):
    connection = Connection(options)
    connection.send(frame(PING, 0, 0, b"1234"))
    connection.expect_goaway(PROTOCOL_ERROR)


@row("F-6", "3", "a WINDOW_UPDATE whose payload is not 4 bytes: GOAWAY PROTOCOL_ERROR")
def long_window_update(options):
    connection = Connection(options)
    connection.send(frame(WINDOW_UPDATE, 0, 1, b"\x00\x00\x00\x00\x01"))
    connection.expect_goaway(PROTOCOL_ERROR)


@row("F-7", "3", "a CANCEL or CLOSE with a payload: GOAWAY PROTOCOL_ERROR")
def cancel_with_payload(options):
    for kind in (CANCEL, CLOSE):
        connection = Connection(options)
        connection.send(frame(kind, 0, 1, b"x"))
        connection.expect_goaway(PROTOCOL_ERROR)


# §8 Limits

@row("L-1", "8", "HEADERS declaring more than 16 KiB: GOAWAY FRAME_TOO_LARGE before the payload arrives")
def headers_too_large(options):
    connection = Connection(options)
    connection.send(frame(HEADERS, 0, 1, declared=HEADERS_LIMIT + 1))
    connection.expect_goaway(FRAME_TOO_LARGE)


@row("L-2", "8", "a MESSAGE declaring more than 4 MiB: GOAWAY FRAME_TOO_LARGE before the payload arrives")
def message_too_large(options):
    connection = Connection(options)
    connection.send(frame(MESSAGE, 0, 1, declared=PAYLOAD_LIMIT + 1))
    connection.expect_goaway(FRAME_TOO_LARGE)


@row("L-3", "8", "the size check comes before the fixed-size check: a 5 MiB WINDOW_UPDATE is FRAME_TOO_LARGE")
def size_check_first(options):
    connection = Connection(options)
    connection.send(frame(WINDOW_UPDATE, 0, 1, declared=5 * 1024 * 1024))
    connection.expect_goaway(FRAME_TOO_LARGE)


# §4 HEADERS

@row("H-1", "4", "a call id not above the last one used: GOAWAY PROTOCOL_ERROR")
def call_id_not_increasing(options):
    connection = Connection(options)
    connection.health_works(5)
    connection.call(5, HEALTH, health_pb2.HealthCheckRequest())
    connection.expect_goaway(PROTOCOL_ERROR)


@row("H-2", "4", "a field running past the payload: GOAWAY PROTOCOL_ERROR naming the field")
def truncated_headers(options):
    connection = Connection(options)
    connection.send(frame(HEADERS, 0, 1, struct.pack(">H", 5) + b"/a"))
    _, message = connection.expect_goaway(PROTOCOL_ERROR)
    expect("headers.method" in message, "GOAWAY message does not name headers.method: %r" % message)


@row("H-3", "4", "a metadata key outside a-z 0-9 - _ .: GOAWAY PROTOCOL_ERROR naming the key")
def bad_metadata_key(options):
    connection = Connection(options)
    connection.send(frame(HEADERS, 0, 1, headers(HEALTH, metadata={"Request-ID": "x"})))
    _, message = connection.expect_goaway(PROTOCOL_ERROR)
    expect("headers.metadata[0].key" in message, "GOAWAY message does not name headers.metadata[0].key: %r" % message)


@row("H-4", "4", "a method that is not printable ASCII: GOAWAY PROTOCOL_ERROR")
def unprintable_method(options):
    connection = Connection(options)
    connection.send(frame(HEADERS, 0, 1, headers(None, raw_method=b"/a.B/C\n")))
    connection.expect_goaway(PROTOCOL_ERROR)


@row("H-5", "4", "a printable method not of the form /Service/Method: STATUS UNIMPLEMENTED; the connection goes on")
def malformed_method_name(options):
    connection = Connection(options)
    for call_id, method in enumerate(["pingan.health.v1.Health/Check", "/pingan.health.v1.Health/Check ", "/a.B/C/D"], start=1):
        connection.call(call_id, method, health_pb2.HealthCheckRequest())
        expect_status(connection, call_id, UNIMPLEMENTED)
    connection.health_works(9)


@row("H-6", "4", "a method the server does not serve: STATUS UNIMPLEMENTED; the connection goes on")
def unknown_method(options):
    connection = Connection(options)
    connection.call(1, "/pingan.nothing.v1.Nothing/Nope", health_pb2.HealthCheckRequest())
    expect_status(connection, 1, UNIMPLEMENTED)
    connection.health_works(2)


# §5 Calls

@row("U-1", "5.1", "a unary call: one MESSAGE without END_STREAM, then STATUS OK")
def unary_call(options):
    connection = Connection(options)
    connection.call(1, HEALTH, health_pb2.HealthCheckRequest())
    messages, (code, message, _) = connection.answer(1)
    expect(code == OK, "STATUS %d (%s)" % (code, message))
    expect(len(messages) == 1, "%d response messages" % len(messages))
    response = health_pb2.HealthCheckResponse()
    response.ParseFromString(messages[0])
    expect(response.status == health_pb2.HealthCheckResponse.SERVING, "Health status %d" % response.status)
    expect(response.server != "" and response.version != "", "Health names no server or version")


@row("U-2", "5.1", "a unary call opened with END_STREAM on HEADERS: STATUS INVALID_ARGUMENT; the connection goes on")
def unary_without_request(options):
    connection = Connection(options)
    connection.call(1, HEALTH, None, end_stream_on_headers=True)
    expect_status(connection, 1, INVALID_ARGUMENT)
    connection.health_works(2)


@row("U-3", "5.1", "a unary request MESSAGE without END_STREAM: STATUS INVALID_ARGUMENT; the connection goes on")
def unary_without_end_stream(options):
    connection = Connection(options)
    connection.call(1, HEALTH, health_pb2.HealthCheckRequest(), end_stream_on_message=False)
    expect_status(connection, 1, INVALID_ARGUMENT)
    connection.health_works(2)


@row("U-4", "5", "many calls in flight on one connection: each answered under its own call id")
def many_calls(options):
    connection = Connection(options)
    frames = []
    for call_id in range(1, 101):
        frames.append(frame(HEADERS, 0, call_id, headers(HEALTH)))
        frames.append(frame(MESSAGE, END_STREAM, call_id, health_pb2.HealthCheckRequest().SerializeToString()))
    connection.send(*frames)
    answered = set()
    while len(answered) < 100:
        kind, _, call_id, payload = connection.next_frame()
        if kind == STATUS:
            code, message, _ = parse_status(payload)
            expect(code == OK, "call %d: STATUS %d (%s)" % (call_id, code, message))
            expect(call_id not in answered, "call %d got two STATUS frames" % call_id)
            answered.add(call_id)
    expect(answered == set(range(1, 101)), "calls answered: %s" % sorted(answered))


@row("D-1", "4", "a timeout of 1 microsecond: STATUS OK or DEADLINE_EXCEEDED, nothing else")
def tiny_timeout(options):
    connection = Connection(options)
    connection.send(frame(HEADERS, 0, 1, headers(HEALTH, timeout_us=1)),
                    frame(MESSAGE, END_STREAM, 1, health_pb2.HealthCheckRequest().SerializeToString()))
    _, (code, message, _) = connection.answer(1)
    expect(code in (OK, DEADLINE_EXCEEDED), "STATUS %d (%s)" % (code, message))


# §5.5 What each frame does

@row("T-1", "5.5", "MESSAGE, CLOSE or WINDOW_UPDATE for a call id above any opened: GOAWAY PROTOCOL_ERROR")
def frames_for_unopened_calls(options):
    for payload_frame in (frame(MESSAGE, END_STREAM, 7, b""), frame(CLOSE, 0, 7), frame(WINDOW_UPDATE, 0, 7, struct.pack(">I", 1))):
        connection = Connection(options)
        connection.send(payload_frame)
        connection.expect_goaway(PROTOCOL_ERROR)


@row("T-2", "5.5", "MESSAGE, CLOSE, WINDOW_UPDATE or CANCEL for a call that has ended, or an id skipped: ignored")
def frames_for_ended_calls(options):
    connection = Connection(options)
    connection.health_works(3)
    connection.send(frame(MESSAGE, 0, 3, b""), frame(CLOSE, 0, 3), frame(WINDOW_UPDATE, 0, 3, struct.pack(">I", 5)),
                    frame(CANCEL, 0, 3), frame(CANCEL, 0, 3), frame(MESSAGE, END_STREAM, 2, b""), frame(CANCEL, 0, 1))
    connection.health_works(4)


@row("T-3", "5.5", "CANCEL for a call id never opened: ignored")
def cancel_unopened(options):
    connection = Connection(options)
    connection.send(frame(CANCEL, 0, 40))
    connection.health_works(1)


@row("T-4", "5.5", "a WINDOW_UPDATE granting 0: GOAWAY PROTOCOL_ERROR")
def zero_window_update(options):
    connection = Connection(options)
    connection.health_works(1)
    connection.send(frame(WINDOW_UPDATE, 0, 1, struct.pack(">I", 0)))
    connection.expect_goaway(PROTOCOL_ERROR)


@row("T-5", "5.5", "a STATUS from a client: GOAWAY PROTOCOL_ERROR")
def client_status(options):
    connection = Connection(options)
    connection.send(frame(STATUS, 0, 1, struct.pack(">BHIH", 0, 0, 0, 0)))
    connection.expect_goaway(PROTOCOL_ERROR)


@row("T-6", "5.5", "a CANCEL for a call in flight: the server sends nothing more for it")
def cancel_in_flight(options):
    connection = Connection(options)
    # A call that is still open when CANCEL arrives: its request has not ended.
    connection.send(frame(HEADERS, 0, 1, headers(HEALTH)), frame(CANCEL, 0, 1))
    connection.health_works(2)
    connection.sock.settimeout(0.3)
    try:
        kind, _, call_id, _ = connection.next_frame()
        raise Failed("frame type %d for call %d after its CANCEL" % (kind, call_id))
    except (socket.timeout, ssl.SSLError):
        pass


# §6 Connection frames

@row("G-1", "6", "a PING is answered with ACK and the same 8 bytes")
def ping_answered(options):
    connection = Connection(options)
    connection.send(frame(PING, 0, 0, b"pingan42"))
    kind, flags, call_id, payload = connection.next_frame(skip_pings=False)
    expect(kind == PING and flags == ACK and call_id == 0 and payload == b"pingan42",
           "answer: type %d flags %d call %d payload %r" % (kind, flags, call_id, payload))


@row("G-2", "6", "a PING with ACK is not answered")
def ping_ack_ignored(options):
    connection = Connection(options)
    connection.send(frame(PING, ACK, 0, b"ackack42"))
    connection.call(1, HEALTH, health_pb2.HealthCheckRequest())
    kind, _, call_id, _ = connection.next_frame(skip_pings=False)
    expect(kind != PING, "the server answered a PING that carried ACK")
    expect(call_id == 1, "first frame is for call %d" % call_id)


@row("G-3", "6", "a client's GOAWAY: the calls it opened are answered, then the server closes the connection")
def client_goaway(options):
    connection = Connection(options)
    connection.send(frame(HEADERS, 0, 1, headers(HEALTH)),
                    frame(MESSAGE, END_STREAM, 1, health_pb2.HealthCheckRequest().SerializeToString()),
                    frame(GOAWAY, 0, 0, struct.pack(">IIH", 0, NO_ERROR, 4) + b"done"))
    _, (code, message, _) = connection.answer(1)
    expect(code == OK, "STATUS %d (%s)" % (code, message))
    connection.expect_closed()


@row("G-4", "6", "HEADERS after the client's own GOAWAY: GOAWAY PROTOCOL_ERROR")
def headers_after_client_goaway(options):
    connection = Connection(options)
    connection.send(frame(HEADERS, 0, 1, headers(HEALTH)),
                    frame(GOAWAY, 0, 0, struct.pack(">IIH", 0, NO_ERROR, 0)),
                    frame(HEADERS, 0, 2, headers(HEALTH)))
    connection.expect_goaway(PROTOCOL_ERROR)


@row("G-5", "8", "a protocol error's GOAWAY names the last call opened, not the offending frame's id")
def goaway_last_call_id(options):
    connection = Connection(options)
    connection.health_works(1)
    connection.send(frame(HEADERS, 0, 5, struct.pack(">H", 50) + b"/x"))
    last_call_id, _ = connection.expect_goaway(PROTOCOL_ERROR)
    expect(last_call_id == 1, "last_call_id %d, expected 1" % last_call_id)


# §7 Status codes and the built-in services

@row("R-1", "7", "Health: an empty service is the server; a service it does not serve is NOT_FOUND")
def health_service_field(options):
    connection = Connection(options)
    connection.call(1, HEALTH, health_pb2.HealthCheckRequest(service="pingan.health.v1.Health"))
    expect_status(connection, 1, OK)
    connection.call(2, HEALTH, health_pb2.HealthCheckRequest(service="no.such.v1.Service"))
    message, _ = expect_status(connection, 2, NOT_FOUND)
    expect("service" in message, "the message does not name the field: %r" % message)


@row("R-2", "7", "ListMethods lists every method served, Health and itself included, each of the form /Service/Method")
def list_methods(options):
    connection = Connection(options)
    connection.call(1, LIST_METHODS, reflection_pb2.ListMethodsRequest())
    messages, (code, message, _) = connection.answer(1)
    expect(code == OK, "STATUS %d (%s): is the client certificate in the ACL?" % (code, message))
    response = reflection_pb2.ListMethodsResponse()
    response.ParseFromString(messages[0])
    names = [method.name for method in response.methods]
    expect(HEALTH in names and LIST_METHODS in names, "listed: %s" % names)
    for name in names:
        parts = name.split("/")
        expect(len(parts) == 3 and parts[0] == "" and all(parts[1:]), "not /Service/Method: %r" % name)


def main():
    parser = argparse.ArgumentParser(description="Pingan protocol conformance suite %s" % SUITE_VERSION)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int)
    parser.add_argument("--ca")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--only", default="", help="run the rows whose id starts with this")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for any one answer")
    parser.add_argument("--list", action="store_true", help="list the rows and exit")
    options = parser.parse_args()
    if options.list:
        for identifier, section, title, _ in ROWS:
            print("%-4s §%-4s %s" % (identifier, section, title))
        return 0
    if not all([options.port, options.ca, options.cert, options.key]):
        parser.error("--port, --ca, --cert and --key are required")

    results = []
    for identifier, section, title, check in ROWS:
        if not identifier.startswith(options.only):
            continue
        started = time.monotonic()
        try:
            check(options)
            ok, detail = True, ""
        except Failed as failure:
            ok, detail = False, str(failure)
        except (Closed, OSError) as error:
            ok, detail = False, "%s: %s" % (type(error).__name__, error)
        elapsed = time.monotonic() - started
        results.append({"id": identifier, "section": section, "title": title, "ok": ok, "detail": detail,
                        "seconds": round(elapsed, 3)})
        print("%s %-4s §%-4s %s%s" % ("ok  " if ok else "FAIL", identifier, section, title, "" if ok else "\n          " + detail),
              file=sys.stderr)
    passed = sum(1 for result in results if result["ok"])
    failed = len(results) - passed
    print(json.dumps({"suite": "pingan-conformance", "version": SUITE_VERSION, "server": "%s:%d" % (options.host, options.port),
                      "passed": passed, "failed": failed, "results": results}, ensure_ascii=False))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
