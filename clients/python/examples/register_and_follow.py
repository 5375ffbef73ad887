#!/usr/bin/env python3
"""Registers a small directed batch and prints the registry's change feed as it comes.

Against `make run`'s services, from the repository root, with the package installed
(`pip install ./clients/python`):

    python3 clients/python/examples/register_and_follow.py --pki run/pki --until-caught-up

It registers two people in DEPT-ZZB (category 1) under a batch id of its own (run it again: the
batch is answered once, and nothing new appears), then prints every event of the feed after
--after: sequence, action, the volunteer's name and unit.
"""
import argparse
import os

from pingan.registry.v1 import registry_pb2
from pingan_client import FeedClient, RegistryClient

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(body):
    """A resident ID number: the 17 digits and their GB 11643 check character."""
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7401)
    parser.add_argument("--pki", default="run/pki", help="folder with ca.pem and the client's PEM files")
    parser.add_argument("--identity", default="town-office", help="client certificate name in --pki")
    parser.add_argument("--after", type=int, default=0, help="the last sequence already seen")
    parser.add_argument("--until-caught-up", action="store_true", help="stop once every event so far was printed")
    options = parser.parse_args()
    tls = dict(ca=os.path.join(options.pki, "ca.pem"), cert=os.path.join(options.pki, options.identity + ".pem"),
               key=os.path.join(options.pki, options.identity + ".key"))

    with RegistryClient(options.host, options.port, **tls) as registry:
        header = registry_pb2.RegisterBatchRequest(header=registry_pb2.BatchHeader(batch_id="python-example", unit_code="DEPT-ZZB", category=1))
        rows = [registry_pb2.RegisterBatchRequest(row=registry_pb2.VolunteerRow(name=name, id_number=id_number(body)))
                for name, body in [("林一", "31011519800101771"), ("林二", "31011519810202772")]]
        answer = registry.register_batch([header] + rows)
        print("batch %s: %d registered%s" % (answer.batch_id, answer.accepted, " (answered before)" if answer.replayed else ""))

    for event in FeedClient(options.host, options.port, **tls).watch(after=options.after, stop_when_caught_up=options.until_caught_up):
        volunteer = registry_pb2.Volunteer()
        volunteer.ParseFromString(event.state)
        print("#%d %s %s %s %s (%s)" % (event.sequence, event.at, event.action, event.kind, volunteer.name, event.unit_code), flush=True)


if __name__ == "__main__":
    main()
