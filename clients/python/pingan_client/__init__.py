"""Pingan's services from Python: mutual TLS with the standard `ssl` module, the binary RPC
protocol (Shared/Wire/PROTOCOL.md), a typed client per service, and the change feed.

    from pingan_client import RegistryClient
    with RegistryClient("10.1.0.5", 7401, ca="ca.pem", cert="district.pem", key="district.key") as registry:
        volunteer = registry.get_volunteer(id=42)
"""
from .client import Client
from .connection import Connection
from .errors import Code, ProtocolError, RpcError
from .stubs import (AuditClient, DutyClient, FinanceClient, HealthClient, ReflectionClient, RegistryClient,
                    TrainingClient)
from .stubs import FeedClient as _GeneratedFeedClient
from pingan.feed.v1 import feed_pb2


class FeedClient(_GeneratedFeedClient):
    """A service's change feed (any service's address)."""

    def watch(self, after=0, stop_when_caught_up=False, reconnect_delay=1.0, timeout=None):
        """Every change after `after`, then (unless `stop_when_caught_up`) each new one as it
        commits. A lost connection is made again and the feed resumed after the last event
        yielded, so nothing is missed or repeated. Raises RpcError OUT_OF_RANGE when the events
        after `after` are no longer kept."""
        return Client.follow(self, "/pingan.feed.v1.Feed/Watch",
                             lambda cursor: feed_pb2.WatchRequest(after=cursor, stop_when_caught_up=stop_when_caught_up),
                             feed_pb2.ChangeEvent, after=after, reconnect_delay=reconnect_delay)

    def follow(self, after=0, reconnect_delay=1.0):
        """`watch` without end."""
        return self.watch(after=after, reconnect_delay=reconnect_delay)


__all__ = ["AuditClient", "Client", "Code", "Connection", "DutyClient", "FeedClient", "FinanceClient", "HealthClient", "ProtocolError",
           "ReflectionClient", "RegistryClient", "RpcError", "TrainingClient"]
