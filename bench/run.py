"""ALTTO benchmark: requests/s and p50/p99 latency of each page, against a database-free floor.

Run it with `make bench` (or `.venv/bin/python bench/run.py`). It builds a throwaway site in a
temporary folder, serves it with gunicorn on 127.0.0.1 the way production does (DEBUG off,
2 sync workers), loads each page in PAGES with wrk, prints a table and writes
bench/results/latest.json. Everything it starts, it stops; the temporary folder is removed.

Environment: BENCH_SECONDS (default 10) is how long wrk loads each page.
"""

import contextlib
import ctypes
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
RESULTS_FILE = ROOT / "bench" / "results" / "latest.json"

FLOOR = "/bench/floor/"
# make_bench_thread's BENCH_THREAD_PATH (this script runs without Django, so it is repeated;
# tests/forum/test_bench_thread.py checks the two agree).
BENCH_THREAD = "/forum/t/900001-bench-how-do-you-run-a-warm-up-with-a-sleepy-first-period-class/"
# The pages measured, in this order. Later issues append their pages here: a path, and if the
# page needs data, a management command appended to SETUP_COMMANDS that creates it.
PAGES = [
    FLOOR,
    "/",
    "/modules/",
    "/modules/team-teaching/",
    "/modules/team-teaching/planning-time-uchiawase/",
    # The word-level diff of a 2,000-word lesson (make_bench_lesson); budget: well under 100 ms.
    "/modules/bench/long/history/compare/?from=1&to=2",
    "/forum/",
    # A question with 100 replies (make_bench_thread): the first page, opening post, accepted
    # answer and 50 replies. Its canonical address: /forum/t/<pk>/ would only redirect.
    BENCH_THREAD,
]

# Pages also timed inside one Django process (bench/in_process.py): server time without the
# network or gunicorn, for pages whose budget is stated in server time.
IN_PROCESS_PAGES = ["/modules/bench/long/history/compare/?from=1&to=2", "/forum/", BENCH_THREAD]
IN_PROCESS_RUNS = 50

# manage.py commands run, in order, against the throwaway database before gunicorn starts.
SETUP_COMMANDS = [
    ["migrate", "--noinput", "--verbosity", "0"],
    ["setup_site", "--no-sample"],
    ["load_curriculum"],
    ["load_library"],
    ["make_bench_lesson"],
    ["make_bench_thread"],
    # DEBUG=false uses whitenoise's manifest storage, so {% static %} needs the manifest.
    ["collectstatic", "--noinput", "--verbosity", "0"],
]

SECONDS = int(os.environ.get("BENCH_SECONDS") or 10)
WRK_THREADS = 2
WRK_CONNECTIONS = 8
WARMUP_SECONDS = 1
GUNICORN_WORKERS = 2
IDLE_SECONDS = 2  # quiet time after the load before memory is read
STARTUP_TIMEOUT = 60
COMMAND_TIMEOUT = 600

# Every variable altto/settings.py reads: the bench sets its own, and drops the caller's so
# that a developer's shell (a REDIS_URL, a real DATABASE_URL) cannot leak into the run.
SETTINGS_VARIABLES = [
    "ALTTO_VAR_DIR",
    "ALTTO_TESTING",
    "ALTTO_URLCONF",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "REDIS_URL",
    "TASK_BACKEND",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "TIME_ZONE",
    "MEDIA_ROOT",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SERVER_TIMING",
    "LOG_LEVEL",
    "DJANGO_SETTINGS_MODULE",
]

TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


class BenchError(Exception):
    pass


# --- The throwaway site -----------------------------------------------------------------------


def bench_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "altto.settings",
            "ALTTO_VAR_DIR": str(tmp / "var"),
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "ALTTO_URLCONF": "bench.urls",
            "SERVER_TIMING": "true",
            # The project root, so that `bench.urls` imports in gunicorn and manage.py alike.
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
    )
    return env


