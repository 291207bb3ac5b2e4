"""Summarise a py-spy `--format raw` profile (collapsed stacks) of the one-threaded server.

    .venv/bin/python bench/pyspy_top.py bench/results/<stamp>/medium-collab-offer.pyspy.txt

bench/run.py --profile records with `--idle`, so every sample is where the server's only OS thread
was (eventlet runs every green thread on it): waiting in the hub's epoll counts as idle, and
everything else is time during which no other client was served. Prints the share of samples by
phase (idle, the op pipeline and its database work, the fan-out, reading frames, ...), then the
functions with the most inclusive and the most self samples.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys

# (label, pattern on the whole stack); the first match wins, so order from specific to general.
PHASES = [
    ("idle: hub waiting in epoll", r"Hub\.do_poll \([^;]*\)$"),
    ("op: database (SQLAlchemy + sqlite3)", r"on_op .*(sqlalchemy|sqlite3|pysqlite)"),
    ("op: broadcast emit (queueing the fan-out)", r"on_op .*(SocketIO\.emit|Server\.emit)"),
    ("op: other (validation, rate limit, ack)", r"on_op "),
    ("board:join / connect / presence", r"on_board_join|on_connect|on_disconnect|_send_presence"),
    ("engine.io writer: frames out", r"_websocket_handler\.<locals>\.writer"),
    ("engine.io reader: frames in", r"_websocket_handler|_handle_eio_message|_handle_event_internal"),
    ("hub: timers and green-thread switches", r"fire_timers|Waiter\.switch|hub\.py"),
]


def load(path: str) -> list[tuple[list[str], int]]:
    stacks = []
    with open(path) as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line:
                continue
            stack, _, count = line.rpartition(" ")
            try:
                n = int(count)
            except ValueError:
                continue
            stacks.append((stack.split(";"), n))
    return stacks


def short(frame: str) -> str:
    # "func (pkg/mod.py:123)" -> "func (pkg/mod.py)"
    return re.sub(r":\d+\)$", ")", frame)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("profile")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    stacks = load(args.profile)
    total = sum(n for _, n in stacks)
    if not total:
        print("empty profile", file=sys.stderr)
        return 1

    phases: collections.Counter[str] = collections.Counter()
    for frames, n in stacks:
        joined = ";".join(frames)
        for label, pattern in PHASES:
            if re.search(pattern, joined):
                phases[label] += n
                break
        else:
            phases["other"] += n
    print(f"{total} samples\n\nby phase:")
    for label, n in phases.most_common():
        print(f"  {100 * n / total:5.1f}%  {label}")

    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    for frames, n in stacks:
        for f in {short(f) for f in frames}:
            inclusive[f] += n
        own[short(frames[-1])] += n
    print(f"\ninclusive (top {args.top}):")
    for f, n in inclusive.most_common(args.top):
        print(f"  {100 * n / total:5.1f}%  {f}")
    print(f"\nself (top {args.top}):")
    for f, n in own.most_common(args.top):
        print(f"  {100 * n / total:5.1f}%  {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
