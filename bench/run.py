"""Load test of the public pages against the production configuration.

    python -m bench.run [--programmes 100000] [--duration 10] [--connections 16] [--soak]

Ensures the benchmark database holds the synthetic data set, migrates, collects
static files, starts gunicorn (DEBUG off, whitenoise) on loopback and loads each
page with wrk. Three references run on the same setup: a raw WSGI callable, a
constant Django page through the whole middleware stack (the ceiling, C) and a
static file. Results go to bench-results/ as JSON; the table is printed.

Timings on a shared machine vary from run to run: compare ratios within one run.
"""

import argparse
import gzip
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/crossborder_bench"
DJANGO_PORT, RAW_PORT = 8201, 8202
THREADS = 2


def log(message):
    print(message, file=sys.stderr, flush=True)


def server_environment(database_url):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on loopback: no TLS proxy in front to redirect to.
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="ERROR",
    )
    return env


def ensure_database(database_url):
    import psycopg2
    from psycopg2 import sql

    name = database_url.rsplit("/", 1)[1]
    admin = psycopg2.connect(database_url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            log(f"Creating database {name}")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        sys.exit("wrk is missing: apt-get install -y wrk")
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def workers():
    # gunicorn's rule of thumb, (2 x cores) + 1: sync workers wait on the
    # database part of the time, so a few more than the cores keep them busy.
    return 2 * (os.cpu_count() or 1) + 1


def start_gunicorn(app, port, env):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers()),
        "--worker-class",
        "sync",
        "--backlog",
        "2048",
        # Long enough for the slowest page at 100,000 records to be measured
        # rather than killed (production keeps gunicorn's 30 s).
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__bench__/constant/", timeout=2)
            return process
        except urllib.error.HTTPError:
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn on port {port} did not start")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_rss_kb(master_pid):
    """Resident memory of each gunicorn worker (children of the master)."""
    rss = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master_pid:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[int(stat.parent.name)] = int(line.split()[1])
    return rss


def wrk(url, duration, connections, rate=None):
    script = "bench/paced.lua" if rate else "bench/report.lua"
    command = [
        "wrk",
        f"-t{min(THREADS, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        script,
        url,
    ]
    if rate:
        command += ["--", f"{rate:.1f}", str(connections)]
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
    }


# -- the pages -----------------------------------------------------------------


def pick_targets():
    """(name, kind, path) for each page, with real slugs and terms from the data."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db.models import Count
    from django.urls import reverse

    from directory.models import Organisation, Region, Sector, ServiceCategory, SourceArticle
    from programmes.models import Event, Programme, Service
    from programmes.sample_data import COMMON_TERM

    published = Programme.objects.published()
    programme = (
        published.annotate(n=Count("organisation_roles")).filter(n__gte=3).order_by("pk").first()
    )
    province = (
        Region.objects.filter(kind=Region.Kind.PROVINCE)
        .annotate(n=Count("children"))
        .order_by("-n", "pk")
        .first()
    )
    sector = Sector.objects.order_by("pk").first()
    category = ServiceCategory.objects.order_by("pk").first()
    # A programme's codename occurs in one or two records: the rare term.
    rare = published.exclude(short_name="").order_by("pk").values_list("short_name", flat=True)[0]
    source = SourceArticle.objects.order_by("pk").first()

    programme_list = reverse("programmes:programme_list")
    targets = [
        ("raw WSGI", "reference", None),
        ("constant Django page (C)", "reference", "/__bench__/constant/"),
        ("static file", "reference", staticfiles_storage.url("css/site.css")),
        ("home", "list", reverse("directory:home")),
        ("programmes", "list", programme_list),
        (
            "programmes filtered",
            "list",
            f"{programme_list}?region={province.slug}&sector={sector.slug}&help={category.slug}",
        ),
        ("events upcoming", "list", reverse("programmes:event_list") + "?when=upcoming"),
        ("organisations", "list", reverse("directory:organisation_list")),
        ("services", "list", reverse("programmes:service_list")),
        ("search rare", "search", reverse("directory:search") + f"?q={rare}"),
        ("search common", "search", reverse("directory:search") + f"?q={COMMON_TERM}"),
        ("programme detail", "detail", programme.get_absolute_url()),
        (
            "organisation detail",
            "detail",
            Organisation.objects.published()
            .annotate(n=Count("programme_roles"))
            .filter(n__gte=3)
            .order_by("pk")
            .first()
            .get_absolute_url(),
        ),
        (
            "service detail",
            "detail",
            Service.objects.published()
            .filter(programme__isnull=False)
            .order_by("pk")
            .first()
            .get_absolute_url(),
        ),
        (
            "event detail",
            "detail",
            Event.objects.published()
            .filter(organisation_roles__isnull=False, part_of__isnull=True)
            .order_by("pk")
            .first()
            .get_absolute_url(),
        ),
    ]
    if source:
        targets.append(("source detail", "detail", source.get_absolute_url()))
    return targets


def measure_pages(targets):
    """Status, SQL queries and gzip size of one anonymous rendering of each page."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    pages = {}
    with override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1"]):
        client = Client()
        for name, _kind, path in targets:
            if path is None or name == "static file":
                continue
            client.get(path)  # warm per-process caches, as a running server has them
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            elapsed = time.perf_counter() - started
            body = response.content
            pages[name] = {
                "status": response.status_code,
                "queries": len(queries),
                "html_bytes": len(body),
                "gzip_bytes": len(gzip.compress(body, compresslevel=6)),
                "render_ms": round(elapsed * 1000, 1),
                "sql_ms": round(sum(float(q["time"]) for q in queries.captured_queries) * 1000, 1),
                "slowest_sql_ms": max(
                    (float(q["time"]) * 1000 for q in queries.captured_queries), default=0
                ),
            }
    return pages


