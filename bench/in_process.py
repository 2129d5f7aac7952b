"""Server time of some pages measured inside one Django process: no network, no gunicorn,
just the request through the middleware, the view and its template, as Django's test client
makes it. bench/run.py runs this against its throwaway site (same settings, same database)
and reports the median and p95 next to wrk's numbers.

Usage: python bench/in_process.py RUNS PATH [PATH ...]; prints a JSON list on stdout.
"""

import json
import statistics
import sys
import time

import django


def measure(paths: list[str], runs: int) -> list[dict]:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    results = []
    for path in paths:
        status = client.get(path).status_code  # compiles templates, fills caches
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        results.append(
            {
                "page": path,
                "status": status,
                "runs": runs,
                "median_ms": round(statistics.median(times), 2),
                "p95_ms": round(times[int(0.95 * (runs - 1))], 2),
            }
        )
    return results


if __name__ == "__main__":
    django.setup()
    print(json.dumps(measure(sys.argv[2:], int(sys.argv[1]))))
