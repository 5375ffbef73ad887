"""One mutual-TLS connection speaking the Pingan protocol, with the standard library's `ssl`.

Blocking, and one call at a time per connection (a lock serialises them): an integrator who
wants calls in parallel opens several connections. Deadlines travel to the server in HEADERS
and are enforced here too; a stream left unfinished is cancelled (CANCEL) when its iterator is
closed; a server stream grants credit back as it is read, and a client stream waits for credit.
"""
import itertools
import os
import socket
import ssl
import struct
import threading
import time

from pingan.rpc.v1 import status_pb2

from . import wire
from .errors import Code, ProtocolError, RpcError


class Connection:
    def __init__(self, host, port, *, ca, cert, key, server_hostname=None, connect_timeout=10.0):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_3
        context.load_verify_locations(ca)
        context.load_cert_chain(cert, key)
        try:
            raw = socket.create_connection((host, port), timeout=connect_timeout)
            self._sock = context.wrap_socket(raw, server_hostname=server_hostname or host)
            self._sock.sendall(wire.PREFACE)
            if self._read(8) != wire.PREFACE:
                raise ProtocolError("the server did not answer with the Pingan preface")
        except (OSError, ssl.SSLError) as error:
            raise RpcError(Code.UNAVAILABLE, "cannot connect to %s:%d: %s" % (host, port, error), not_processed=True) from error
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._broken = None
        self.address = "%s:%d" % (host, port)

    # Frames

    def _read(self, count):
        data = bytearray()
        while len(data) < count:
            chunk = self._sock.recv(count - len(data))
            if not chunk:
                raise EOFError("the server closed the connection")
            data += chunk
        return bytes(data)

    def _send(self, kind, call_id, payload=b"", flags=0):
        self._sock.sendall(wire.frame(kind, call_id, payload, flags))

    def _next_frame(self, deadline):
        """The next frame that is not connection housekeeping; PINGs are answered here."""
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise socket.timeout()
            self._sock.settimeout(remaining)
            length, kind, flags, call_id = wire.HEADER.unpack(self._read(10))
            payload = self._read(length)
            if kind == wire.PING:
                if not flags & wire.PING_ACK:
                    self._send(wire.PING, 0, payload, wire.PING_ACK)
                continue
            if kind == wire.GOAWAY:
                last, code, reason = wire.goaway(payload)
                self._broken = "the server is going away (%s)" % reason
                return kind, flags, call_id, payload
            return kind, flags, call_id, payload

    # Calls

    def call(self, method, requests, response_type, *, client_stream=False, timeout=None, metadata=None):
        """Runs one call and yields its responses; raises RpcError for a status other than OK.
        `requests` is one message, or an iterable of them for a client stream."""
        if self._broken:
            raise RpcError(Code.UNAVAILABLE, "connection to %s is closed: %s" % (self.address, self._broken), not_processed=True)
        deadline = None if timeout is None else time.monotonic() + timeout
        fields = {"request-id": "py-" + os.urandom(6).hex()}
        fields.update(metadata or {})
        with self._lock:
            call_id = next(self._ids)
            finished = False
            try:
                try:
                    self._send(wire.HEADERS, call_id, wire.headers(method, int((timeout or 0) * 1_000_000), fields))
                except OSError as error:
                    self._broken = str(error)
                    raise RpcError(Code.UNAVAILABLE, "connection to %s lost: %s" % (self.address, error), not_processed=True) from error
                if client_stream:
                    self._send_stream(call_id, requests, deadline)
                else:
                    self._send(wire.MESSAGE, call_id, requests.SerializeToString(), wire.END_STREAM)
                consumed = 0
                while True:
                    kind, _, frame_call, payload = self._next_frame(deadline)
                    if kind == wire.GOAWAY:
                        raise RpcError(Code.UNAVAILABLE, self._broken)
                    if frame_call != call_id:
                        continue  # an earlier, cancelled call's late frame
                    if kind == wire.MESSAGE:
                        response = response_type()
                        response.ParseFromString(payload)
                        consumed += 1
                        if consumed == wire.INITIAL_WINDOW // 2:
                            self._send(wire.WINDOW_UPDATE, call_id, wire.window_update(consumed))
                            consumed = 0
                        yield response
                    elif kind == wire.STATUS:
                        finished = True
                        code, text, details_bytes = wire.status(payload)
                        if code != Code.OK:
                            details = status_pb2.StatusDetails()
                            details.ParseFromString(details_bytes)
                            raise RpcError(code, text, details)
                        return
                    elif kind != wire.WINDOW_UPDATE:
                        raise ProtocolError("frame type %d on call %d" % (kind, call_id))
            except socket.timeout:
                raise RpcError(Code.DEADLINE_EXCEEDED, "%s took longer than %.3f s" % (method, timeout)) from None
            except (EOFError, OSError) as error:
                finished = True
                self._broken = str(error)
                raise RpcError(Code.UNAVAILABLE, "connection to %s lost: %s" % (self.address, error)) from error
            finally:
                if not finished and not self._broken:
                    # Abandoned or timed out: the server stops; nothing more comes for it.
                    try:
                        self._send(wire.CANCEL, call_id)
                    except OSError:
                        pass

    def _send_stream(self, call_id, requests, deadline):
        credit = wire.INITIAL_WINDOW
        for request in requests:
            while credit == 0:
                kind, _, frame_call, payload = self._next_frame(deadline)
                if frame_call == call_id and kind == wire.WINDOW_UPDATE:
                    credit += struct.unpack(">I", payload)[0]
                elif frame_call == call_id and kind == wire.STATUS:
                    code, text, details_bytes = wire.status(payload)
                    details = status_pb2.StatusDetails()
                    details.ParseFromString(details_bytes)
                    raise RpcError(code or Code.FAILED_PRECONDITION, text or "the server ended the call early", details)
            self._send(wire.MESSAGE, call_id, request.SerializeToString())
            credit -= 1
        self._send(wire.CLOSE, call_id)

    def unary(self, method, request, response_type, **options):
        responses = list(self.call(method, request, response_type, **options))
        if len(responses) != 1:
            raise RpcError(Code.INTERNAL, "%s answered %d messages, not one" % (method, len(responses)))
        return responses[0]

    def close(self):
        try:
            self._sock.close()
        finally:
            self._broken = self._broken or "closed"
