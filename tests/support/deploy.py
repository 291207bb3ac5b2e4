"""The deployment of docs/deploy.md on this machine: a test CA and certificate (trustme), the proxy
sites of deploy/ rendered by deploy/render.sh as an operator does, nginx or Caddy run from them as
child processes on free ports of 127.0.0.1, and two Collab processes on PostgreSQL + Redis behind."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path
from typing import Any

import requests
import socketio
from requests.adapters import HTTPAdapter

from .peers import Peer
from .server import ROOT, LiveServer, free_port, wait_for

DEPLOY = ROOT / "deploy"
DOMAIN = "collab.test"  # Chromium maps it to 127.0.0.1 (--host-resolver-rules): nothing leaves the machine


class TestCertificate:
    __test__ = False  # not a test class for pytest

    """A CA made now and a certificate it signs for collab.test and 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        import trustme
        from cryptography import x509
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        folder.mkdir(parents=True, exist_ok=True)
        ca = trustme.CA()
        leaf = ca.issue_cert(DOMAIN, "127.0.0.1")
        self.ca = folder / "ca.pem"
        self.cert = folder / "cert.pem"
        self.key = folder / "key.pem"
        ca.cert_pem.write_to_path(str(self.ca))
        leaf.private_key_pem.write_to_path(str(self.key))
        self.cert.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
        public_key = x509.load_pem_x509_certificate(leaf.cert_chain_pems[0].bytes()).public_key()
        spki = public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        self.spki_sha256 = base64.b64encode(hashlib.sha256(spki).digest()).decode()

    def chromium_args(self, https_port: int) -> list[str]:
        """Chromium trusts this certificate's key (as a trusted CA's, service workers included) and
        resolves collab.test to 127.0.0.1."""
        return [f"--ignore-certificate-errors-spki-list={self.spki_sha256}",
                f"--host-resolver-rules=MAP {DOMAIN} 127.0.0.1"]


def render(kind: str, settings: dict[str, str]) -> str:
    """deploy/render.sh KIND with these settings, as docs/deploy.md has the operator run it."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **settings}
    done = subprocess.run([str(DEPLOY / "render.sh"), kind], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


class ProxyProcess:
    """nginx or Caddy as a non-daemon child process with its own files, never the system service."""

    def __init__(self, kind: str, folder: Path, cert: TestCertificate, upstreams: list[int]) -> None:
        self.kind = kind
        self.folder = folder
        self.port = free_port()
        self.log_path = folder / f"{kind}.log"
        folder.mkdir(parents=True, exist_ok=True)
        settings = {"COLLAB_DOMAIN": DOMAIN, "COLLAB_PORTS": " ".join(map(str, upstreams)),
                    "COLLAB_APP_DIR": str(ROOT), "COLLAB_MAX_UPLOAD_MB": "15"}
        if kind == "nginx":
            self.command = self._nginx(settings, cert)
            self.env = dict(os.environ)
        else:
            self.command = self._caddy(settings, cert)
            self.env = {**os.environ, "HOME": str(folder), "XDG_DATA_HOME": str(folder / "data"),
                        "XDG_CONFIG_HOME": str(folder / "config")}
        self.process: subprocess.Popen[bytes] | None = None

    def _nginx(self, settings: dict[str, str], cert: TestCertificate) -> list[str]:
        site = render("nginx", {**settings, "COLLAB_TLS_CERT": str(cert.cert), "COLLAB_TLS_KEY": str(cert.key),
                                "COLLAB_HTTPS_LISTEN": f"127.0.0.1:{self.port}",
                                "COLLAB_HTTP_LISTEN": f"127.0.0.1:{free_port()}"})
        (self.folder / "collab.conf").write_text(site)
        user = "user root root;\n" if os.geteuid() == 0 else ""  # the workers read the test's private folders
        (self.folder / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {self.folder}/nginx.pid;\nerror_log {self.log_path} info;\n"
            "events { worker_connections 1024; }\n"
            "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
            f"  access_log {self.folder}/access.log;\n"
            + "".join(f"  {name}_temp_path {self.folder}/{name};\n"
                      for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            + f"  include {self.folder}/collab.conf;\n}}\n"
        )
        return ["nginx", "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"), "-g", "daemon off;"]

    def _caddy(self, settings: dict[str, str], cert: TestCertificate) -> list[str]:
        email = "ops@collab.test"
        site = render("caddy", {**settings, "COLLAB_DOMAIN": f"{DOMAIN}, 127.0.0.1", "COLLAB_ACME_EMAIL": email,
                                "COLLAB_CADDY_ADMIN": "off", "COLLAB_BIND": "127.0.0.1",
                                "COLLAB_HTTPS_PORT": str(self.port), "COLLAB_HTTP_PORT": str(free_port())})
        # The one line the test changes (docs/deploy.md): no public certificate here, the test CA's.
        automatic = f"\ttls {email}\n"
        assert site.count(automatic) == 1, site
        site = site.replace(automatic, f"\ttls {cert.cert} {cert.key}\n")
        (self.folder / "Caddyfile").write_text(site)
        return ["caddy", "run", "--config", str(self.folder / "Caddyfile"), "--adapter", "caddyfile"]

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def site_url(self) -> str:
        return f"https://{DOMAIN}:{self.port}"

    def start(self) -> ProxyProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(self.command, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        wait_for(self._listening, 15, message=f"{self.kind} on port {self.port} (log: {self.log_path})")
        return self

    def _listening(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"{self.kind} exited with {self.process.returncode}:\n{self.log()}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT if self.kind == "nginx" else signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def proxy_available(kind: str) -> bool:
    return shutil.which(kind) is not None


def collab_processes(folder: Path, postgres_url: str, redis_url: str, count: int = 2) -> list[LiveServer]:
    """Collab processes as collab@.service runs them: PostgreSQL + Redis, one proxy in front, migrated
    once beforehand (collab-migrate.service), then started with COLLAB_AUTO_MIGRATE=0."""
    env = {"COLLAB_DATABASE_URL": postgres_url, "COLLAB_MESSAGE_QUEUE": redis_url, "COLLAB_TRUSTED_PROXIES": "1",
           "COLLAB_MEDIA_DIR": str(folder / "media"), "COLLAB_AUTO_MIGRATE": "0"}
    servers = [LiveServer(folder / f"collab{i}", env) for i in range(count)]
    servers[0].instance_dir.mkdir(parents=True, exist_ok=True)
    servers[0].cli("db", "upgrade")
    try:
        return [server.start() for server in servers]
    except BaseException:
        for server in servers:
            server.stop()
        raise


class SourceAddress(HTTPAdapter):
    """Connections from another loopback address (127.0.0.0/8 is all this machine): to the proxy,
    a different client, as two people in two places are."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def https_session(cert: TestCertificate, source: str | None = None) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would win over `verify`; no proxy from the environment either
    session.verify = str(cert.ca)
    if source:
        session.mount("https://", SourceAddress(source))
    return session


