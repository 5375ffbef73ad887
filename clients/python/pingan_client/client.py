"""A service's address, with a connection made when needed and made again after a loss, and
retries only where they are safe."""
import time

from pingan.rpc.v1 import reflection_pb2

from .connection import Connection
from .errors import Code, RpcError

LIST_METHODS = "/pingan.rpc.v1.Reflection/ListMethods"


class Client:
    """Calls one service. A unary call that fails with UNAVAILABLE is made again once on a new
    connection when that cannot apply it twice: the server never got it, or the service says
    the method is idempotent (Reflection/ListMethods, asked once)."""

    def __init__(self, host, port, *, ca, cert, key, server_hostname=None, timeout=10.0):
        self._target = (host, port)
        self._tls = dict(ca=ca, cert=cert, key=key, server_hostname=server_hostname)
        self.timeout = timeout
        self._connection = None
        self._idempotent = None

    def connection(self):
        if self._connection is None or self._connection._broken:
            self._connection = Connection(*self._target, **self._tls)
        return self._connection

    def close(self):
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def is_idempotent(self, method):
        if self._idempotent is None:
            listing = self.connection().unary(LIST_METHODS, reflection_pb2.ListMethodsRequest(), reflection_pb2.ListMethodsResponse,
                                              timeout=self.timeout)
            self._idempotent = {m.name: m.idempotent for m in listing.methods}
        return self._idempotent.get(method, False)

    @staticmethod
    def _metadata(idempotency_key):
        return {"idempotency-key": idempotency_key} if idempotency_key else None

    def unary(self, method, request, response_type, *, timeout=None, idempotency_key=None):
        timeout = self.timeout if timeout is None else timeout
        try:
            return self.connection().unary(method, request, response_type, timeout=timeout, metadata=self._metadata(idempotency_key))
        except RpcError as error:
            if error.code != Code.UNAVAILABLE:
                raise
            retry = error.not_processed or idempotency_key is not None or self.is_idempotent(method)
            if not retry:
                raise
            self.close()
            return self.connection().unary(method, request, response_type, timeout=timeout, metadata=self._metadata(idempotency_key))

    def server_stream(self, method, request, response_type, *, timeout=None):
        """The responses as an iterator; closing it early cancels the call. No deadline unless given."""
        return self.connection().call(method, request, response_type, timeout=timeout)

    def client_stream(self, method, requests, response_type, *, timeout=None, idempotency_key=None):
        responses = list(self.connection().call(method, requests, response_type, client_stream=True,
                                                timeout=self.timeout if timeout is None else timeout,
                                                metadata=self._metadata(idempotency_key)))
        return responses[0]

    def follow(self, method, make_request, response_type, *, after=0, reconnect_delay=1.0, sequence=lambda event: event.sequence):
        """A feed as an endless iterator that resumes after the last event it yielded when the
        connection is lost. OUT_OF_RANGE (events no longer kept) and other refusals are raised."""
        cursor = after
        while True:
            try:
                for event in self.connection().call(method, make_request(cursor), response_type):
                    cursor = sequence(event)
                    yield event
                return
            except RpcError as error:
                if error.code != Code.UNAVAILABLE:
                    raise
                self.close()
                time.sleep(reconnect_delay)