BUDGETS = {
    "list": {"p95_ms": 50, "queries": 8, "gzip_kb": 30},
    "search": {"p95_ms": 50, "queries": 8},
    "detail": {"p95_ms": 15, "queries": 5},
}


def print_table(rows):
    header = (
        f"{'page':28} {'req/s':>8} {'xC':>6} {'p50':>7} {'p95':>7} {'p99':>7} "
        f"{'err':>5} {'SQL':>4} {'gzKB':>6}  path"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['name']:28} {row['rps']:8.0f} {row.get('ratio_to_c', 0):6.2f} "
            f"{row['p50_ms']:7.1f} {row['p95_ms']:7.1f} {row['p99_ms']:7.1f} "
            f"{row['non_2xx'] + row['socket_errors']:5d} {row.get('queries', ''):>4} "
            f"{row.get('gzip_bytes', 0) / 1024:6.1f}  {row['path'] or ''}"
        )


def check_budgets(rows):
    by_name = {row["name"]: row for row in rows}
    c = max(by_name["constant Django page (C)"]["rps"], 0.1)
    lines = []

    def verdict(ok, text):
        lines.append(f"{'PASS' if ok else 'FAIL'}  {text}")

    raw = max(by_name["raw WSGI"]["rps"], 0.1)
    verdict(c >= 0.5 * raw, f"C >= 50% of raw WSGI ({c / raw:.0%})")
    static = by_name["static file"]["rps"]
    verdict(static >= 0.9 * c, f"static >= 90% of C ({static / c:.0%})")
    for row in rows:
        kind, name = row["kind"], row["name"]
        if kind == "detail":
            verdict(row["rps"] >= 0.6 * c, f"{name} >= 60% of C ({row['rps'] / c:.0%})")
        budget = BUDGETS.get(kind)
        if not budget:
            continue
        verdict(
            row["requests"] > 0 and row["p95_ms"] < budget["p95_ms"],
            f"{name} p95 < {budget['p95_ms']} ms ({row['p95_ms']} ms)",
        )
        if "queries" in row:
            verdict(
                row["queries"] <= budget["queries"],
                f"{name} <= {budget['queries']} queries ({row['queries']})",
            )
        if "gzip_kb" in budget:
            verdict(
                row["gzip_bytes"] <= budget["gzip_kb"] * 1024,
                f"{name} gzip HTML <= {budget['gzip_kb']} KB",
            )
    filtered = by_name["programmes filtered"]
    verdict(filtered["rps"] >= 0.25 * c, f"filtered list >= 25% of C ({filtered['rps'] / c:.0%})")
    for term in ("search rare", "search common"):
        ratio = by_name[term]["rps"] / max(by_name["programmes"]["rps"], 0.1)
        verdict(ratio >= 0.8, f"{term} >= 80% of the programme list ({ratio:.0%})")
    return lines


def get(url, timeout=300):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
    except (OSError, urllib.error.HTTPError):
        pass


def in_parallel(urls):
    with ThreadPoolExecutor(max_workers=len(urls)) as pool:
        list(pool.map(get, urls))


def warm_up(path):
    """Each worker renders the page once before it is measured: a cold worker
    loads templates, translation catalogues and the region vocabulary first."""
    in_parallel([f"http://127.0.0.1:{DJANGO_PORT}{path}"] * workers())


