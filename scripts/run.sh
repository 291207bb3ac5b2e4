#!/usr/bin/env bash
# Start Collab with a demo workshop: set up (fast when nothing changed), print how to join, serve.
#
#   ./scripts/run.sh                          # http://127.0.0.1:5000/ on this computer only
#   COLLAB_HOST=0.0.0.0 ./scripts/run.sh      # also reachable by phones on the same Wi-Fi
#   COLLAB_PORT=5077 ./scripts/run.sh         # another port
#
# Every COLLAB_* setting of the README's configuration table is honoured. Ctrl-C stops the server.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

case "${1:-}" in
  -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "run: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac

if [ -t 1 ]; then bold=$'\033[1m'; red=$'\033[31m'; reset=$'\033[0m'; else bold=; red=; reset=; fi
die() { printf '%srun: error: %s%s\n' "$red" "$*" "$reset" >&2; exit 1; }

host="${COLLAB_HOST:-127.0.0.1}"
port="${COLLAB_PORT:-5000}"
case "$port" in '' | *[!0-9]*) die "COLLAB_PORT must be a port number, not '$port'" ;; esac

# Something already listening there? Say so now rather than after a traceback.
probe="$host"
case "$probe" in 0.0.0.0 | '::' | '[::]') probe=127.0.0.1 ;; esac
if (exec 3<>"/dev/tcp/$probe/$port") 2>/dev/null; then
  die "port $port on $probe is already in use (another Collab?). Stop it, or pick another port:
       COLLAB_PORT=$((port + 1)) ./scripts/run.sh"
fi

# The app migrates the database itself when it starts (COLLAB_AUTO_MIGRATE, on by default), and the
# demo command below starts it: setup needn't load it once more just for that.
if [ "${COLLAB_AUTO_MIGRATE:-1}" = 0 ]; then ./scripts/setup.sh; else ./scripts/setup.sh --no-migrate; fi

# Listening on every interface: phones on the LAN must get links they can open.
scheme=http
[ -n "${COLLAB_TLS_CERT:-}" ] && scheme=https
lan_urls=()
if [ "$host" = 0.0.0.0 ] || [ "$host" = '::' ] || [ "$host" = '[::]' ]; then
  addrs="$(hostname -I 2>/dev/null || true)"
  if [ -z "$addrs" ] && command -v ip >/dev/null; then
    addrs="$(ip -o addr show scope global 2>/dev/null | awk '{split($4, a, "/"); print a[1]}' | tr '\n' ' ')"
  fi
  for addr in $addrs; do
    case "$addr" in
      *:*) [ "$host" = 0.0.0.0 ] || lan_urls+=("$scheme://[$addr]:$port/") ;;  # 0.0.0.0 is IPv4 only
      *) lan_urls+=("$scheme://$addr:$port/") ;;
    esac
  done
  if [ -z "${COLLAB_PUBLIC_URL:-}" ]; then
    if [ "${#lan_urls[@]}" -gt 0 ]; then
      export COLLAB_PUBLIC_URL="${lan_urls[0]%/}"
    else
      echo "run: warning: no LAN address found (hostname -I); join links will say 127.0.0.1." \
        "Set COLLAB_PUBLIC_URL=$scheme://<this computer's IP>:$port" >&2
    fi
  fi
fi

# The demo workshop: created once, then the same code every time (kept in the instance folder).
.venv/bin/flask --app wsgi collab demo || die "could not create the demo workshop (see above)"

local_host="$host"
case "$local_host" in 0.0.0.0 | '::' | '[::]') local_host=127.0.0.1 ;; *:*) local_host="[$local_host]" ;; esac
printf '%s  Collab is starting: open %s://%s:%s/ in your browser%s\n' "$bold" "$scheme" "$local_host" "$port" "$reset"
echo "  Facilitator: the “Facilitator console” link above opens the live console"
if [ "${#lan_urls[@]}" -gt 0 ]; then
  echo "  On the same Wi-Fi (phones, other computers):"
  for url in "${lan_urls[@]}"; do echo "    $url"; done
  [ -z "${COLLAB_PUBLIC_URL:-}" ] || echo "  Join links use $COLLAB_PUBLIC_URL (COLLAB_PUBLIC_URL)"
elif [ "$host" = 127.0.0.1 ] || [ "$host" = localhost ]; then
  echo "  Only this computer can connect. For phones on the same Wi-Fi: COLLAB_HOST=0.0.0.0 ./scripts/run.sh"
fi
echo "  Press Ctrl-C to stop."
echo

exec .venv/bin/python wsgi.py
