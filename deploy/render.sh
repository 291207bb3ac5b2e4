#!/bin/sh
# Render a proxy site from deploy/: fills its ${COLLAB_*} placeholders from the environment.
#
#   COLLAB_DOMAIN=collab.example.org COLLAB_PORTS="5001 5002" deploy/render.sh nginx > collab.conf
#   COLLAB_DOMAIN=collab.example.org COLLAB_ACME_EMAIL=you@example.org deploy/render.sh caddy > Caddyfile
#
# Settings (defaults in brackets):
#   COLLAB_DOMAIN          the site's name (required)
#   COLLAB_PORTS           the Collab processes' ports on 127.0.0.1, one per collab@PORT unit [5001 5002]
#   COLLAB_APP_DIR         the checkout, whose static/ the proxy serves [/srv/collab/app]
#   COLLAB_MAX_UPLOAD_MB   as in /etc/collab/collab.env, plus one for the form around a photo [15 + 1]
#   nginx: COLLAB_TLS_CERT, COLLAB_TLS_KEY  [/etc/letsencrypt/live/$COLLAB_DOMAIN/{fullchain,privkey}.pem]
#          COLLAB_HTTPS_LISTEN, COLLAB_HTTP_LISTEN  ["[::]:443 ipv6only=off", "[::]:80 ipv6only=off"]
#   caddy: COLLAB_ACME_EMAIL (the address Let's Encrypt writes to; required)
#          COLLAB_BIND [::], COLLAB_HTTPS_PORT [443], COLLAB_HTTP_PORT [80],
#          COLLAB_CADDY_ADMIN [localhost:2019] (`systemctl reload caddy` uses it)
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
kind="${1:-}"
: "${COLLAB_DOMAIN:?set COLLAB_DOMAIN, e.g. collab.example.org}"
: "${COLLAB_PORTS:=5001 5002}"
: "${COLLAB_APP_DIR:=/srv/collab/app}"
: "${COLLAB_MAX_UPLOAD_MB:=15}"
COLLAB_MAX_UPLOAD_MB=$(( ${COLLAB_MAX_UPLOAD_MB%%.*} + 1 ))
export COLLAB_DOMAIN COLLAB_APP_DIR COLLAB_MAX_UPLOAD_MB

case "$kind" in
  nginx)
    : "${COLLAB_TLS_CERT:=/etc/letsencrypt/live/$COLLAB_DOMAIN/fullchain.pem}"
    : "${COLLAB_TLS_KEY:=/etc/letsencrypt/live/$COLLAB_DOMAIN/privkey.pem}"
    : "${COLLAB_HTTPS_LISTEN:=[::]:443 ipv6only=off}"
    : "${COLLAB_HTTP_LISTEN:=[::]:80 ipv6only=off}"
    COLLAB_UPSTREAM_SERVERS="$(for port in $COLLAB_PORTS; do printf '    server 127.0.0.1:%s max_fails=1 fail_timeout=2s;\n' "$port"; done)"
    export COLLAB_TLS_CERT COLLAB_TLS_KEY COLLAB_HTTPS_LISTEN COLLAB_HTTP_LISTEN COLLAB_UPSTREAM_SERVERS
    envsubst '${COLLAB_DOMAIN} ${COLLAB_APP_DIR} ${COLLAB_MAX_UPLOAD_MB} ${COLLAB_TLS_CERT} ${COLLAB_TLS_KEY} ${COLLAB_HTTPS_LISTEN} ${COLLAB_HTTP_LISTEN} ${COLLAB_UPSTREAM_SERVERS}' \
      < "$here/nginx/collab.conf"
    ;;
  caddy)
    : "${COLLAB_ACME_EMAIL:?set COLLAB_ACME_EMAIL: Let's Encrypt writes there about the certificate}"
    : "${COLLAB_BIND:=::}"
    : "${COLLAB_CADDY_ADMIN:=localhost:2019}"
    : "${COLLAB_HTTPS_PORT:=443}"
    : "${COLLAB_HTTP_PORT:=80}"
    COLLAB_UPSTREAMS="$(for port in $COLLAB_PORTS; do printf '127.0.0.1:%s ' "$port"; done)"
    COLLAB_UPSTREAMS="${COLLAB_UPSTREAMS% }"
    export COLLAB_ACME_EMAIL COLLAB_CADDY_ADMIN COLLAB_BIND COLLAB_HTTPS_PORT COLLAB_HTTP_PORT COLLAB_UPSTREAMS
    envsubst '${COLLAB_DOMAIN} ${COLLAB_APP_DIR} ${COLLAB_MAX_UPLOAD_MB} ${COLLAB_ACME_EMAIL} ${COLLAB_CADDY_ADMIN} ${COLLAB_BIND} ${COLLAB_HTTPS_PORT} ${COLLAB_HTTP_PORT} ${COLLAB_UPSTREAMS}' \
      < "$here/caddy/Caddyfile"
    ;;
  *) echo "usage: deploy/render.sh nginx|caddy > FILE (settings in the environment: see the top of $0)" >&2; exit 2 ;;
esac
