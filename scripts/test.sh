#!/usr/bin/env bash
# Run every check: setup, ruff, the front-end tests (node --test), then pytest.
#
#   ./scripts/test.sh                   # everything; tests needing a missing service are skipped
#   ./scripts/test.sh -k sync -x        # extra arguments go to pytest
#   CI=true ./scripts/test.sh           # as CI does (.ci/run): installs Chromium, nginx, Caddy if missing,
#                                       # starts PostgreSQL and Redis if down, fails if it can't
#
# Each step runs even if an earlier check failed; the summary at the end lists them all.
# PYTEST_TIMEOUT (default 300 s) aborts a single hung test instead of the whole run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

case "${1:-}" in -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac

IN_CI=0
[ "${CI:-}" = true ] && IN_CI=1
CHROMIUM="${COLLAB_TEST_CHROMIUM:-/usr/bin/chromium}"
export PYTEST_TIMEOUT="${PYTEST_TIMEOUT:-300}"

if [ -t 1 ]; then bold=$'\033[1m'; red=$'\033[31m'; green=$'\033[32m'; yellow=$'\033[33m'; reset=$'\033[0m'
else bold=; red=; green=; yellow=; reset=; fi
section() { printf '\n%s######## %s%s\n' "$bold" "$*" "$reset"; }
note() { printf '    %s\n' "$*"; }
warn() { printf '%stest: warning: %s%s\n' "$yellow" "$*" "$reset" >&2; }

logdir="$(mktemp -d "${TMPDIR:-/tmp}/collab-test.XXXXXX")"
trap 'rm -rf "$logdir"' EXIT
started=$SECONDS
names=() statuses=() durations=() details=()
failed=()

record() {  # name status seconds detail
  names+=("$1"); statuses+=("$2"); durations+=("$3"); details+=("$4")
  [ "$2" != FAILED ] || failed+=("$1")
}

summary() {
  local i colour rc=0
  printf '\n%s======================== Collab test summary ========================%s\n' "$bold" "$reset"
  for i in "${!names[@]}"; do
    case "${statuses[$i]}" in ok) colour=$green ;; FAILED) colour=$red ;; *) colour=$yellow ;; esac
    printf '  %-12s %s%-8s%s %5ss  %s\n' "${names[$i]}" "$colour" "${statuses[$i]}" "$reset" \
      "${durations[$i]}" "${details[$i]}"
  done
  [ "$IN_CI" = 1 ] && note "(CI=true: missing services and empty test runs are failures)"
  if [ "${#failed[@]}" -gt 0 ]; then
    printf '%s  FAILED: %s%s (total %ss)\n' "$red" "${failed[*]}" "$reset" "$((SECONDS - started))"
    rc=1
  else
    printf '%s  All checks passed%s (total %ss)\n' "$green" "$reset" "$((SECONDS - started))"
  fi
  # pytest's own closing line, last, so that whoever reads the end of the log sees the test count.
  [ -z "${pytest_line:-}" ] || printf '%s\n' "$pytest_line"
  return "$rc"
}

# --------------------------------------------------------------------------------- setup
section "Setup (scripts/setup.sh)"
t=$SECONDS
if ./scripts/setup.sh; then
  record setup ok "$((SECONDS - t))" ""
else
  record setup FAILED "$((SECONDS - t))" "see the setup error above; nothing else can run"
  summary || exit 1
fi

# --------------------------------------------------------------------- browser & services
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }

wait_until() {  # seconds command...
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }

start_postgres() {  # the machine's own command (python-svc.md)
  command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ] || return 1
  local dir
  for dir in /etc/postgresql/*/; do
    [ -d "$dir/main" ] || continue
    as_root pg_ctlcluster --skip-systemctl-redirect "$(basename "$dir")" main start || true
  done
  wait_until 30 pg_up
}

start_redis() {  # the machine's own command (python-svc.md)
  command -v redis-server >/dev/null || return 1
  as_root mkdir -p /var/lib/redis /var/log/redis || true
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || return 1
  wait_until 15 redis_up
}

# The database the tests use (COLLAB_TEST_POSTGRES_URL's default): create it if it is missing.
ensure_test_database() {
  [ -z "${COLLAB_TEST_POSTGRES_URL:-}" ] || return 0
  command -v psql >/dev/null || return 0
  if [ "$(psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" 2>/dev/null)" != 1 ]; then
    note "creating PostgreSQL database 'test'"
    psql -h 127.0.0.1 -U postgres -d postgres -qc 'CREATE DATABASE test' || return 1
  fi
}

section "Browser and services"
t=$SECONDS
env_problems=()
env_notes=()
if [ "$IN_CI" = 1 ]; then fate="its tests fail under CI=true"; else fate="its tests skip"; fi

if [ ! -x "$CHROMIUM" ] && [ "$IN_CI" = 1 ] && [ "$CHROMIUM" = /usr/bin/chromium ]; then
  note "installing Debian's chromium (apt-get)"
  if ! { as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } </dev/null; then
    warn "apt-get install chromium failed"
  fi
fi
if [ -x "$CHROMIUM" ]; then
  chromium_version="$("$CHROMIUM" --version 2>/dev/null | head -1 || true)"
  note "Chromium: ${chromium_version:-$CHROMIUM}"
  env_notes+=("chromium")
else
  note "Chromium: not found at $CHROMIUM ($fate)"
  env_problems+=("chromium")
fi

# nginx and Caddy run the deployment tests (tests/browser/test_deploy_*.py, tests/test_deploy_*.py),
# from the files in deploy/, as child processes on free ports of 127.0.0.1 (never the system services).
for proxy in nginx caddy; do
  if ! command -v "$proxy" >/dev/null && [ "$IN_CI" = 1 ]; then
    if [ "$proxy" = nginx ]; then package=nginx-light; else package=caddy; fi
    note "installing Debian's $package (apt-get)"
    if ! { as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package"; } </dev/null; then
      warn "apt-get install $package failed"
    fi
  fi
  if command -v "$proxy" >/dev/null; then
    env_notes+=("$proxy")
  else
    note "$proxy: not found ($fate)"
    env_problems+=("$proxy")
  fi
done

# pdftotext and pdfimages check the PDF report (tests/test_exports.py).
if ! command -v pdftotext >/dev/null && [ "$IN_CI" = 1 ]; then
  note "installing Debian's poppler-utils (apt-get)"
  if ! { as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q poppler-utils; } </dev/null; then
    warn "apt-get install poppler-utils failed"
  fi
fi
if command -v pdftotext >/dev/null; then
  env_notes+=("pdftotext")
else
  note "pdftotext (poppler-utils): not found ($fate)"
  env_problems+=("pdftotext")
fi

if ! command -v pg_isready >/dev/null; then
  note "PostgreSQL: pg_isready not found ($fate)"
  env_problems+=("postgresql")
elif pg_up; then
  note "PostgreSQL: up on 127.0.0.1:5432"
  env_notes+=("postgresql")
else
  note "PostgreSQL: down on 127.0.0.1:5432, starting it"
  if start_postgres; then note "PostgreSQL: started"; env_notes+=("postgresql"); else
    note "PostgreSQL: could not start it ($fate)"; env_problems+=("postgresql"); fi
fi
if [[ " ${env_notes[*]} " == *" postgresql "* ]] && ! ensure_test_database; then
  note "PostgreSQL: could not create database 'test'"
  env_problems+=("postgresql-db")
fi

if ! command -v redis-cli >/dev/null; then
  note "Redis: redis-cli not found ($fate)"
  env_problems+=("redis")
elif redis_up; then
  note "Redis: up on 127.0.0.1:6379"
  env_notes+=("redis")
else
  note "Redis: down on 127.0.0.1:6379, starting it"
  if start_redis; then note "Redis: started"; env_notes+=("redis"); else
    note "Redis: could not start it ($fate)"; env_problems+=("redis"); fi
fi

if [ "${#env_problems[@]}" -eq 0 ]; then
  record services ok "$((SECONDS - t))" "${env_notes[*]}"
elif [ "$IN_CI" = 1 ]; then
  record services FAILED "$((SECONDS - t))" "missing under CI: ${env_problems[*]}"
else
  record services missing "$((SECONDS - t))" "${env_problems[*]} (their tests skip)"
fi

# -------------------------------------------------------------------------------- checks
section "Lint (ruff check .)"
t=$SECONDS
set +e
.venv/bin/ruff check .
rc=$?
set -e
if [ "$rc" = 0 ]; then record ruff ok "$((SECONDS - t))" ""; else record ruff FAILED "$((SECONDS - t))" "ruff exit $rc"; fi

has_npm_test="$(node -p 'const s = JSON.parse(require("fs").readFileSync("package.json", "utf8")).scripts || {}; s.test ? 1 : 0' 2>/dev/null || echo 0)"
if [ "$has_npm_test" = 1 ]; then node_cmd=(npm test --silent); else node_cmd=(node --test static/js/); fi
section "Front-end tests (${node_cmd[*]})"
t=$SECONDS
set +e
"${node_cmd[@]}" 2>&1 | tee "$logdir/node.log"
rc=${PIPESTATUS[0]}
set -e
node_counts="$(grep -E '^# (tests|pass|fail|skipped) [0-9]+' "$logdir/node.log" | sed 's/^# //' | paste -sd, - | sed 's/,/, /g' || true)"
if [ "$rc" = 0 ] && ! grep -qE '^# tests 0$' "$logdir/node.log"; then
  record node ok "$((SECONDS - t))" "$node_counts"
elif [ "$rc" = 0 ] && [ "$IN_CI" = 0 ]; then
  record node "no tests" "$((SECONDS - t))" "$node_counts"
else
  record node FAILED "$((SECONDS - t))" "exit $rc${node_counts:+; $node_counts}"
fi

section "Python tests (pytest${*:+ $*})"
t=$SECONDS
set +e
.venv/bin/pytest "$@" 2>&1 | tee "$logdir/pytest.log"
rc=${PIPESTATUS[0]}
set -e
pytest_line="$(grep -E '^=+ .*( in [0-9.]+s)( \([0-9:]+\))? =+$' "$logdir/pytest.log" | tail -1 || true)"
pytest_counts="$(printf '%s' "$pytest_line" | sed -E 's/^=+ //; s/ =+$//')"
case "$rc" in
  0) record pytest ok "$((SECONDS - t))" "$pytest_counts" ;;
  5) if [ "$IN_CI" = 1 ]; then record pytest FAILED "$((SECONDS - t))" "no tests were collected (exit 5)"
     else record pytest "no tests" "$((SECONDS - t))" "no tests were collected (exit 5)"; fi ;;
  1) record pytest FAILED "$((SECONDS - t))" "$pytest_counts" ;;
  *) record pytest FAILED "$((SECONDS - t))" "pytest exit $rc (2 interrupted, 3 internal error, 4 usage)${pytest_counts:+; $pytest_counts}" ;;
esac

summary
