"""Live delivery: every message is filtered for its reader when it is sent, on every process.

Socket.IO's client manager sends a room's message to each connection of the room that this process
holds; with a message queue (Redis), every process receives every emit and delivers it to its own
connections. `FilteringManager` hooks that last step: a `DeliveryPolicy` (collab.realtime.readers)
decides for each connection whether it may read the message and what it sees of it (SYNC-15), and
may act on the connections after a message (leave rooms, close them). So a stale subscription never
leaks, and access changes reach the connections of every process through the same queue, in order
with the events.

`client_manager(queue_url)` is the one place where the manager is built (create_app passes it to
Flask-SocketIO).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import socketio
from engineio import packet as eio_packet
from socketio import packet

from .. import metrics
from .queue import RecoveringRedisManager

PerReader = Callable[[str], Any]  # sid -> what that connection gets (SKIP: nothing)
SKIP = object()


class DeliveryPolicy(Protocol):
    def view(self, event: str, data: Any, room: str) -> PerReader | None:
        """None: every connection of the room gets `data` as it is; else what each one gets."""

    def after(self, event: str, data: Any, room: str | None, sids: list[str]) -> None:
        """Called once the message went out to the room's connections of this process (room None:
        to every connection, called before it goes out)."""


class FilteringManager(socketio.Manager):
    """Local delivery with a per-reader view. Sits below the queue managers in their MRO: a
    PubSubManager hands every received emit to `super().emit`, which is this one."""

    policy: DeliveryPolicy | None = None

    def emit(self, event: str, data: Any, namespace: str, room: Any = None, skip_sid: Any = None,
             callback: Any = None, to: Any = None, **kwargs: Any) -> None:
        room = to or room
        policy = self.policy
        if policy is not None and room is None and callback is None:
            policy.after(event, data, None, [sid for sid, _ in self.get_participants(namespace, None)])
        if policy is None or callback is not None or not isinstance(room, str) or namespace not in self.rooms:
            return super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, **kwargs)
        started = metrics.now()
        per_reader = policy.view(event, data, room)
        skipped = set(skip_sid) if isinstance(skip_sid, list) else {skip_sid}
        members = [(sid, eio_sid) for sid, eio_sid in self.get_participants(namespace, room) if sid not in skipped]
        batches: dict[int, tuple[Any, list[str]]] = {}
        for sid, eio_sid in members:
            payload = data if per_reader is None else per_reader(sid)
            if payload is SKIP:
                continue
            batches.setdefault(id(payload), (payload, []))[1].append(eio_sid)
        sent = 0
        for payload, eio_sids in batches.values():
            sent += len(eio_sids)
            encoded = self.server.packet_class(packet.EVENT, namespace=namespace, data=[event, payload]).encode()
            frames = [eio_packet.Packet(eio_packet.MESSAGE, p) for p in (encoded if isinstance(encoded, list)
                                                                           else [encoded])]
            for eio_sid in eio_sids:
                for frame in frames:
                    self.server._send_eio_packet(eio_sid, frame)
        if event == "event":  # a board event: how many connections, how long (collab.metrics)
            metrics.fanned_out(sent, metrics.now() - started)
        policy.after(event, data, room, [sid for sid, _ in members])


class FilteringRedisManager(RecoveringRedisManager, FilteringManager):
    """Redis fan-out between processes; each process filters for its own readers."""


def client_manager(queue_url: str | None, channel: str = "flask-socketio") -> FilteringManager:
    if queue_url and queue_url.startswith(("redis://", "rediss://")):
        return FilteringRedisManager(queue_url, channel=channel)
    if queue_url:
        raise RuntimeError("COLLAB_MESSAGE_QUEUE must be a redis:// URL")
    return FilteringManager()