def cpu_seconds(master_pid):
    """CPU time used so far by a gunicorn master's workers."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:
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


def run_saturation(targets, pages, args, django_server):
    rows = []
    for name, kind, path in targets:
        port = RAW_PORT if path is None else DJANGO_PORT
        url = f"http://127.0.0.1:{port}{path or '/'}"
        if path is not None:
            warm_up(path)
        wrk(url, args.warmup, args.connections)
        drain(django_server.pid)
        result = wrk(url, args.duration, args.connections)
        drain(django_server.pid)
        row = {"name": name, "kind": kind, "path": path, **result, **pages.get(name, {})}
        rows.append(row)
        log(f"  {name}: {result['rps']:.0f} req/s, p95 {result['p95_ms']} ms")
    c = next(r["rps"] for r in rows if r["name"] == "constant Django page (C)")
    for row in rows:
        row["ratio_to_c"] = round(row["rps"] / c, 3) if c else None
    return rows


def run_soak(rows, args, django_server, raw_server):
    """Each page at 70% of its measured saturation for `--soak-seconds`."""
    soak = []
    for row in rows:
        server = raw_server if row["path"] is None else django_server
        url = f"http://127.0.0.1:{RAW_PORT if row['path'] is None else DJANGO_PORT}"
        url += row["path"] or "/"
        rate = 0.7 * row["rps"]
        before = worker_rss_kb(server.pid)
        result = wrk(url, args.soak_seconds, args.connections, rate=rate)
        drain(django_server.pid)
        after = worker_rss_kb(server.pid)
        growth = [after[pid] - before[pid] for pid in after if pid in before]
        soak.append(
            {
                "name": row["name"],
                "target_rps": round(rate, 1),
                **result,
                "p99_over_p50": round(result["p99_ms"] / result["p50_ms"], 1)
                if result["p50_ms"]
                else None,
                "worker_rss_kb_before": sorted(before.values()),
                "worker_rss_kb_after": sorted(after.values()),
                "max_worker_rss_growth_kb": max(growth, default=None),
                "workers_replaced": len(set(after) - set(before)),
            }
        )
        log(
            f"  soak {row['name']}: {result['rps']:.0f}/{rate:.0f} req/s, 5xx "
            f"{result['status_5xx']}, socket errors {result['socket_errors']}, "
            f"RSS growth {max(growth, default=0)} KB"
        )
    return soak


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--programmes", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--warmup", type=int, default=3, help="seconds per page before load")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--soak", action="store_true", help="then 70%% of saturation per page")
    parser.add_argument("--soak-seconds", type=int, default=120)
    parser.add_argument("--only", help="comma-separated page names to load (default: all)")
    args = parser.parse_args()
    # A plain kill still stops the gunicorn servers (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    env = server_environment(database_url)
    os.environ.update(env)
    ensure_wrk()
    ensure_database(database_url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "generate_sample_data", "--programmes", str(args.programmes))
    manage(env, "collectstatic", "--noinput", "-v0")

    import django

    django.setup()
    targets = pick_targets()
    if args.only:
        wanted = set(args.only.split(","))
        references = {"raw WSGI", "constant Django page (C)"}
        targets = [t for t in targets if t[0] in wanted | references]
    pages = measure_pages(targets)
    broken = {name: page["status"] for name, page in pages.items() if page["status"] != 200}
    if broken:
        log(f"Pages not answering 200: {broken}")

    log(f"gunicorn: {workers()} sync workers per server; wrk: {args.connections} connections")
    django_server = start_gunicorn("bench.wsgi:application", DJANGO_PORT, env)
    raw_server = start_gunicorn("bench.raw_wsgi:application", RAW_PORT, env)
    try:
        rows = run_saturation(targets, pages, args, django_server)
        soak = run_soak(rows, args, django_server, raw_server) if args.soak else None
    finally:
        stop(django_server)
        stop(raw_server)

    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "when": stamp,
        "programmes": args.programmes,
        "workers": workers(),
        "connections": args.connections,
        "duration_s": args.duration,
        "cpus": os.cpu_count(),
        "pages": rows,
        "budgets": check_budgets(rows) if not args.only else [],
        "soak": soak,
    }
    path = RESULTS / f"bench-{stamp}.json"
    path.write_text(json.dumps(report, indent=2))
    print_table(rows)
    print()
    print("\n".join(report["budgets"]))
    if soak:
        print()
        print(
            f"{'soak page':28} {'target':>7} {'req/s':>7} {'5xx':>5} {'sock':>5} "
            f"{'p50':>6} {'p99':>7} {'p99/p50':>7} {'RSS+KB':>7}"
        )
        for s in soak:
            print(
                f"{s['name']:28} {s['target_rps']:7.0f} {s['rps']:7.0f} {s['status_5xx']:5d} "
                f"{s['socket_errors']:5d} {s['p50_ms']:6.1f} {s['p99_ms']:7.1f} "
                f"{s['p99_over_p50'] or 0:7.1f} {s['max_worker_rss_growth_kb'] or 0:7d}"
            )
    print(f"\nWritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
