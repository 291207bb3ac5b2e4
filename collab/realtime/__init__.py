"""Socket.IO: connection auth, board subscriptions, ops and presence (docs/protocol.md)."""

from . import handlers, log_filter  # noqa: F401  (handlers register on import)

log_filter.install()
