#!/usr/bin/env bash
# Run a manage.py command with the production environment, as the altto user:
#   sudo -u altto /srv/altto/app/deploy/manage.sh migrate
# Reads ALTTO_ENV_FILE (default /etc/altto/altto.env). Variables already set win,
# so `DEBUG=true deploy/manage.sh …` works for a one-off.
set -euo pipefail

APP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ENV_FILE=${ALTTO_ENV_FILE:-/etc/altto/altto.env}

# Read KEY=value lines the way systemd's EnvironmentFile= does for simple values:
# no shell expansion, surrounding quotes removed, comment and blank lines skipped.
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

if [[ ! -r $ENV_FILE ]]; then
    echo "manage.sh: cannot read $ENV_FILE (run as the altto user, or set ALTTO_ENV_FILE)" >&2
    exit 1
fi
load_env "$ENV_FILE"
cd "$APP_DIR"
exec "$APP_DIR/.venv/bin/python" manage.py "$@"
