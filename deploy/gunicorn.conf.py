"""Gunicorn settings for ALTTO on one small server (see docs/DEPLOY.md).

Started by deploy/altto-web.service:
    gunicorn -c deploy/gunicorn.conf.py altto.wsgi
Every value can be overridden on the command line; the few that vary between
machines are read from the environment (deploy/altto.env.example).
"""

import os

# Only nginx on this machine talks to gunicorn; it terminates TLS and sets
# X-Forwarded-Proto, which Django trusts (SECURE_PROXY_SSL_HEADER).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Two sync workers fit a 2-core, 1-2 GB machine: a page renders in tens of
# milliseconds, so workers spend their time on CPU, not waiting. Raise
# WEB_CONCURRENCY with cores (about 2 per core); every worker holds its own
# copy of the app, so memory grows with it.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"

# A request that runs longer than this is stuck: the worker is killed and
# replaced. Slow work (email, exports) belongs in the task worker instead.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On restart or reload, let requests in flight finish for this long.
graceful_timeout = 30

# Recycle each worker after about this many requests, so a slow leak cannot
# grow without bound. The jitter keeps workers from restarting together.
max_requests = 1000
max_requests_jitter = 100

# The heartbeat file lives in memory, not on a disk that may stall. Gunicorn
# makes it with mkstemp (private, unpredictable name), hence the noqa.
worker_tmp_dir = "/dev/shm"  # noqa: S108

# No access log: the app already logs one line per request (method, path,
# status, milliseconds, query count) through the "altto.requests" logger.
accesslog = None
# Gunicorn's own messages (start, worker timeouts) go to stderr, i.e. journald.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "altto-web"

# Gunicorn 25+ opens a control socket (for `gunicornc`) in $HOME/.gunicorn by
# default. systemd signals do the same job here, and the home directory is
# read-only under the unit's sandbox, so it stays off.
control_socket_disable = True

# preload_app stays off. Turning it on imports Django once in the master and
# forks the workers from it, which saves some memory (shared copy-on-write
# pages) and catches import errors before any worker starts. The costs:
# - `systemctl reload altto-web` (SIGHUP) no longer picks up new code,
#   because the master keeps the old import; upgrades then need a restart;
# - anything opened at import time (a database connection, a file) would be
#   shared by every worker. ALTTO opens none, but a future change might.
# If memory is tight, try preload_app = True and restart, not reload, on upgrade.
preload_app = False