class Site:
    """The deployment as a client sees it: the proxy's https URL, trusted through the test CA."""

    def __init__(self, proxy: ProxyProcess, cert: TestCertificate) -> None:
        self.url = proxy.url
        self.cert = cert

    def join(self, code: str, name: str, group: str | None = None) -> dict[str, Any]:
        body = {"code": code, "name": name, **({"group": group} if group else {})}
        response = https_session(self.cert).post(self.url + "/api/v1/join", json=body, timeout=5)
        response.raise_for_status()
        return response.json()


class ProxyPeer(Peer):
    """A test peer (tests/support/peers.py) connecting through the proxy over https, with its own
    cookie jar (the proxy's sticky cookie) and the test CA."""

    def __init__(self, site: Site, token: str, **kwargs: Any) -> None:
        super().__init__(site, token, **kwargs)  # type: ignore[arg-type]
        self.session = https_session(site.cert)
        handlers = self.client.handlers
        reconnection = self.client.reconnection
        self.client = socketio.Client(reconnection=reconnection, reconnection_delay=0.1, reconnection_delay_max=0.5,
                                      randomization_factor=0, http_session=self.session)
        self.client.handlers = handlers


def socket_requests(server: LiveServer) -> int:
    """How many Socket.IO requests this process's access log shows (collab.access lines)."""
    return sum(1 for line in server.log().splitlines() if "/socket.io/" in line)


def requests_seen(server: LiveServer, marker: str) -> int:
    """How many lines of this process's access log (collab.access) contain `marker`."""
    return sum(1 for line in server.log().splitlines() if marker in line)


def route_cookies(proxy: ProxyProcess, cert: TestCertificate, servers: list[LiveServer],
                  name: str) -> list[str]:
    """A value of the proxy's sticky cookie `name` for each process, in the order of `servers`: fresh
    clients ask for /healthz until each process has answered one; the cookie its answer set is its."""
    found: dict[int, str] = {}
    for _ in range(60):
        before = [requests_seen(server, "GET /healthz") for server in servers]
        response = https_session(cert).get(proxy.url + "/healthz", timeout=5)
        assert response.ok, response.text
        value = response.cookies.get(name)
        assert value, f"no {name} cookie from the proxy: {response.headers}"
        grew = wait_for(lambda before=before: [i for i, server in enumerate(servers)
                                 if requests_seen(server, "GET /healthz") > before[i]], message="the access log")
        assert len(grew) == 1, grew
        found.setdefault(grew[0], value)
        if len(found) == len(servers):
            return [found[i] for i in range(len(servers))]
    raise AssertionError(f"the proxy sent every client to the same processes: {found}")
