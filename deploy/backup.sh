#!/bin/sh
# A backup of a Collab instance on PostgreSQL: the database (pg_dump, custom format: restore with
# pg_restore) and the photos folder (tar), side by side in COLLAB_BACKUP_DIR, stamped with the time;
# backups older than COLLAB_BACKUP_KEEP_DAYS days are removed. Run by collab-backup.service.
# (A whole-instance `collab backup` command with its `restore` is planned; until then, this.)
set -eu
: "${COLLAB_DATABASE_URL:?COLLAB_DATABASE_URL is not set (see /etc/collab/collab.env)}"
: "${COLLAB_BACKUP_DIR:=/var/backups/collab}"
: "${COLLAB_BACKUP_KEEP_DAYS:=14}"
media="${COLLAB_MEDIA_DIR:-${COLLAB_INSTANCE_DIR:-/srv/collab/instance}/media}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$COLLAB_BACKUP_DIR"
umask 077
# pg_dump takes libpq URLs: postgresql://..., without SQLAlchemy's "+driver".
url="$(printf '%s' "$COLLAB_DATABASE_URL" | sed 's|^postgresql+[a-z0-9]*://|postgresql://|')"
pg_dump --format=custom --no-owner --file="$COLLAB_BACKUP_DIR/collab-$stamp.dump.part" "$url"
mv "$COLLAB_BACKUP_DIR/collab-$stamp.dump.part" "$COLLAB_BACKUP_DIR/collab-$stamp.dump"
made="collab-$stamp.dump"
if [ -d "$media" ]; then
  tar -C "$media" -czf "$COLLAB_BACKUP_DIR/collab-media-$stamp.tar.gz.part" .
  mv "$COLLAB_BACKUP_DIR/collab-media-$stamp.tar.gz.part" "$COLLAB_BACKUP_DIR/collab-media-$stamp.tar.gz"
  made="$made collab-media-$stamp.tar.gz"
fi
find "$COLLAB_BACKUP_DIR" -maxdepth 1 -name 'collab-*' -type f -mtime +"$COLLAB_BACKUP_KEEP_DAYS" -delete
echo "backup in $COLLAB_BACKUP_DIR: $made"
