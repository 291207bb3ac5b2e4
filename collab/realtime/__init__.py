"""Socket.IO: connection auth, board subscriptions, ops and presence (docs/protocol.md)."""

from . import handlers  # noqa: F401  (handlers register on import)
