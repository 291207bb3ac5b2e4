#!/usr/bin/env bash
# Fan-out benchmark: the bare relay and Collab under the same Socket.IO loads (docs/performance.md).
#   bench/run.sh                       # the three loads, relay + Collab, clients offer deflate
#   bench/run.sh --loads small --duration 10
#   bench/run.sh --deflate both        # also with clients declining permessage-deflate
#   bench/run.sh --profile             # py-spy the Collab server (.venv/bin/pip install py-spy)
# Everything runs on 127.0.0.1; every run is bounded in time. Results: bench/results/<stamp>/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"
[ -x .venv/bin/python ] || { echo "bench: $root/.venv not found (python -m venv .venv && .venv/bin/pip install -r requirements.txt)" >&2; exit 2; }
command -v node >/dev/null || { echo "bench: node (>= 20) is required for the load generator" >&2; exit 2; }
if [ ! -d "$here/node_modules/socket.io-client" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --silent)
fi
# 1,000 sockets on each side of loopback: make sure the open-files limit allows it.
want=8192
cur="$(ulimit -n)"
if [ "$cur" != unlimited ] && [ "$cur" -lt "$want" ]; then
  ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
fi
exec .venv/bin/python bench/run.py "$@"
