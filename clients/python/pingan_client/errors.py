"""Status codes and the error a failed call raises (PROTOCOL.md, "Status codes")."""
from enum import IntEnum


class Code(IntEnum):
    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16


class RpcError(Exception):
    """A call that did not succeed: its status code, message and details (field violations,
    retry information) as the server sent them, or as this library decided (a deadline passed,
    the connection was lost)."""

    def __init__(self, code, message, details=None, not_processed=False):
        super().__init__("%s: %s" % (Code(code).name, message))
        self.code = Code(code)
        self.message = message
        self.details = details
        #: True when the server cannot have acted on the call (it never reached it, or the
        #: server said so): a retry is safe whatever the method.
        self.not_processed = not_processed

    @property
    def violations(self):
        """[(field, rule, description)] of the refusal, for INVALID_ARGUMENT and friends."""
        if self.details is None:
            return []
        return [(v.field, v.rule, v.description) for v in self.details.field_violations]


class ProtocolError(Exception):
    """The peer broke the protocol; the connection is closed."""
