#!/usr/bin/env bash
# Prepare a Collab checkout: Python venv, front-end assets, translations, database.
#
#   scripts/setup.sh            # development: requirements-dev.txt (tests, linters)
#   scripts/setup.sh --prod     # runtime only: requirements.txt
#   scripts/setup.sh --force    # ignore the stamps and reinstall everything
#   scripts/setup.sh --no-migrate
#
# Idempotent and fast when nothing changed: each install step writes a stamp keyed on a hash of
# its inputs (requirements*.txt, package-lock.json, ...) and is skipped while the hash matches.
# Never runs `npm install`: package-lock.json is the truth, `npm ci` installs exactly it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

mode=dev
force=0
migrate=1
for arg in "$@"; do
  case "$arg" in
    --prod) mode=prod ;;
    --dev) mode=dev ;;
    --force) force=1 ;;
    --no-migrate) migrate=0 ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

if [ -t 1 ]; then bold=$'\033[1m'; red=$'\033[31m'; yellow=$'\033[33m'; reset=$'\033[0m'; else bold=; red=; yellow=; reset=; fi
step() { printf '%s==> %s%s\n' "$bold" "$*" "$reset"; }
skip() { printf '    %s\n' "$*"; }
warn() { printf '%ssetup: warning: %s%s\n' "$yellow" "$*" "$reset" >&2; }
die() { printf '%ssetup: error: %s%s\n' "$red" "$*" "$reset" >&2; exit 1; }

