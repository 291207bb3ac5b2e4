"""Fan-out benchmark driver: the bare relay (bench/relay.py) and Collab under the same loads.

For every load and every server it starts a fresh server process on 127.0.0.1, runs
bench/loadgen.mjs against it, samples the server's RSS (/proc/<pid>/status VmRSS) and CPU
(/proc/<pid>/stat) on the load generator's phases, stops the server, and finally prints a table
and writes bench/results/<stamp>/*.json. Use bench/run.sh, which installs the load generator
first. Standard library only. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PY = ROOT / ".venv" / "bin" / "python"
FLASK = ROOT / ".venv" / "bin" / "flask"
APP_DIR = ROOT  # where Collab runs from: a snapshot of a commit (--collab-rev) or the work tree
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

# name: (clients, boards, ops/s, p99 target in ms)
LOADS = {
    "small": (40, 1, 20, 50),
    "medium": (400, 10, 50, 100),
    "large": (1000, 25, 50, 250),
}
MAX_GROUPS = 12  # `collab create-workshop --groups` accepts 1..12
MAX_RATIO = 1.5  # Collab's p99 must stay within 1.5x the relay's, measured in the same run


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_ticks(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return None


def machine_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    with open("/proc/stat") as fh:
        f = [int(x) for x in fh.readline().split()[1:]]
    idle = f[3] + (f[4] if len(f) > 4 else 0)  # idle + iowait
    total = sum(f[:8])  # user nice system idle iowait irq softirq steal (guest is in user)
    return total - idle, total


def wait_quiet(max_wait: float, max_busy_cores: float) -> dict:
    """Other people's work shares this machine: wait (bounded) until it is nearly idle."""
    ncpu = os.cpu_count() or 1
    t0 = time.monotonic()
    busy_cores = None
    while True:
        b0, t_0 = machine_jiffies()
        time.sleep(1.0)
        b1, t_1 = machine_jiffies()
        busy_cores = ncpu * (b1 - b0) / max(1, t_1 - t_0)
        waited = time.monotonic() - t0
        if busy_cores <= max_busy_cores or waited >= max_wait:
            return {
                "waited_s": round(waited, 1),
                "busy_cores": round(busy_cores, 2),
                "quiet": busy_cores <= max_busy_cores,
            }


def raise_nofile(needed: int) -> dict:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        new = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        log(f"raised the open-files limit from {soft} to {new}")
    return {"soft": resource.getrlimit(resource.RLIMIT_NOFILE)[0], "hard": hard}


def niceness(n: int):
    """preexec_fn giving a child process nice value n (negative needs root), or None.

    With autogroup scheduling (the Linux default) nice only ranks processes within one session's
    group, and the groups share the CPU evenly, so the child (started in a session of its own)
    also sets its group's nice (/proc/self/autogroup) to rank against other sessions' work.
    """
    if not n:
        return None

    def apply() -> None:
        os.nice(n)
        try:
            with open("/proc/self/autogroup", "w") as fh:
                fh.write(str(n))
        except OSError:
            pass

    return apply


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 40.0) -> None:
    url = f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server on port {port} not ready after {timeout}s")


