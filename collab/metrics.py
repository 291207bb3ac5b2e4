"""Prometheus metrics at `/metrics` (the prometheus-client library), for every process of an instance.

The pipeline's edge (collab.mutations), the upload view, the connection gate and the live delivery
call the small functions below; collab.sync knows nothing of them. They cost a few microseconds and
never raise into their caller (a metric must not break an op).

With `COLLAB_METRICS_DIR` set, the library's multiprocess mode is on: each process writes its values to
memory-mapped files in that folder and `/metrics`, on any process, sums them all (connections keep a
`pid` label: per process). The folder must hold only the files of the running processes' set: the
first process to start when none of the others is alive empties it; a process that finds others alive
only drops the connection gauges of the dead ones (their counters stay in the sums, so they never go
down). Without it, `/metrics` shows this process alone. docs/operations.md has the dashboard.
"""

from __future__ import annotations

import atexit
import fcntl
import functools
import hmac
import logging
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from . import config
from .sync.errors import N_, OpError
from .sync.ops import OP_TYPES

log = logging.getLogger(__name__)
_KNOWN_TYPES = frozenset(OP_TYPES)
_PID_FILE = re.compile(r"_(\d+)\.db$")
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
FANOUT_BUCKETS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
SEND_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)


class _Metrics:
    def __init__(self, directory: str | None) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.directory = directory
        own = None if directory else CollectorRegistry()  # multiprocess: collected from the files
        self.registry = own
        self.connections = Gauge("collab_connections", "Live connections (Engine.IO) this process holds.",
                                 registry=own, multiprocess_mode="liveall")
        self.ops = Counter("collab_ops", "Ops submitted, by type and result (ok or the error code).",
                           ["type", "result"], registry=own)
        self.op_seconds = Histogram("collab_op_duration_seconds", "Time to apply and commit an op.",
                                    buckets=LATENCY_BUCKETS, registry=own)
        self.replays = Counter("collab_op_replays", "Ops whose op_id had been applied before (outbox retries).",
                               registry=own)
        self.fanout = Histogram("collab_fanout_connections", "Connections of this process a board event went to.",
                                buckets=FANOUT_BUCKETS, registry=own)
        self.fanout_seconds = Histogram("collab_fanout_seconds", "Time to send a board event to them.",
                                        buckets=SEND_BUCKETS, registry=own)
        self.uploads = Counter("collab_uploads", "Photo uploads, by result (ok, retry or the error code).",
                               ["result"], registry=own)
        self.errors = Counter("collab_errors", "Server errors: http (5xx answers), op and control (internal).",
                              ["kind"], registry=own)

    def exposition(self) -> bytes:
        from prometheus_client import CollectorRegistry, generate_latest, multiprocess

        if self.registry is not None:
            return generate_latest(self.registry)
        for gauge in Path(str(self.directory)).glob("gauge_live*.db"):  # a process killed (SIGKILL, SIGTERM)
            match = _PID_FILE.search(gauge.name)                          # holds no connections any more
            if match and not _alive(int(match.group(1))):
                multiprocess.mark_process_dead(int(match.group(1)), self.directory)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=self.directory)
        return generate_latest(registry)


_m: _Metrics | None = None
_initialised = False
_directory: str | None = None


def _metrics() -> _Metrics | None:
    global _m
    if _m is None and _initialised:
        _m = _Metrics(_directory)
    return _m


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _prepare(directory: Path) -> None:
    """Empty the folder if no other process of the set is alive; else forget the dead ones' gauges."""
    from prometheus_client import multiprocess

    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        files = list(directory.glob("*.db"))
        pids = {int(match.group(1)) for f in files if (match := _PID_FILE.search(f.name))}
        others = {pid for pid in pids if pid != os.getpid()}
        if not any(_alive(pid) for pid in others):
            for f in files:
                f.unlink(missing_ok=True)
        else:
            for pid in others:
                if not _alive(pid):
                    multiprocess.mark_process_dead(pid, str(directory))


def init_metrics(app: Flask) -> None:
    """Choose this process's mode (once: the first app decides) and serve `/metrics`. The metrics
    themselves are made when first used: a command (`flask db upgrade`, a backup) leaves no files."""
    global _initialised, _directory
    if not _initialised:
        _initialised, _directory = True, app.config["METRICS_DIR"] or None
        if _directory:
            # prometheus-client reads it from the environment, when it is first imported.
            config.export_metrics_dir(_directory)
            _prepare(Path(_directory))
            from prometheus_client import multiprocess, values

            pid, directory = os.getpid(), _directory
            atexit.register(lambda: multiprocess.mark_process_dead(pid, directory))
            if not getattr(values.ValueClass, "_multiprocess", False):
                log.warning("prometheus-client was imported before COLLAB_METRICS_DIR was set: this process only")
    app.add_url_rule("/metrics", "metrics", _serve)

    @app.after_request
    def _count_server_errors(response: Response) -> Response:
        if response.status_code >= 500:
            error("http")
        return response


def _serve() -> Response | tuple[Response, int]:
    token = current_app.config["METRICS_TOKEN"]
    if token:
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            from .api.errors import error_response

            response, status = error_response(OpError("unauthorized", N_("This access key is not valid (any more).")))
            response.headers["WWW-Authenticate"] = "Bearer"
            return response, status
    from prometheus_client import CONTENT_TYPE_LATEST

    m = _metrics()
    assert m is not None
    return Response(m.exposition(), 200, {"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"})


def _safely(record: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(record)
    def call(*args: Any) -> None:
        m = _m if _m is not None else _metrics()
        if m is None:
            return
        try:
            record(m, *args)
        except Exception:  # noqa: BLE001 - a metric never breaks what it measures
            log.exception("metric %s failed", record.__name__)

    return call


def op_type(raw: Any) -> str:
    kind = raw.get("type") if isinstance(raw, dict) else None
    return kind if isinstance(kind, str) and kind in _KNOWN_TYPES else "unknown"  # a dict is unhashable


@_safely
def op_done(m: _Metrics, kind: str, result: str, seconds: float | None = None, fresh: bool = True) -> None:
    """One op's answer (`result`: ok or its error code); `seconds` for applied ones, `fresh` False for a replay."""
    m.ops.labels(kind, result).inc()
    if seconds is not None:
        m.op_seconds.observe(seconds)
    if not fresh:
        m.replays.inc()


@_safely
def fanned_out(m: _Metrics, connections: int, seconds: float) -> None:
    m.fanout.observe(connections)
    m.fanout_seconds.observe(seconds)


@_safely
def connection_opened(m: _Metrics) -> None:
    m.connections.inc()


@_safely
def connection_closed(m: _Metrics) -> None:
    m.connections.dec()


@_safely
def error(m: _Metrics, kind: str) -> None:
    m.errors.labels(kind).inc()


@_safely
def upload_done(m: _Metrics, result: str) -> None:
    m.uploads.labels(result).inc()


def count_uploads(view: Callable[..., tuple[Response, int]]) -> Callable[..., tuple[Response, int]]:
    """The upload view's results: ok (201), retry (200: the photo was there), or the error code."""

    @functools.wraps(view)
    def counted(*args: Any, **kwargs: Any) -> tuple[Response, int]:
        try:
            response, status = view(*args, **kwargs)
        except OpError as err:
            upload_done(err.code)
            raise
        except HTTPException as err:
            upload_done(f"http_{err.code}")
            raise
        except Exception:
            upload_done("internal")
            raise
        upload_done("ok" if status == 201 else "retry")
        return response, status

    return counted


def now() -> float:
    return time.perf_counter()
