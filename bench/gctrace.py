"""Run a server script with its stalls recorded (bench/run.py --gc-trace): GC pauses, hub lag.

    python bench/gctrace.py wsgi.py            # GCTRACE_OUT=/path/gc.json
    python bench/gctrace.py bench/relay.py --port 5101

Every collection is timed with gc.callbacks, and a green thread that sleeps 10 ms in a loop records
how late it wakes up (the eventlet hub's lag: how long the only OS thread was busy elsewhere). On
SIGTERM (how bench/run.py stops servers) {"gc": [[unix time, generation, ms, collected], ...],
"lag": [[unix time, ms], ...]} (lags over 5 ms) is written to $GCTRACE_OUT and the process exits.
Both scripts monkey-patch with eventlet first thing; this does it a moment earlier so the monitor
can start. Diagnosis only: it changes nothing else in how the server runs, except on request:

    GCTRACE_FREEZE=1   call gc.freeze() once the server is up (the experiment behind the
                       recommendation in docs/performance.md: startup objects leave the collector)

The dump also counts the objects the collector tracks ("tracked"), at startup and at the end.
"""

import gc
import json
import os
import runpy
import signal
import sys
import time

_pauses = []
_lags = []
_counts = {}
_start = [0.0]


def _lag_monitor(eventlet):
    while True:
        t = time.perf_counter()
        eventlet.sleep(0.01)
        lag = (time.perf_counter() - t - 0.01) * 1000
        if lag > 5:
            _lags.append([time.time(), round(lag, 2)])


def _when_serving():
    # runs on the hub's first turn, i.e. once the script has built its app and is serving
    _counts["tracked_at_start"] = len(gc.get_objects())
    if os.environ.get("GCTRACE_FREEZE") == "1":
        gc.collect()
        gc.freeze()


def _callback(phase, info):
    if phase == "start":
        _start[0] = time.perf_counter()
    else:
        _pauses.append(
            [
                time.time(),
                info["generation"],
                round((time.perf_counter() - _start[0]) * 1000, 3),
                info.get("collected", 0),
            ]
        )


def _dump(*_args):
    with open(os.environ.get("GCTRACE_OUT", "gc.json"), "w") as fh:
        _counts["tracked_at_end"] = len(gc.get_objects())
        _counts["frozen"] = gc.get_freeze_count()
        json.dump({"gc": _pauses, "lag": _lags, "objects": _counts}, fh)
    os._exit(0)


if __name__ == "__main__":
    import eventlet

    eventlet.monkey_patch()
    eventlet.spawn(_lag_monitor, eventlet)
    eventlet.spawn(_when_serving)
    gc.callbacks.append(_callback)
    signal.signal(signal.SIGTERM, _dump)
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    runpy.run_path(script, run_name="__main__")