def probe_deflate(port: int) -> str | None:
    """Offer permessage-deflate the way a browser does; return the server's answer, if any."""
    req = (
        f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(req.encode())
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    status = head.split("\r\n", 1)[0]
    if " 101 " not in status:
        raise RuntimeError(f"websocket probe failed: {head[:200]!r}")
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "sec-websocket-extensions":
            return value.strip()
    return None


class Server:
    """One server process (relay or Collab) on a fresh port, stopped by its own pid."""

    def __init__(
        self,
        kind: str,
        workdir: Path,
        relay_deflate: str = "accept",
        gc_trace: bool = False,
        gc_freeze: bool = False,
        nice: int = 0,
    ):
        self.kind = kind
        self.nice = nice
        self.gc_trace = gc_trace or gc_freeze
        self.gc_freeze = gc_freeze
        self.gc_file = workdir / "gc.json"
        self.workdir = workdir
        self.port = free_port()
        self.relay_deflate = relay_deflate
        self.boards: list[tuple[str, str]] = []
        self.proc: subprocess.Popen | None = None
        self.logfile = workdir / f"{kind}-server.log"

    def env(self) -> dict:
        env = dict(os.environ)
        env.update(
            {
                "COLLAB_DATABASE_URL": f"sqlite:///{self.workdir / 'bench.db'}",
                "COLLAB_INSTANCE_DIR": str(self.workdir / "instance"),
                "COLLAB_SECRET_KEY": "bench-not-secret",
                "COLLAB_HOST": "127.0.0.1",
                "COLLAB_PORT": str(self.port),
                "COLLAB_OP_RATE_LIMIT": "off",
                "COLLAB_MAX_CONNECTIONS_PER_ADDRESS": "0",  # every client comes from 127.0.0.1
                "PYTHONUNBUFFERED": "1",
                "GCTRACE_OUT": str(self.gc_file),
                "GCTRACE_FREEZE": "1" if self.gc_freeze else "0",
            }
        )
        env.pop("COLLAB_MESSAGE_QUEUE", None)
        return env

    def start(self, groups: int) -> None:
        if self.kind == "collab":
            # A workshop has at most MAX_GROUPS groups: more boards means more workshops.
            self.boards = []  # (join_code, group_id) per board
            left = groups
            while left > 0:
                n = min(MAX_GROUPS, left)
                out = subprocess.run(
                    [str(FLASK), "--app", "wsgi", "collab", "create-workshop", "Bench", "--groups", str(n), "--json"],
                    cwd=APP_DIR,
                    env=self.env(),
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
                if out.returncode != 0:
                    raise RuntimeError(f"create-workshop failed: {out.stderr.strip()[-2000:]}")
                ws = json.loads(out.stdout.strip().splitlines()[-1])
                self.boards += [(ws["join_code"], g["id"]) for g in ws["groups"]]
                left -= n
            cmd = [str(PY), "wsgi.py"]
        else:
            cmd = [str(PY), str(BENCH / "relay.py"), "--port", str(self.port), "--deflate", self.relay_deflate]
        if self.gc_trace:
            cmd = [cmd[0], str(BENCH / "gctrace.py"), *cmd[1:]]
        log(f"starting {self.kind} on 127.0.0.1:{self.port}")
        self.proc = subprocess.Popen(
            cmd,
            cwd=APP_DIR if self.kind == "collab" else ROOT,
            env=self.env(),
            stdout=open(self.logfile, "w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=niceness(self.nice),
        )
        wait_ready(self.port, self.proc)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if not self.proc or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


class Sampler(threading.Thread):
    """Polls the server's RSS every 0.2 s and keeps the peak."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.wait(0.2):
            kb = rss_kb(self.pid)
            if kb is None:
                return
            self.peak = max(self.peak, kb)


def run_one(kind: str, load: str, args, outdir: Path, relay_deflate: str, deflate: str, rep: int) -> dict:
    clients, boards, rate, target = LOADS[load]
    workdir = Path(tempfile.mkdtemp(prefix=f"collab-bench-{kind}-"))
    server = Server(
        kind,
        workdir,
        relay_deflate=relay_deflate,
        gc_trace=args.gc_trace,
        gc_freeze=args.gc_freeze,
        nice=args.nice,
    )
    tag = f"{load}-{kind}-{deflate}-{rep}"
    result: dict = {"load": load, "server": kind, "client_deflate": deflate, "rep": rep, "target_p99_ms": target}
    try:
        if args.quiet_wait > 0:
            result["quiet"] = wait_quiet(args.quiet_wait, args.quiet_cores)
            if not result["quiet"]["quiet"]:
                log(
                    f"{tag}: the machine is busy with other work "
                    f"({result['quiet']['busy_cores']} cores): results will be noisy"
                )
        server.start(groups=boards)
        negotiated = probe_deflate(server.port)
        result["server_deflate_answer"] = negotiated
        result["rss_kb_start"] = rss_kb(server.pid)
        cmd = [
            "node",
            str(BENCH / "loadgen.mjs"),
            "--url",
            f"http://127.0.0.1:{server.port}",
            "--mode",
            kind,
            "--clients",
            str(clients),
            "--boards",
            str(boards),
            "--rate",
            str(rate),
            "--duration",
            str(args.duration),
            "--warmup",
            str(args.warmup),
            "--drain",
            str(args.drain),
            "--deflate",
            deflate,
            "--label",
            tag,
            "--out",
            str(outdir / f"{tag}.loadgen.json"),
            "--quiet",
        ]
        if kind == "collab":
            cmd += ["--groups", ",".join(f"{code}:{gid}" for code, gid in server.boards)]
        sampler = Sampler(server.pid)
        sampler.start()
        marks: dict = {}
        profiler = None
        log(f"{tag}: {clients} clients / {boards} boards @ {rate} ops/s")
        lg = subprocess.Popen(
            cmd,
            cwd=BENCH,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=bool(args.nice),  # its own autogroup, see niceness()
            preexec_fn=niceness(args.nice),
        )
        deadline = time.monotonic() + 180 + args.duration + args.warmup + clients * 0.2
        human = []
        for line in lg.stdout:
            if time.monotonic() > deadline:
                lg.kill()
                raise RuntimeError("load generator over its time budget")
            if line.startswith("PHASE "):
                name = line.split()[1]
                marks[name] = {
                    "rss_kb": rss_kb(server.pid),
                    "cpu_ticks": cpu_ticks(server.pid),
                    "lg_ticks": cpu_ticks(lg.pid),
                    "machine": machine_jiffies(),
                    "t": time.monotonic(),
                    "wall": time.time(),
                }
                if name == "measure_start" and args.profile and kind == "collab":
                    profiler = start_profiler(server.pid, args.duration, outdir / f"{tag}.pyspy")
            else:
                human.append(line.rstrip())
        lg.wait(timeout=60)
        sampler.stop_event.set()
        stderr = lg.stderr.read()
        if server.proc.poll() is not None:
            # not us: bench/run.py stops its servers only after the load generator is done
            raise RuntimeError(
                f"the server exited during the run (status {server.proc.returncode}): killed from outside?"
            )
        if lg.returncode != 0:
            raise RuntimeError(f"loadgen exited {lg.returncode}: {stderr.strip()[-2000:]}")
        if profiler:
            profiler.wait(timeout=args.duration + 30)
        lgres = json.loads((outdir / f"{tag}.loadgen.json").read_text())
        result.update(summarise(lgres, marks, sampler.peak, clients, rate, target))
        result["loadgen"] = lgres
        result["server_log_tail"] = server.logfile.read_text()[-1500:]
        print("\n".join(human), flush=True)
    except Exception as exc:  # a failed run is reported, the others go on
        log(f"{tag}: FAILED: {exc}")
        result["error"] = str(exc)
        if server.logfile.exists():
            result["server_log_tail"] = server.logfile.read_text()[-3000:]
    finally:
        server.stop()
        if server.gc_trace and server.gc_file.exists() and "marks" in locals():
            result["gc"] = gc_summary(json.loads(server.gc_file.read_text()), marks)
        shutil.rmtree(workdir, ignore_errors=True)
    (outdir / f"{tag}.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def gc_summary(trace: dict, marks: dict) -> dict:
    """GC pauses and hub lag (bench/gctrace.py) during the measured window."""
    t0 = marks.get("measure_start", {}).get("wall")
    t1 = marks.get("measure_end", {}).get("wall")
    if t0 is None or t1 is None:
        return {}
    pauses, lags = trace.get("gc", []), trace.get("lag", [])
    out: dict = {"window_s": round(t1 - t0, 1)}
    for gen in (0, 1, 2):
        ms = sorted(p[2] for p in pauses if p[1] == gen and t0 <= p[0] <= t1)
        out[f"gen{gen}"] = {"count": len(ms), "total_ms": round(sum(ms), 1), "max_ms": round(ms[-1], 1) if ms else 0}
    lag = sorted(x[1] for x in lags if t0 <= x[0] <= t1)
    out["hub_lag_over_5ms"] = {
        "count": len(lag),
        "total_ms": round(sum(lag), 1),
        "max_ms": round(lag[-1], 1) if lag else 0,
    }
    # the long ones, in seconds from the start of the measured window (< 0: warm-up, connect)
    out["gc_pauses_over_20ms"] = [[round(p[0] - t0, 2), p[1], p[2]] for p in pauses if p[2] >= 20]
    out["objects"] = trace.get("objects", {})
    out["hub_lags_over_50ms"] = [[round(x[0] - t0, 2), x[1]] for x in lags if x[1] >= 50]
    return out


def start_profiler(pid: int, duration: float, out: Path):
    pyspy = ROOT / ".venv" / "bin" / "py-spy"
    if not pyspy.exists():
        log("py-spy not installed (.venv/bin/pip install py-spy); skipping the profile")
        return None
    # raw = collapsed stacks (one line per stack, with its sample count); --gil: only samples
    # where the server is running Python, i.e. its CPU time
    return subprocess.Popen(
        [
            str(pyspy),
            "record",
            "-p",
            str(pid),
            "-d",
            str(int(duration)),
            "-r",
            "200",
            "-f",
            "raw",
            "-o",
            str(out) + ".txt",
            "--nonblocking",
            "--idle",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def summarise(lg: dict, marks: dict, peak_kb: int, clients: int, rate: float, target: float) -> dict:
    out: dict = {}
    joined = marks.get("joined", {}).get("rss_kb")
    connected = marks.get("connected", {}).get("rss_kb")
    if joined and connected:
        out["rss_kb_before_connect"] = joined
        out["rss_kb_connected"] = connected
        out["rss_kb_peak"] = max(peak_kb, connected)
        out["rss_per_conn_kb_connected"] = round((connected - joined) / clients, 1)
        out["rss_per_conn_kb_peak"] = round((out["rss_kb_peak"] - joined) / clients, 1)
    ms, me = marks.get("measure_start"), marks.get("measure_end")
    if ms and me and ms["cpu_ticks"] is not None and me["cpu_ticks"] is not None:
        wall = me["t"] - ms["t"]
        cpu_s = (me["cpu_ticks"] - ms["cpu_ticks"]) / CLK_TCK
        out["server_cpu_percent"] = round(100 * cpu_s / wall, 1)
        if ms["lg_ticks"] is not None and me["lg_ticks"] is not None:
            lg_s = (me["lg_ticks"] - ms["lg_ticks"]) / CLK_TCK
            out["loadgen_cpu_percent"] = round(100 * lg_s / wall, 1)
            (b0, t0), (b1, t1) = ms["machine"], me["machine"]
            ncpu = os.cpu_count() or 1
            machine = 100 * ncpu * (b1 - b0) / max(1, t1 - t0)
            out["machine_cpu_percent"] = round(machine, 1)  # of one core; ncpu*100 is all
            # CPU used by neither the server nor the load generator: other people's work
            out["other_cpu_percent"] = round(
                max(0.0, machine - out["server_cpu_percent"] - out["loadgen_cpu_percent"]), 1
            )
        deliveries = lg["ops_measured"] * (lg["deliveries_expected"] / max(1, lg["ops_sent"]))
        if deliveries:
            out["server_cpu_us_per_delivery"] = round(1e6 * cpu_s / deliveries, 1)
    out["fanout_ms"] = lg["fanout_ms"]
    out["lost"] = lg["lost"]
    out["ops_failed"] = lg["ops_failed"]
    out["disconnects"] = lg["counters"]["disconnects"]
    out["deflate_negotiated"] = lg["deflate_negotiated"]
    out["achieved_rate"] = lg["achieved_rate"]
    p99 = lg["fanout_ms"]["p99"]
    out["meets_target"] = bool(p99 is not None and p99 < target and lg["lost"] == 0 and lg["ops_failed"] == 0)
    return out


def fmt(v, nd=1):
    if v is None:
        return "-"
    return f"{v:.{nd}f}" if isinstance(v, float) else str(v)


def median_runs(results: list[dict]) -> list[dict]:
    """Per load, client deflate and server: the run with the median p99 (failed runs rank last)."""
    groups: dict = {}
    for r in results:
        groups.setdefault((r["load"], r["client_deflate"], r["server"]), []).append(r)
    out = []
    for runs in groups.values():
        ranked = sorted(runs, key=lambda r: (r.get("fanout_ms") or {}).get("p99") or float("inf"))
        pick = dict(ranked[(len(ranked) - 1) // 2])
        pick["runs"] = len(runs)
        pick["p99_all_runs"] = [(r.get("fanout_ms") or {}).get("p99") for r in runs]
        out.append(pick)
    return out


def verdicts(rows: list[dict], per_rep: bool = False) -> None:
    """Adds ratio_to_relay and ok (target, zero lost, within MAX_RATIO of the relay) in place."""

    def key(r: dict) -> tuple:
        return (r["load"], r["client_deflate"], r["rep"] if per_rep else 0)

    relay = {key(r): (r.get("fanout_ms") or {}).get("p99") for r in rows if r["server"] == "relay"}
    for r in rows:
        p99 = (r.get("fanout_ms") or {}).get("p99")
        base = relay.get(key(r))
        r["ratio_to_relay"] = round(p99 / base, 2) if r["server"] != "relay" and p99 and base else None
        ratio_ok = r["ratio_to_relay"] is None or r["ratio_to_relay"] <= MAX_RATIO
        r["ok"] = bool(r.get("meets_target") and ratio_ok)


def table(rows: list[dict], show_rep: bool = False) -> str:
    head = (
        "| load | server | run | deflate | p50 ms | p95 ms | p99 ms | target | vs relay | lost "
        "| server CPU % | others' CPU % | KB/conn | peak KB/conn | ok |"
    )
    lines = [head, "|" + "---|" * 15]
    for r in rows:
        c, b, rate, target = LOADS[r["load"]]
        name = f"{c} clients / {b} boards @ {rate}/s"
        run = str(r["rep"]) if show_rep else f"median of {r.get('runs', 1)}"
        if r.get("noisy"):
            run += " (noisy)"
        if "error" in r:
            lines.append(f"| {name} | {r['server']} | {run} | | FAILED: {r['error'][:80]} ||||||||||")
            continue
        f = r["fanout_ms"]
        neg = "on" if r.get("deflate_negotiated") else "off"
        ratio = f"{r['ratio_to_relay']:.2f}x" if r.get("ratio_to_relay") else ""
        lines.append(
            f"| {name} | {r['server']} | {run} | {neg} | {fmt(f['p50'])} | {fmt(f['p95'])} "
            f"| {fmt(f['p99'])} | < {target} | {ratio} | {r['lost']} "
            f"| {fmt(r.get('server_cpu_percent'))} | {fmt(r.get('other_cpu_percent'))} "
            f"| {fmt(r.get('rss_per_conn_kb_connected'))} | {fmt(r.get('rss_per_conn_kb_peak'))} "
            f"| {'yes' if r.get('ok') else 'NO'} |"
        )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--loads", default="small,medium,large", help=f"comma-separated, from {', '.join(LOADS)}")
    ap.add_argument("--servers", default="relay,collab", help="relay, collab or both")
    ap.add_argument(
        "--deflate",
        choices=["offer", "decline", "both"],
        default="offer",
        help="clients offer permessage-deflate like browsers (offer, the default), decline it, or run both",
    )
    ap.add_argument(
        "--relay-deflate",
        choices=["auto", "accept", "decline"],
        default="auto",
        help="relay's permessage-deflate policy; auto = same as the Collab server",
    )
    ap.add_argument("--duration", type=float, default=20, help="measured seconds per run")
    ap.add_argument("--warmup", type=float, default=5, help="warm-up seconds per run")
    ap.add_argument("--drain", type=float, default=5, help="max seconds to wait for stragglers")
    ap.add_argument("--profile", action="store_true", help="py-spy the Collab server during each measured window")
    ap.add_argument(
        "--repeat", type=int, default=1, help="runs per load and server (interleaved); the table shows the median run"
    )
    ap.add_argument(
        "--quiet-wait",
        type=float,
        default=60,
        help="before each run, wait up to this many seconds for the machine to be idle (0: don't)",
    )
    ap.add_argument(
        "--quiet-cores", type=float, default=0.3, help="'idle' = other processes use at most this many cores"
    )
    ap.add_argument(
        "--gc-trace", action="store_true", help="record the servers' garbage-collector pauses (bench/gctrace.py)"
    )
    ap.add_argument(
        "--max-others",
        type=float,
        default=30,
        help="a run during which other processes used more CPU than this (%% of one core) is "
        "noisy: it is run again (see --retries) and marked in the table",
    )
    ap.add_argument("--retries", type=int, default=2, help="extra attempts for a noisy or killed run")
    ap.add_argument(
        "--nice",
        type=int,
        default=0,
        help="nice value for the servers and the load generator (e.g. -10, as root, to shield "
        "them from other work on a shared machine)",
    )
    ap.add_argument(
        "--collab-rev",
        default="HEAD",
        help="the commit of Collab to measure (exported with git archive), or 'worktree' for the files as they are now",
    )
    ap.add_argument(
        "--gc-freeze",
        action="store_true",
        help="experiment: gc.freeze() in the servers once they are up (implies --gc-trace)",
    )
    ap.add_argument("--out", default=None, help="results folder (default bench/results/<stamp>)")
    args = ap.parse_args()

    loads = [x for x in args.loads.split(",") if x]
    for x in loads:
        if x not in LOADS:
            ap.error(f"unknown load {x!r}")
    servers = [x for x in args.servers.split(",") if x]
    if not (0 < args.duration <= 300 and 0 <= args.warmup <= 60 and 0 <= args.drain <= 60):
        ap.error("duration must be in (0, 300], warmup and drain in [0, 60]")
    if not (1 <= args.repeat <= 10 and 0 <= args.quiet_wait <= 600 and 0 <= args.retries <= 5):
        ap.error("repeat must be in [1, 10], quiet-wait in [0, 600], retries in [0, 5]")
    if not PY.exists():
        ap.error(f"{PY} not found: create the venv first")
    if "collab" in servers and not (ROOT / "wsgi.py").exists():
        log("wsgi.py not found: only the relay can be measured")
        servers = [s for s in servers if s != "collab"]
    global APP_DIR
    snapshot = None
    if "collab" in servers and args.collab_rev != "worktree":
        # Measure a commit, not a work tree that may be half-edited: export it (git archive).
        resolved = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{args.collab_rev}^{{commit}}"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if resolved.returncode != 0:
            ap.error(f"unknown commit {args.collab_rev!r}")
        args.collab_rev = resolved.stdout.strip()  # HEAD may move while we measure
        snapshot = Path(tempfile.mkdtemp(prefix="collab-bench-app-"))
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", args.collab_rev], capture_output=True, timeout=120
        )
        if archive.returncode != 0:
            ap.error(f"git archive {args.collab_rev}: {archive.stderr.decode(errors='replace').strip()}")
        subprocess.run(["tar", "-x", "-C", str(snapshot)], input=archive.stdout, check=True, timeout=120)
        APP_DIR = snapshot
        log(f"Collab runs from {args.collab_rev} exported to {snapshot}")
    try:
        return measure(args, loads, servers)
    finally:
        if snapshot:
            shutil.rmtree(snapshot, ignore_errors=True)


def measure(args, loads: list[str], servers: list[str]) -> int:
    deflates = ["offer", "decline"] if args.deflate == "both" else [args.deflate]

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    outdir = Path(args.out) if args.out else BENCH / "results" / stamp
    outdir.mkdir(parents=True, exist_ok=True)
    limits = raise_nofile(max(LOADS[x][0] for x in loads) * 2 + 1024)

    relay_deflate = args.relay_deflate
    collab_answer = None
    if "collab" in servers:
        probe = Server("collab", Path(tempfile.mkdtemp(prefix="collab-bench-probe-")))
        try:
            probe.start(groups=1)
            collab_answer = probe_deflate(probe.port)
        finally:
            probe.stop()
            shutil.rmtree(probe.workdir, ignore_errors=True)
        log(f"Collab answers a permessage-deflate offer with: {collab_answer or 'no extension'}")
    if relay_deflate == "auto":
        relay_deflate = "accept" if (collab_answer or "collab" not in servers) else "decline"
    log(f"relay permessage-deflate policy: {relay_deflate}")

    results = []
    for load in loads:
        for deflate in deflates:
            for rep in range(1, args.repeat + 1):
                for kind in servers:  # interleaved, so both see the same machine
                    for attempt in range(1 + args.retries):
                        r = run_one(kind, load, args, outdir, relay_deflate, deflate, rep)
                        r["attempt"] = attempt + 1
                        killed = "error" in r and "exited during the run" in r["error"]
                        r["noisy"] = (r.get("other_cpu_percent") or 0) > args.max_others
                        if not (killed or r["noisy"]):
                            break
                        if attempt < args.retries:
                            why = "server killed" if killed else f"others used {r['other_cpu_percent']}% CPU"
                            log(f"{kind} {load} run {rep}: {why}; running it again")
                    results.append(r)

    verdicts(results, per_rep=True)
    medians = median_runs(results)
    verdicts(medians)
    slim = lambda r: {k: v for k, v in r.items() if k not in ("loadgen", "server_log_tail")}  # noqa: E731
    summary = {
        "stamp": stamp,
        "machine": machine_info(args.collab_rev),
        "nofile": limits,
        "settings": {
            "duration": args.duration,
            "warmup": args.warmup,
            "drain": args.drain,
            "repeat": args.repeat,
            "gc_trace": args.gc_trace,
            "gc_freeze": args.gc_freeze,
            "nice": args.nice,
            "max_others": args.max_others,
            "retries": args.retries,
            "relay_deflate": relay_deflate,
            "collab_deflate_answer": collab_answer,
        },
        "medians": [slim(r) for r in medians],
        "runs": [slim(r) for r in results],
    }
    (outdir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print()
    if args.repeat > 1:
        print("every run:\n" + table(results, show_rep=True) + "\n")
    print(table(medians))
    print(f"\nresults: {outdir}")
    return 0 if all(r.get("ok") for r in medians if r["server"] == "collab") else 1


def machine_info(rev: str) -> dict:
    info = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    try:
        git = ["git", "-C", str(ROOT)]
        info["collab_rev"] = rev
        if rev == "worktree":
            info["commit"] = subprocess.run(
                [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
            ).stdout.strip()
            dirty = subprocess.run(
                [*git, "status", "--porcelain", "--", "collab", "wsgi.py", "migrations"],
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout
            info["collab_uncommitted_changes"] = bool(dirty.strip())
        else:
            info["commit"] = rev[:12]
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        info["node"] = subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=10).stdout.strip()
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as fh:
            info["mem_total_kb"] = int(fh.readline().split()[1])
        info["kernel"] = os.uname().release
    except OSError:
        pass
    return info


if __name__ == "__main__":
    sys.exit(main())
