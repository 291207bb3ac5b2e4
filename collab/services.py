"""The application's shared services, kept in `app.extensions["collab"]`."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from .db import WriteGate, make_engine, make_session_factory
from .ratelimit import RateLimits


@dataclass
class Services:
    engine: Engine
    sessions: sessionmaker[Session]
    gate: WriteGate
    limits: RateLimits


def init_services(app: Flask) -> Services:
    engine = make_engine(app.config["DATABASE_URL"])
    queue = app.config["MESSAGE_QUEUE"]
    services = Services(
        engine=engine,
        sessions=make_session_factory(engine),
        gate=WriteGate(single_writer=engine.dialect.name == "sqlite"),
        limits=RateLimits(
            queue if queue and queue.startswith("redis") else "memory://",
            app.config["OP_RATE_LIMIT"],
            app.config["JOIN_FAILURE_LIMIT"],
        ),
    )
    app.extensions["collab"] = services
    return services


def services() -> Services:
    return current_app.extensions["collab"]
