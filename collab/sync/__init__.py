"""Sync rules: ops, sequence numbers, de-duplication and catch-up (see docs/sync-spec.md).

Nothing in this package imports Flask or Socket.IO: it works on a SQLAlchemy session factory and
plain data, so it can be unit tested alone and reused by every entry point (socket, REST, replay).
"""