# sha256 of the named files' contents (missing files count as empty) plus any extra words.
fingerprint() {
  local extra="$1"; shift
  { printf '%s\n' "$extra"; for f in "$@"; do printf '%s\n' "$f"; cat "$f" 2>/dev/null || true; done; } \
    | sha256sum | cut -d' ' -f1
}
stamp_ok() { [ "$force" = 0 ] && [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

started=$SECONDS

# One setup at a time per checkout (run.sh and test.sh may be started together).
if command -v flock >/dev/null; then
  lock="${TMPDIR:-/tmp}/collab-setup-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12).lock"
  exec 9>"$lock"
  flock -w 600 9 || die "another setup.sh is still running in $ROOT (lock: $lock)"
fi

# ---------------------------------------------------------------------------------- tools
PYTHON="${COLLAB_PYTHON:-python3.11}"
if ! command -v "$PYTHON" >/dev/null 2>&1 \
   || ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
  if [ -z "${COLLAB_PYTHON:-}" ] && command -v python3 >/dev/null 2>&1 \
     && python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
    PYTHON=python3
  else
    die "Python 3.11 is required ('$PYTHON' not found or not 3.11).
       Install it (Debian/Ubuntu: apt-get install python3.11 python3.11-venv; or pyenv install 3.11),
       or point COLLAB_PYTHON at a Python 3.11 interpreter."
  fi
fi
command -v node >/dev/null 2>&1 || die "Node.js 20 or newer is required (node not found on PATH).
       Install it (https://nodejs.org/ or your distribution's nodejs package), then re-run."
command -v npm >/dev/null 2>&1 || die "npm is required (npm not found on PATH); it ships with Node.js."
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node.js 20 or newer is required (found $(node --version))."

# ----------------------------------------------------------------------- python packages
if [ -x .venv/bin/python ] && ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
  warn ".venv is broken or not Python 3.11: recreating it"
  rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
  step "Creating .venv with $("$PYTHON" --version) ($PYTHON)"
  "$PYTHON" -m venv .venv || die "could not create .venv (Debian/Ubuntu: apt-get install python3.11-venv)"
fi

if [ "$mode" = prod ]; then reqs=(requirements.txt); else reqs=(requirements.txt requirements-dev.txt); fi
for f in "${reqs[@]}"; do [ -f "$f" ] || die "$f is missing"; done
py_stamp=.venv/.collab-requirements
py_hash="$(fingerprint "$mode $(.venv/bin/python -V 2>&1)" "${reqs[@]}")"
if stamp_ok "$py_stamp" "$py_hash"; then
  skip "Python packages: up to date (${reqs[*]})"
else
  step "Installing Python packages (pip install -r ${reqs[-1]}; a minute or two the first time)"
  rm -f "$py_stamp"
  # (Some machines' pip configuration names local folders that don't exist; that warning is noise.)
  set +e
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-input --progress-bar off \
    -r "${reqs[-1]}" 2>&1 | grep -v -E "^WARNING: Location 'file:[^']*' is ignored: it is neither a file nor a directory\.$"
  pip_rc=${PIPESTATUS[0]}
  set -e
  [ "$pip_rc" = 0 ] || die "pip install -r ${reqs[-1]} failed (see above)"
  printf '%s\n' "$py_hash" >"$py_stamp"
fi

# ---------------------------------------------------------------------- front-end assets
[ -f package-lock.json ] || die "package-lock.json is missing: it pins the front-end packages.
       Whoever changes package.json runs 'npm install' and commits the lock; setup only runs 'npm ci'."
npm_stamp=node_modules/.collab-package-lock
npm_hash="$(fingerprint "node $node_major" package.json package-lock.json)"
if stamp_ok "$npm_stamp" "$npm_hash"; then
  skip "Node packages: up to date (package-lock.json)"
else
  step "Installing Node packages (npm ci)"
  npm ci --no-audit --no-fund || die "npm ci failed. If package.json and package-lock.json disagree,
       the front-end owner must run 'npm install' and commit package-lock.json."
  printf '%s\n' "$npm_hash" >"$npm_stamp"
fi

build_stamp=static/vendor/.collab-build
build_hash="$(fingerprint "$npm_hash" static/build-vendor.mjs)"
if stamp_ok "$build_stamp" "$build_hash"; then
  skip "Front-end build: up to date (static/vendor/)"
else
  step "Building front-end assets (npm run build)"
  npm run --silent build || die "npm run build failed (see above)"
  mkdir -p static/vendor
  printf '%s\n' "$build_hash" >"$build_stamp"
fi

# One bundle per page (static/build-bundles.mjs, esbuild, ~0.3 s), made again whenever a module, a
# vendored file or a template is newer than the last build. The server uses a bundle only while it
# is newer than its modules (collab/modulegraph.py), so a stale one is never served.
bundles_stamp=static/dist/.collab-build
if [ -f "$bundles_stamp" ] && [ "$force" = 0 ] \
   && [ -z "$(find static/js static/vendor templates static/build-bundles.mjs -newer "$bundles_stamp" -print -quit)" ]; then
  skip "Page bundles: up to date (static/dist/)"
else
  step "Bundling each page's modules (static/build-bundles.mjs)"
  node static/build-bundles.mjs || die "bundling the pages' modules failed (see above)"
  touch "$bundles_stamp"
fi

# --------------------------------------------------------------------------- translations
if [ ! -d translations ]; then
  warn "translations/ does not exist yet: skipping 'pybabel compile' (pages fall back to their source text)"
else
  mapfile -t catalogs < <(find translations -name '*.po' -type f | LC_ALL=C sort)
  if [ "${#catalogs[@]}" -eq 0 ]; then
    warn "translations/ has no .po catalogs yet: skipping 'pybabel compile'"
  else
    mo_missing=0
    for po in "${catalogs[@]}"; do [ -f "${po%.po}.mo" ] || mo_missing=1; done
    tr_stamp=.venv/.collab-translations
    tr_hash="$(fingerprint "babel" "${catalogs[@]}")"
    if [ "$mo_missing" = 0 ] && stamp_ok "$tr_stamp" "$tr_hash"; then
      skip "Translations: up to date (${#catalogs[@]} catalogs)"
    else
      step "Compiling translations (pybabel compile -d translations)"
      .venv/bin/pybabel compile -d translations || die "pybabel compile failed (see above)"
      printf '%s\n' "$tr_hash" >"$tr_stamp"
    fi
  fi
fi

# ------------------------------------------------------------------------------- database
if [ "$migrate" = 1 ]; then
  step "Applying database migrations (flask --app wsgi db upgrade)"
  .venv/bin/flask --app wsgi db upgrade || die "database migration failed (see above).
       Database: ${COLLAB_DATABASE_URL:-SQLite in ${COLLAB_INSTANCE_DIR:-instance}/collab.db}"
fi

step "Setup done in $((SECONDS - started))s ($mode)"
