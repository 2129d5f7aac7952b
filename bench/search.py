"""Search at scale: how long `altto.search.queries.search()` takes with 200,000 forum posts
and 10,000 library items, on SQLite and on PostgreSQL. Budget: p95 under 100 ms on each.

Run it with `make bench` (after bench/run.py) or `.venv/bin/python bench/search.py`. For each
database it makes a throwaway one (a SQLite file in a temporary folder; a PostgreSQL database
`altto_bench_<random>` on TEST_DATABASE_URL's server, default postgres@127.0.0.1:5432, if one
answers), then runs `migrate`, `seed_scale` and `rebuild_search_index`, timing each, and
times QUERIES in one Django process: a warm-up, then RUNS runs of each. It prints a table,
writes bench/results/search.json, and removes what it made (also on Ctrl-C).

Environment: BENCH_SEARCH_POSTS (default 200000) and BENCH_SEARCH_ITEMS (default 10000)
shrink the data for a quick run; BENCH_SEARCH_RUNS (default 20) the runs per query;
BENCH_SEARCH_DATABASES ("sqlite,postgresql") which databases to try.

Usage inside (what the script runs for itself): bench/search.py --measure RUNS
"""

import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import SETTINGS_VARIABLES, VENV_BIN  # noqa: E402

RESULTS_FILE = ROOT / "bench" / "results" / "search.json"
BUDGET_P95_MS = 100.0
POSTS = int(os.environ.get("BENCH_SEARCH_POSTS") or 200_000)
ITEMS = int(os.environ.get("BENCH_SEARCH_ITEMS") or 10_000)
USERS = max(10, POSTS // 10)
RUNS = int(os.environ.get("BENCH_SEARCH_RUNS") or 20)
DATABASES = (os.environ.get("BENCH_SEARCH_DATABASES") or "sqlite,postgresql").split(",")
COMMAND_TIMEOUT = 3600
SLOW_SECONDS = 1.0  # a warm-up slower than this: SLOW_RUNS runs only
SLOW_RUNS = 3
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/test"

LONG = "how do I plan a warm-up for a sleepy first period class with my JTE " * 4
# (label, query, filters): what readers type, from the narrowest to the broadest.
QUERIES = [
    ("word", "pronunciation", {}),
    ("word", "phonics", {}),
    ("word", "enkai", {}),
    ("word", "homework", {}),
    ("stem", "teach", {}),
    ("stem", "teaching", {}),
    ("stem", "teachers", {}),
    ("two words", "team teaching", {}),
    ("two words", "self-introduction lesson", {}),
    ("two words", "speech contest", {}),
    ("two words", "quiet students", {}),
    ("common", "the", {}),
    ("common", "students", {}),
    ("common", "school", {}),
    ("common", "JTE", {}),
    ("rare", "kamishibai", {}),
    ("rare", "onomatopoeia", {}),
    ("no match", "xylophone", {}),
    ("japanese", "自己紹介", {}),
    ("japanese", "チームティーチング", {}),
    ("japanese", "授業", {}),
    ("japanese", "英語の歌", {}),
    ("japanese", "発音", {}),
    ("mixed", "JTE 打ち合わせ", {}),
    ("filtered", "teach", {"kinds": ("item",)}),
    ("filtered", "game", {"level": "es"}),
    ("filtered", "students", {"kinds": ("thread",), "level": "jhs"}),
    ("filtered", "warm-up", {"tag": "games"}),
    ("page 2", "teach", {"page": 2}),
    ("page 10", "the", {"page": 10}),
    ("long", LONG, {}),
]


class BenchError(Exception):
    pass


# --- Measuring, inside a Django process (--measure) ---------------------------------------


def percentile(sorted_ms: list[float], share: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(round(share * (len(sorted_ms) - 1))))]


def measure(runs: int) -> dict:
    import django

    django.setup()
    from django.db import connection

    from altto.search.models import Entry
    from altto.search.queries import search

    db_ms = [0.0]

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            db_ms[0] += (time.perf_counter() - start) * 1000

    queries, every = [], []
    with connection.execute_wrapper(timed):
        for label, query, filters in QUERIES:
            start = time.perf_counter()
            found = search(query, **filters)  # warm-up: caches, the database's pages
            # A query far over budget is timed fewer times: the verdict is the same.
            slow = time.perf_counter() - start > SLOW_SECONDS
            times, db = [], []
            for _ in range(SLOW_RUNS if slow else runs):
                db_ms[0] = 0.0
                start = time.perf_counter()
                search(query, **filters)
                times.append((time.perf_counter() - start) * 1000)
                db.append(db_ms[0])
            every += times
            times.sort()
            queries.append(
                {
                    "label": label,
                    "query": query if len(query) <= 40 else query[:37] + "...",
                    "filters": {
                        k: list(v) if isinstance(v, tuple) else v for k, v in filters.items()
                    },
                    "total": found.total,
                    "runs": len(times),
                    "p50_ms": round(statistics.median(times), 2),
                    "p95_ms": round(percentile(times, 0.95), 2),
                    "max_ms": round(times[-1], 2),
                    "db_p50_ms": round(statistics.median(db), 2),
                }
            )
    every.sort()
    return {
        "entries": {kind: Entry.objects.filter(kind=kind).count() for kind in Entry.Kind.values},
        "runs_per_query": runs,
        "p50_ms": round(statistics.median(every), 2),
        "p95_ms": round(percentile(every, 0.95), 2),
        "max_ms": round(every[-1], 2),
        "queries": queries,
    }


# --- The throwaway databases ----------------------------------------------------------------


def base_env(tmp: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "altto.settings",
            "ALTTO_VAR_DIR": str(tmp / "var"),
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
    )
    return env


