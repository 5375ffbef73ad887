"""The frames of PROTOCOL.md: a 10-byte header (length u32, type u8, flags u8, call id u32)
and the payloads of HEADERS, STATUS and GOAWAY. Pure functions over bytes."""
import struct

PREFACE = b"PINGAN" + struct.pack(">H", 1)
HEADERS, MESSAGE, STATUS, CANCEL, WINDOW_UPDATE, PING, GOAWAY, CLOSE = range(1, 9)
END_STREAM = 0x01
PING_ACK = 0x01
#: Messages each side may send on a call before the other grants more (§5.2).
INITIAL_WINDOW = 64
HEADER = struct.Struct(">IBBI")


def frame(kind, call_id, payload=b"", flags=0):
    return HEADER.pack(len(payload), kind, flags, call_id) + payload


def headers(method, timeout_us, metadata):
    encoded = method.encode()
    payload = struct.pack(">H", len(encoded)) + encoded + struct.pack(">QH", timeout_us, len(metadata))
    for key, value in metadata.items():
        key_bytes, value_bytes = key.encode(), value.encode()
        payload += struct.pack(">B", len(key_bytes)) + key_bytes + struct.pack(">H", len(value_bytes)) + value_bytes
    return payload


def status(payload):
    """(code, message, details bytes) of a STATUS payload."""
    code, length = struct.unpack(">BH", payload[:3])
    message = payload[3:3 + length].decode("utf-8", "replace")
    (details_length,) = struct.unpack(">I", payload[3 + length:7 + length])
    return code, message, payload[7 + length:7 + length + details_length]


def goaway(payload):
    """(last call id, code, reason) of a GOAWAY payload."""
    last, code, length = struct.unpack(">IIH", payload[:10])
    return last, code, payload[10:10 + length].decode("utf-8", "replace")


def window_update(count):
    return struct.pack(">I", count)
