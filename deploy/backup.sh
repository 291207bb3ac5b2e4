#!/bin/sh
# A backup of the whole Collab instance: `flask --app wsgi collab backup` writes the database (pg_dump,
# or SQLite's online backup) and the photos folder, with a manifest, into one tar archive in
# COLLAB_BACKUP_DIR, stamped with the time; archives older than COLLAB_BACKUP_KEEP_DAYS days are removed.
# Run by collab-backup.service (with the settings of /etc/collab/collab.env). Restore on a fresh
# instance: `flask --app wsgi collab restore FILE.tar` (docs/deploy.md, "Backups").
set -eu
: "${COLLAB_DATABASE_URL:?COLLAB_DATABASE_URL is not set (see /etc/collab/collab.env)}"
: "${COLLAB_BACKUP_DIR:=/var/backups/collab}"
: "${COLLAB_BACKUP_KEEP_DAYS:=14}"
app="$(cd "$(dirname "$0")/.." && pwd)"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$COLLAB_BACKUP_DIR"
umask 077
cd "$app"
"$app/.venv/bin/flask" --app wsgi collab backup "$COLLAB_BACKUP_DIR/collab-$stamp.tar" >/dev/null
find "$COLLAB_BACKUP_DIR" -maxdepth 1 -name 'collab-*' -type f -mtime +"$COLLAB_BACKUP_KEEP_DAYS" -delete
echo "backup in $COLLAB_BACKUP_DIR: collab-$stamp.tar"
