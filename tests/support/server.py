"""The real Collab server in a subprocess (`python wsgi.py`), as users run it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Any, timeout: float = 10.0, interval: float = 0.02, message: str = "condition") -> Any:
    """Poll `condition` until it returns a truthy value; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


class LiveServer:
    """One server process. `env` adds COLLAB_* settings; the instance folder is private to it."""

    def __init__(self, instance_dir: Path, env: dict[str, str] | None = None, port: int | None = None) -> None:
        self.instance_dir = instance_dir
        self.port = port or free_port()
        self.env = {
            **os.environ,
            "COLLAB_INSTANCE_DIR": str(instance_dir),
            "COLLAB_PORT": str(self.port),
            "COLLAB_HOST": "127.0.0.1",
            "COLLAB_SECRET_KEY": "test-secret-key",
            **(env or {}),
        }
        self.log_path = instance_dir / f"server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        scheme = "https" if self.env.get("COLLAB_TLS_CERT") else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> LiveServer:
        self.instance_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "wsgi.py"], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        wait_for(self._ready, timeout, interval=0.05, message=f"server on port {self.port} (log: {self.log_path})")
        return self

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"server exited with {self.process.returncode}:\n{self.log()}")
        try:
            verify = self.env.get("COLLAB_TLS_CERT") or True  # a test certificate verifies against itself
            return requests.get(self.url + "/healthz", timeout=0.5, verify=verify).ok
        except requests.RequestException:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def kill(self) -> None:
        """kill -9: no chance to flush or clean up."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def cli(self, *args: str) -> str:
        """Run `flask --app wsgi ARGS` against this server's settings; return its stdout."""
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode != 0:
            raise AssertionError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def create_workshop(self, title: str = "Atelier test", groups: int = 4) -> dict[str, Any]:
        return json.loads(self.cli("collab", "create-workshop", title, "--groups", str(groups), "--json"))

    def join(self, code: str, name: str, group: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"code": code, "name": name}
        if group:
            body["group"] = group
        response = requests.post(self.url + "/api/v1/join", json=body, timeout=5)
        response.raise_for_status()
        return response.json()
