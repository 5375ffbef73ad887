#!/usr/bin/env python3
"""Checks pingan_client against running services (IntegrationTests/PythonClientTests runs it in
`make test`): python3 live_check.py CA CERT KEY REGISTRY_PORT FIRST_VOLUNTEER VOLUNTEERS.
Prints one JSON line of what it saw and exits 0 only if every check passed."""
import itertools
import json
import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pingan.registry.v1 import registry_pb2  # noqa: E402
from pingan_client import Code, FeedClient, HealthClient, RegistryClient, RpcError  # noqa: E402

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(sequence):
    body = "110105198001%02d%03d" % (1 + sequence % 28, 500 + sequence % 400)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def main():
    ca, cert, key, port, first, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    tls = dict(ca=ca, cert=cert, key=key)
    seen, ok = {}, True

    with HealthClient("127.0.0.1", port, **tls) as health:
        seen["health"] = health.check().status
        ok &= seen["health"] == 1

    registry = RegistryClient("127.0.0.1", port, **tls)
    volunteer = registry.get_volunteer(id=first)
    seen["name"], seen["masked"] = volunteer.name, "*" in volunteer.id_number
    ok &= volunteer.name == "队员1" and seen["masked"]

    seen["exported"] = sum(1 for _ in registry.export_volunteers())
    ok &= seen["exported"] == count

    try:
        registry.get_volunteer(id=999_999)
        ok = False
    except RpcError as error:
        seen["missing"] = error.code.name
        ok &= error.code == Code.NOT_FOUND

    bad = [registry_pb2.RegisterBatchRequest(header=registry_pb2.BatchHeader(batch_id="py-bad", unit_code="DEPT-ZZB", category=1)),
           registry_pb2.RegisterBatchRequest(row=registry_pb2.VolunteerRow(name="坏", id_number="123"))]
    try:
        registry.register_batch(bad)
        ok = False
    except RpcError as error:
        seen["invalid"] = [error.code.name, [(field, rule) for field, rule, _ in error.violations]]
        ok &= error.code == Code.INVALID_ARGUMENT and any(rule == "ID_LENGTH" for _, rule, _ in error.violations)

    try:
        registry.get_volunteer(id=first, timeout=0.000001)
        ok = False
    except RpcError as error:
        seen["deadline"] = error.code.name
        ok &= error.code == Code.DEADLINE_EXCEEDED

    # Leaving a stream early cancels it; the connection serves the next call.
    for _ in registry.export_volunteers():
        break
    ok &= registry.get_volunteer(id=first).name == "队员1"

    # A lost connection: an idempotent call is made again on a new one.
    registry.connection()._sock.close()
    seen["after_loss"] = registry.get_volunteer(id=first).name
    ok &= seen["after_loss"] == "队员1"

    feed = FeedClient("127.0.0.1", port, **tls)
    events = list(feed.watch(after=0, stop_when_caught_up=True))
    seen["feed"] = [e.action for e in events]
    ok &= seen["feed"] == ["registered"] * count
    last = events[-1].sequence
    # Where the feed stands: what a copy starts following after.
    position = feed.position()
    seen["position"] = [position.last_sequence, position.pruned_through]
    ok &= position.last_sequence == last and position.pruned_through == 0

    live = []
    follower = threading.Thread(daemon=True, target=lambda: live.extend(itertools.islice(FeedClient("127.0.0.1", port, **tls).follow(after=last), 1)))
    follower.start()
    header = registry_pb2.RegisterBatchRequest(header=registry_pb2.BatchHeader(batch_id="py-1", unit_code="DEPT-ZZB", category=1))
    row = registry_pb2.RegisterBatchRequest(row=registry_pb2.VolunteerRow(name="派森", id_number=id_number(7)))
    registered = registry.register_batch([header, row])
    seen["registered"] = registered.accepted
    follower.join(timeout=10)
    seen["followed"] = [(e.action, e.sequence > last) for e in live]
    ok &= registered.accepted == 1 and seen["followed"] == [("registered", True)]

    try:
        list(feed.watch(after=-1, stop_when_caught_up=True))
        ok = False
    except RpcError as error:
        seen["bad_after"] = error.code.name
        ok &= error.code == Code.INVALID_ARGUMENT

    seen["ok"] = bool(ok)
    print(json.dumps(seen, ensure_ascii=False))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
