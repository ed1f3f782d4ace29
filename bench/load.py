"""Putting load on a server with wrk, and watching the server while it runs."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THREADS = 2


def log(message):
    print(message, file=sys.stderr, flush=True)


def wrk(url, duration, connections):
    """Closed-loop load for `duration` seconds: each connection sends its next
    request as soon as the last is answered, so this is the server's maximum."""
    command = [
        "wrk",
        f"-t{min(THREADS, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        "bench/report.lua",
        url,
    ]
    output = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    result = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = result["duration_us"] / 1e6
    socket_errors = sum(result[k] for k in ("connect", "read", "write", "timeout"))
    return {
        "rps": round(result["requests"] / seconds, 1),
        "requests": result["requests"],
        "p50_ms": round(result["p50_us"] / 1000, 2),
        "p95_ms": round(result["p95_us"] / 1000, 2),
        "p99_ms": round(result["p99_us"] / 1000, 2),
        "non_2xx": result["non2xx"],
        "status_5xx": result["status5xx"],
        "socket_errors": socket_errors,
        "cache_hits": result["cache_hits"],
        "cache_misses": result["cache_misses"],
    }


def get(url, timeout=300):
    """One GET; returns the response's X-Page-Cache header (None if absent)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.headers.get("X-Page-Cache")
    except urllib.error.HTTPError as error:
        return error.headers.get("X-Page-Cache")
    except OSError:
        return None


def warm_up(url, count):
    """Each worker renders the page once before it is measured: a cold worker
    loads templates, translation catalogues and the region vocabulary first.
    With the page cache on, this also stores the page."""
    with ThreadPoolExecutor(max_workers=count) as pool:
        list(pool.map(get, [url] * count))


def worker_pids(master_pid):
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == master_pid:
            pids.append(int(stat.parent.name))
    return pids


def worker_rss_kb(master_pid):
    """Resident memory of each gunicorn worker (children of the master)."""
    rss = {}
    for pid in worker_pids(master_pid):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[pid] = int(line.split()[1])
    return rss


def rss_growth_pct(before, after):
    """The largest growth of one worker's memory, in % of what it held before."""
    growth = [100 * (after[pid] - before[pid]) / before[pid] for pid in after if pid in before]
    return round(max(growth), 1) if growth else None


def cpu_seconds(master_pid):
    """CPU time used so far by a gunicorn master's workers."""
    ticks = 0
    for pid in worker_pids(master_pid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def active_queries():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def drain(master_pid):
    """Waits until the workers and their database queries are idle again. wrk
    stops sending at the end of its window, but requests already queued are
    still served: on a page that takes seconds they would be counted against
    the next page."""
    deadline = time.monotonic() + 900
    previous = cpu_seconds(master_pid)
    while time.monotonic() < deadline:
        time.sleep(1)
        current = cpu_seconds(master_pid)
        if current - previous < 0.05 and not active_queries():
            return
        previous = current
    log("  (server still busy after 15 minutes; measuring anyway)")
