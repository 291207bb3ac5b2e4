"""The application's shared services, kept in `app.extensions["collab"]`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, current_app
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from .db import WriteGate, make_engine, make_session_factory
from .extensions import socketio
from .presence import Presence, SharedPresence
from .ratelimit import RateLimits

T = TypeVar("T")


def run_here(function: Callable[..., T], *args: Any) -> T:
    return function(*args)


@dataclass
class Services:
    engine: Engine
    sessions: sessionmaker[Session]
    gate: WriteGate
    limits: RateLimits
    presence: Presence
    # Runs CPU-heavy work (image decoding) where it does not stall the server: `wsgi.py` sets a real
    # OS thread pool for green-thread modes; elsewhere it runs in place.
    offload: Callable[..., Any] = run_here


def init_services(app: Flask) -> Services:
    engine = make_engine(app.config["DATABASE_URL"], app.config["DB_TIMEOUT"])
    queue = app.config["MESSAGE_QUEUE"]
    services = Services(
        engine=engine,
        sessions=make_session_factory(engine),
        gate=WriteGate(single_writer=engine.dialect.name == "sqlite"),
        limits=RateLimits.from_config(queue if queue and queue.startswith("redis") else "memory://", app.config),
        presence=SharedPresence(queue, socketio.start_background_task, socketio.sleep)
        if queue and queue.startswith("redis")
        else Presence(),
    )
    app.extensions["collab"] = services
    return services


def services() -> Services:
    return current_app.extensions["collab"]