def prepare_site(env: dict[str, str]) -> None:
    for command in SETUP_COMMANDS:
        print(f"  manage.py {' '.join(command)}", flush=True)
        done = subprocess.run(
            [str(VENV_BIN / "python"), "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
        if done.returncode != 0:
            raise BenchError(
                f"manage.py {command[0]} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
            )


def measure_in_process(env: dict[str, str]) -> list[dict]:
    done = subprocess.run(
        [str(VENV_BIN / "python"), "bench/in_process.py", str(IN_PROCESS_RUNS), *IN_PROCESS_PAGES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )
    if done.returncode != 0:
        raise BenchError(f"bench/in_process.py failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- gunicorn ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_us(parent: int):
    """Runs in the child before exec: if this script dies without its cleanup (SIGKILL),
    the kernel sends gunicorn SIGTERM, so the server never outlives the bench."""

    def hook() -> None:
        with contextlib.suppress(Exception):
            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
        if os.getppid() != parent:
            os._exit(1)

    return hook


def start_gunicorn(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    command = [
        str(VENV_BIN / "gunicorn"),
        "altto.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(GUNICORN_WORKERS),
        "--worker-class",
        "sync",
        "--no-control-socket",  # gunicorn would otherwise make a socket under ~/.gunicorn
        "--graceful-timeout",
        "5",
    ]
    log = log_path.open("wb")
    try:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches this script, which then stops gunicorn
            preexec_fn=_die_with_us(os.getpid()),  # safe: this script runs no threads
        )
    finally:
        log.close()


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        # Its own session, made by start_gunicorn: the master and its workers, nothing else.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


def log_tail(log_path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_until_healthy(server: subprocess.Popen, base: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    last = "no answer"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited ({server.returncode}):\n{log_tail(log_path)}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}: {exc.read(300).decode(errors='replace')}"
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.2)
    raise BenchError(
        f"/healthz did not answer 200 within {STARTUP_TIMEOUT}s ({last}):\n{log_tail(log_path)}"
    )


# --- Measuring --------------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is the page's answer; report it, do not follow it


_opener = urllib.request.build_opener(_NoRedirects)


def fetch_once(url: str) -> dict:
    """One plain request: status, size and Server-Timing, as a browser's first visit sees it."""
    try:
        with _opener.open(url, timeout=30) as response:
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        status, headers, body = exc.code, exc.headers, exc.read()
    timing = headers.get("Server-Timing", "")
    match = re.search(r'dur=([\d.]+);desc="(\d+) queries"', timing)
    return {
        "status": status,
        "bytes": len(body),
        "server_timing": timing,
        "queries": int(match.group(2)) if match else None,
        "db_ms": float(match.group(1)) if match else None,
    }


def to_ms(value: str, unit: str) -> float:
    return float(value) * TIME_UNITS_MS[unit]


def parse_wrk(output: str) -> dict:
    def latency(percent: int) -> float | None:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE)
        return to_ms(*match.groups()) if match else None

    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in ", output, re.MULTILINE)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "requests_per_s": float(rps.group(1)) if rps else None,
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "requests": int(total.group(1)) if total else None,
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": dict(
            zip(("connect", "read", "write", "timeout"), map(int, errors.groups()), strict=True)
        )
        if errors
        else {},
    }


def run_wrk(url: str, seconds: int) -> tuple[dict, str]:
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{WRK_CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    if done.returncode != 0:
        raise BenchError(f"wrk failed on {url} ({done.returncode}):\n{done.stdout}{done.stderr}")
    return parse_wrk(done.stdout), done.stdout


def measure_page(base: str, path: str) -> dict:
    url = base + path
    run_wrk(url, WARMUP_SECONDS)  # both workers compile templates and fill caches first
    result = {"page": path, **fetch_once(url)}
    stats, raw = run_wrk(url, SECONDS)
    result.update(stats)
    if stats["requests_per_s"] is None or stats["p99_ms"] is None:
        raise BenchError(f"could not read wrk's output for {path}:\n{raw}")
    return result


# --- Memory -----------------------------------------------------------------------------------


def _status_field(pid: int, field: str) -> str | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def children_of(pid: int) -> list[int]:
    found: set[int] = set()
    task_files = list(Path(f"/proc/{pid}/task").glob("*/children"))
    if task_files:
        for path in task_files:
            with contextlib.suppress(OSError):
                found.update(int(child) for child in path.read_text().split())
        return sorted(found)
    for entry in Path("/proc").iterdir():  # kernels without CONFIG_PROC_CHILDREN
        if entry.name.isdigit() and _status_field(int(entry.name), "PPid") == str(pid):
            found.add(int(entry.name))
    return sorted(found)


def rss_kb(pid: int) -> int:
    value = _status_field(pid, "VmRSS")  # "123456 kB"
    return int(value.split()[0]) if value else 0


def server_memory(master: int) -> dict:
    """RSS of the gunicorn master and every process under it, read once each."""
    found = [(master, "master")]
    pending = children_of(master)
    while pending:
        pid = pending.pop(0)
        found.append((pid, "worker"))
        pending.extend(children_of(pid))
    sizes = [(pid, role, rss_kb(pid)) for pid, role in found]
    return {
        "total_mb": round(sum(kb for _, _, kb in sizes) / 1024, 1),
        "processes": [
            {"pid": pid, "role": role, "rss_mb": round(kb / 1024, 1)} for pid, role, kb in sizes
        ],
    }


# --- Report -----------------------------------------------------------------------------------


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def print_table(results: list[dict]) -> None:
    header = ["page", "req/s", "p50 ms", "p99 ms", "% floor", "KB", "Server-Timing"]
    rows = []
    for r in results:
        if r["queries"] is not None:
            timing = f"{r['queries']} queries, db {r['db_ms']:.1f} ms"
        else:
            timing = r["server_timing"] or "(none)"
        page = r["page"] if r["status"] == 200 else f"{r['page']} [HTTP {r['status']}]"
        rows.append(
            [
                page,
                fmt(r["requests_per_s"]),
                fmt(r["p50_ms"], 2),
                fmt(r["p99_ms"], 2),
                fmt(r["pct_of_floor"], 0) + "%",
                fmt(r["bytes"] / 1024),
                timing,
            ]
        )
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    right = {1, 2, 3, 4, 5}
    for i, row in enumerate([header, *rows]):
        cells = [
            cell.rjust(widths[j]) if j in right else cell.ljust(widths[j])
            for j, cell in enumerate(row)
        ]
        print("  ".join(cells).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    for r in results:
        errors = {k: v for k, v in r["socket_errors"].items() if v}
        if r["non_2xx_3xx"] or errors:
            print(
                f"  ! {r['page']}: {r['non_2xx_3xx']} non-2xx/3xx responses, "
                f"socket errors {errors or 'none'}"
            )


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is not installed (`make bench` installs it).", file=sys.stderr)
        return 2
    # `kill` runs the cleanup below too, like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    tmp = Path(tempfile.mkdtemp(prefix="altto-bench-"))
    server = None
    try:
        env = bench_env(tmp)
        print(f"Preparing a throwaway site in {tmp}", flush=True)
        prepare_site(env)
        print(f"  in-process timing of {len(IN_PROCESS_PAGES)} page(s) ...", flush=True)
        in_process = measure_in_process(env)

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log_path = tmp / "gunicorn.log"
        server = start_gunicorn(env, port, log_path)
        wait_until_healthy(server, base, log_path)
        print(
            f"gunicorn: {GUNICORN_WORKERS} sync workers on {base}; wrk -t{WRK_THREADS} "
            f"-c{WRK_CONNECTIONS} -d{SECONDS}s per page; {os.cpu_count()} CPUs\n",
            flush=True,
        )

        results = []
        for path in PAGES:
            print(f"  {path} ...", flush=True)
            results.append(measure_page(base, path))
        floor_rps = next(r["requests_per_s"] for r in results if r["page"] == FLOOR)
        for r in results:
            r["pct_of_floor"] = (
                round(100 * r["requests_per_s"] / floor_rps, 1) if floor_rps else None
            )

        time.sleep(IDLE_SECONDS)
        if server.poll() is not None:
            raise BenchError(f"gunicorn died during the run:\n{log_tail(log_path)}")
        memory = server_memory(server.pid)

        print()
        print_table(results)
        per_process = ", ".join(f"{p['role']} {p['rss_mb']:.1f}" for p in memory["processes"])
        print(f"\nIdle RSS, gunicorn master + workers: {memory['total_mb']:.1f} MB ({per_process})")
        for r in in_process:
            print(
                f"In-process server time of {r['page']} [HTTP {r['status']}]: median "
                f"{r['median_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms ({r['runs']} runs)"
            )

        report = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
            },
            "load": {
                "tool": "wrk",
                "threads": WRK_THREADS,
                "connections": WRK_CONNECTIONS,
                "seconds": SECONDS,
                "warmup_seconds": WARMUP_SECONDS,
            },
            "server": {"gunicorn_workers": GUNICORN_WORKERS, "worker_class": "sync"},
            "floor": FLOOR,
            "floor_requests_per_s": floor_rps,
            "pages": results,
            "idle_rss": memory,
            "in_process": in_process,
        }
        RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
        RESULTS_FILE.write_text(json.dumps(report, indent=2) + "\n")
        print(f"Wrote {RESULTS_FILE.relative_to(ROOT)}")
        failed = [r["page"] for r in results if r["status"] != 200 or r["non_2xx_3xx"]]
        failed += [r["page"] for r in in_process if r["status"] != 200]
        if failed:
            print(f"Pages that did not answer 200: {', '.join(failed)}", file=sys.stderr)
            return 1
        return 0
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted; stopping gunicorn", file=sys.stderr)
        return 130
    finally:
        if server is not None:
            stop_gunicorn(server)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
