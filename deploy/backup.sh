#!/usr/bin/env bash
# ALTTO backup: an online copy of the database and a tarball of uploaded media, in
# $BACKUP_DIR/<date_time>/, then deletes backups older than $BACKUP_KEEP_DAYS days.
#   SQLite:     Python's sqlite3 backup API (a consistent copy while the site runs), gzipped.
#   PostgreSQL: pg_dump --format=custom (restore with pg_restore).
# Run by altto-backup.timer, or by hand:  sudo systemctl start altto-backup
#                                    or:  sudo -u altto /srv/altto/app/deploy/backup.sh
# Restoring: docs/DEPLOY.md. It prints paths and sizes, never settings or passwords.
set -euo pipefail
umask 077

APP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ENV_FILE=${ALTTO_ENV_FILE:-/etc/altto/altto.env}

# Same reader as deploy/manage.sh: no shell expansion, variables already set win.
load_env() {
    local line key value
    while IFS= read -r line || [[ -n $line ]]; do
        [[ $line =~ ^[[:space:]]*([#;]|$) ]] && continue
        [[ $line =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
        key=${BASH_REMATCH[1]}
        value=${BASH_REMATCH[2]}
        if [[ $value =~ ^\'(.*)\'$ || $value =~ ^\"(.*)\"$ ]]; then
            value=${BASH_REMATCH[1]}
        fi
        [[ -v $key ]] || export "$key=$value"
    done <"$1"
}

# Under systemd the environment is already loaded. By hand, read the env file, and
# refuse to guess: without it the settings would point at a development database.
if [[ -z ${SECRET_KEY:-} ]]; then
    if [[ ! -r $ENV_FILE ]]; then
        echo "backup: cannot read $ENV_FILE (run as the altto user, or set ALTTO_ENV_FILE)" >&2
        exit 1
    fi
    load_env "$ENV_FILE"
fi

BACKUP_DIR=${BACKUP_DIR:-/var/backups/altto}
KEEP_DAYS=${BACKUP_KEEP_DAYS:-14}
if [[ ! $KEEP_DAYS =~ ^[0-9]+$ ]]; then
    echo "backup: BACKUP_KEEP_DAYS must be a whole number of days" >&2
    exit 1
fi

mkdir -p "$BACKUP_DIR"
exec 9>"$BACKUP_DIR/.lock"
if ! flock -n 9; then
    echo "backup: another backup is running" >&2
    exit 1
fi

stamp=$(date +%Y-%m-%d_%H%M%S)
dest="$BACKUP_DIR/$stamp"
work="$dest.partial"
mkdir "$work"
trap 'rm -rf -- "$work"' EXIT

# The database, found through Django's own settings so that the paths always match the
# app's. Prints one line: the media directory.
cd "$APP_DIR"
media_root=$(
    DJANGO_SETTINGS_MODULE=altto.settings "$APP_DIR/.venv/bin/python" - "$work" <<'PY'
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import django

django.setup()
from django.conf import settings  # noqa: E402

out = Path(sys.argv[1])
db = settings.DATABASES["default"]
engine = db["ENGINE"].rsplit(".", 1)[-1]

if engine == "sqlite3":
    source_path = Path(db["NAME"])
    if not source_path.is_file():
        sys.exit(f"backup: no database at {source_path}")
    source = sqlite3.connect(source_path, timeout=60)
    copy = sqlite3.connect(out / "altto.sqlite3")
    source.backup(copy)  # one step: a consistent snapshot, even while the site writes
    source.close()
    copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    result = copy.execute("PRAGMA integrity_check").fetchone()[0]
    copy.close()
    if result != "ok":
        sys.exit("backup: the database copy failed its integrity check")
elif engine == "postgresql":
    # Connection details go to pg_dump in its environment, never on its command line.
    env = dict(os.environ)
    for key, var in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if db.get(key):
            env[var] = str(db[key])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
         f"--file={out / 'altto.pgdump'}"],
        env=env,
        check=True,
    )
else:
    sys.exit(f"backup: no recipe for the {engine} database engine")

print(settings.MEDIA_ROOT)
PY
)

if [[ -f $work/altto.sqlite3 ]]; then
    gzip -6 "$work/altto.sqlite3"
fi

# Uploaded media. GNU tar exits 1 when a file changed while it was read: still a usable
# archive (the next run catches the change), so only worse errors stop the backup.
if [[ -d $media_root ]]; then
    tar -C "$(dirname "$media_root")" --warning=no-file-changed \
        -czf "$work/media.tar.gz" "$(basename "$media_root")" || [[ $? -eq 1 ]]
else
    echo "backup: no media directory yet ($media_root), skipped"
fi

# Which code made this backup: restore onto the same revision, then migrate forward.
revision=$(git -C "$APP_DIR" rev-parse --verify --quiet HEAD 2>/dev/null) || revision=unknown
printf 'created: %s\nrevision: %s\n' "$stamp" "$revision" >"$work/MANIFEST"

mv "$work" "$dest"
trap - EXIT
for file in "$dest"/*; do
    echo "backup: $(du -h "$file" | cut -f1)	$file"
done

# Keep KEEP_DAYS days of backups; clear leftovers of runs that died half-way.
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '????-??-??_??????' \
    -mtime +"$KEEP_DAYS" -printf 'backup: deleted %p\n' -exec rm -rf -- {} +
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '*.partial' -mmin +1440 \
    -exec rm -rf -- {} +