def manage(env: dict, *command: str) -> float:
    """Run manage.py, its progress bars on the terminal; the seconds it took."""
    print(f"  manage.py {' '.join(command)}", flush=True)
    start = time.perf_counter()
    done = subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *command],
        cwd=ROOT,
        env=env,
        timeout=COMMAND_TIMEOUT,
    )
    if done.returncode != 0:
        raise BenchError(f"manage.py {command[0]} failed ({done.returncode})")
    return round(time.perf_counter() - start, 1)


def postgres_admin_url() -> str:
    parts = urlsplit(POSTGRES_URL)
    return urlunsplit(parts._replace(path="/postgres"))


def postgres_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(postgres_admin_url(), connect_timeout=3).close()
        return True
    except Exception:
        return False


def postgres_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(postgres_admin_url(), autocommit=True) as conn:
        conn.execute(sql)


def database_size(env: dict, vendor: str, name: str) -> float | None:
    if vendor == "sqlite":
        return round(Path(name).stat().st_size / 1e6, 1)
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        return round(
            conn.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 1e6, 1
        )


def run_one(vendor: str, tmp: Path) -> dict:
    if vendor == "sqlite":
        name = str(tmp / "search.sqlite3")
        url = f"sqlite:///{name}"
        cleanup = None
    else:
        name = f"altto_bench_{secrets.token_hex(4)}"
        postgres_admin(f'CREATE DATABASE "{name}"')
        url = urlunsplit(urlsplit(POSTGRES_URL)._replace(path=f"/{name}"))

        def cleanup():
            postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    print(f"\n== {vendor}: {name}", flush=True)
    env = base_env(tmp, url)
    try:
        seconds = {"migrate": manage(env, "migrate", "--noinput", "--verbosity", "0")}
        seconds["seed_scale"] = manage(
            env, "seed_scale", "--posts", str(POSTS), "--items", str(ITEMS),
            "--users", str(USERS), "--no-index",
        )  # fmt: skip
        seconds["rebuild_search_index"] = manage(env, "rebuild_search_index")
        print(f"  timing {len(QUERIES)} queries x {RUNS} runs ...", flush=True)
        done = subprocess.run(
            [str(VENV_BIN / "python"), "bench/search.py", "--measure", str(RUNS)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
        if done.returncode != 0:
            raise BenchError(f"measuring on {vendor} failed:\n{done.stderr}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result.update(
            {"database": vendor, "seconds": seconds, "size_mb": database_size(env, vendor, name)}
        )
        return result
    finally:
        if cleanup is not None:
            cleanup()


# --- Report ---------------------------------------------------------------------------------


def print_report(results: list[dict]) -> None:
    header = ["query", "filters", "results"]
    for r in results:
        header += [f"{r['database'][:6]} p50", f"{r['database'][:6]} p95"]
    rows = []
    for i, (_label, _query, _filters) in enumerate(QUERIES):
        first = results[0]["queries"][i]
        row = [
            first["query"],
            json.dumps(first["filters"], ensure_ascii=False) if first["filters"] else "",
            str(first["total"]),
        ]
        for r in results:
            q = r["queries"][i]
            row += [f"{q['p50_ms']:.1f}", f"{q['p95_ms']:.1f}"]
        rows.append(row)
    widths = [max(len(str(row[j])) for row in [header, *rows]) for j in range(len(header))]
    for n, row in enumerate([header, *rows]):
        cells = [c.rjust(widths[j]) if j >= 2 else c.ljust(widths[j]) for j, c in enumerate(row)]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print()
    for r in results:
        verdict = "within" if r["p95_ms"] < BUDGET_P95_MS else "OVER"
        s = r["seconds"]
        print(
            f"{r['database']}: p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, max "
            f"{r['max_ms']:.1f} ms ({verdict} the {BUDGET_P95_MS:.0f} ms p95 budget); "
            f"{sum(r['entries'].values())} entries, {r['size_mb']} MB; seed_scale "
            f"{s['seed_scale']} s, rebuild_search_index {s['rebuild_search_index']} s"
        )
        slowest = sorted(r["queries"], key=lambda q: q["p95_ms"], reverse=True)[:5]
        print(
            "  slowest (p95, db share): "
            + "; ".join(
                f"{q['query']!r} {q['p95_ms']:.1f} ms (db {q['db_p50_ms']:.1f})" for q in slowest
            )
        )


def main() -> int:
    if "--measure" in sys.argv:
        print(json.dumps(measure(int(sys.argv[sys.argv.index("--measure") + 1]))))
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    vendors = [v for v in DATABASES if v == "sqlite"]
    if "postgresql" in DATABASES:
        if postgres_reachable():
            vendors.append("postgresql")
        else:
            print(f"PostgreSQL not reachable at {postgres_admin_url()}: SKIPPED", flush=True)
    print(
        f"Search bench: {POSTS} posts, {ITEMS} items, {USERS} members; {len(QUERIES)} queries, "
        f"{RUNS} runs each after a warm-up; {os.cpu_count()} CPUs",
        flush=True,
    )
    tmp = Path(tempfile.mkdtemp(prefix="altto-search-bench-"))
    try:
        results = [run_one(vendor, tmp) for vendor in vendors]
        print()
        print_report(results)
        report = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
            },
            "sizes": {"posts": POSTS, "items": ITEMS, "users": USERS},
            "budget_p95_ms": BUDGET_P95_MS,
            "databases": results,
        }
        RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
        RESULTS_FILE.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"Wrote {RESULTS_FILE.relative_to(ROOT)}")
        over = [r["database"] for r in results if r["p95_ms"] >= BUDGET_P95_MS]
        if over:
            print(f"Over the p95 budget on: {', '.join(over)}", file=sys.stderr)
            return 1
        return 0
    except (BenchError, subprocess.TimeoutExpired) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
