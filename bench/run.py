"""Load test of the public pages against the production configuration, cold and warm.

    python -m bench.run [--programmes 100000] [--duration 10] [--warmup 3]
                        [--connections 16] [--only "home,programme detail"]
                        [--soak [--soak-seconds 120]] [--soak-cold] [--cold-start]

Ensures the benchmark database holds the synthetic data set (generated only if
missing), migrates, collects static files and starts, side by side on loopback,
two gunicorn servers of the production settings (DEBUG off, whitenoise, Redis
as the shared cache) and a raw WSGI one:

- "warm", with the public page cache on: each page is measured after warm-up
  requests have stored it, and every measured response must be a cache hit;
- "cold": every request is its page's first after a staff save that changed
  it (bench/after_a_save.py): the page's own generations are replaced before
  it, so the page cache looks it up, misses, renders it and stores it, while
  what such a save leaves cached stays cached (the vocabulary; the facet
  totals, except for home, which owns them), as in bench/in_process.py,
  but with no change written to the facet index's log (a write inside the
  measured request would count as the page's cost): a filtered list's
  kept matches and counts are brought up to date and find no change.
  `--cold-start` turns every shared cache off on it instead
  (DIRECTORY_CACHING=0, as before): each request also reads the vocabulary
  and the totals, as the first requests after a restart with an empty cache do.

Three references are measured once, on the warm server and the raw one: a raw
WSGI callable, a constant Django page through the whole middleware stack (the
ceiling, C) and a static file. Each page is then measured on both servers, and
once more rendered in this process (SQL queries, compressed size; cold right
after a new content version, warm from the cache). `--soak` then holds each
page at 70% of its saturation on the warm server for `--soak-seconds`;
`--soak-cold` soaks the cold server as well.

Results go to bench-results/ as JSON; the tables and budgets are printed.
Timings on a shared machine vary from run to run: compare ratios within one run.
"""

import argparse
import json
import os
import signal
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from urllib.parse import urlsplit

from bench import results
from bench.admin_pages import measure_changelists
from bench.load import drain, get, log, rss_growth_pct, warm_up, worker_rss_kb, wrk
from bench.paced import paced_load
from bench.pages import REFERENCES, measure_pages, pick_targets
from bench.servers import (
    COLD_PORT,
    DEFAULT_DATABASE,
    DEFAULT_REDIS,
    RAW_PORT,
    ROOT,
    WARM_PORT,
    ensure_database,
    ensure_redis,
    ensure_wrk,
    gunicorn,
    manage,
    server_environment,
    workers,
)

RESULTS = ROOT / "bench-results"
SOAK_SHARE = 0.7
SATURATION_STEPS = 6
SATURATION_STEP_SECONDS = 5
SUSTAINED_P99_MS = 100
AFTER_A_SAVE = "each request its page's first after a save"
COLD_START = "every shared cache off (DIRECTORY_CACHING=0)"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--programmes", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--warmup", type=int, default=3, help="seconds per page before load")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--soak", action="store_true", help="then 70%% of saturation per page, warm server"
    )
    parser.add_argument("--soak-seconds", type=int, default=120)
    parser.add_argument(
        "--soak-cold", action="store_true", help="soak the cold server too (implies --soak)"
    )
    parser.add_argument("--only", help="comma-separated page names to load (default: all)")
    parser.add_argument(
        "--cold-start",
        action="store_true",
        help="cold server with every shared cache off (DIRECTORY_CACHING=0), not after a save",
    )
    args = parser.parse_args()
    args.soak = args.soak or args.soak_cold
    return args


def selected_targets(only):
    targets = pick_targets()
    if not only:
        return targets
    wanted = {name.strip() for name in only.split(",")}
    unknown = wanted - {name for name, _kind, _path in targets}
    if unknown:
        names = ", ".join(name for name, _kind, _path in targets if name not in REFERENCES)
        sys.exit(f"Unknown page(s) {', '.join(sorted(unknown))}; pages: {names}")
    return [t for t in targets if t[0] in wanted or t[0] in REFERENCES]


# -- saturation ------------------------------------------------------------------


def saturate(server, path, args):
    """wrk's closed-loop maximum on one page of one server, after warm-up.

    The page's X-Page-Cache header is read once before and once after the
    measured window, and wrk counts it on every measured response."""
    url = server.url(path)
    warm_up(url, workers())
    wrk(url, args.warmup, args.connections)
    drain(server.pid)
    before = get(url)
    result = wrk(url, args.duration, args.connections)
    drain(server.pid)
    after = get(url)
    log(
        f"  {server.label:5} {url}: {result['rps']:.0f} req/s, p95 {result['p95_ms']} ms, "
        f"cache hits {result['cache_hits']}/{result['requests']}"
    )
    return {**result, "page_cache_before": before, "page_cache_after": after}


def run_references(targets, single, servers, args):
    """Raw WSGI on its own server; C and the static file on the warm one (the
    page cache leaves them alone)."""
    rows = []
    for name, kind, path in targets:
        if name not in REFERENCES:
            continue
        server = servers["raw"] if path is None else servers["warm"]
        result = saturate(server, path, args)
        rows.append({"name": name, "kind": kind, "path": path, "server": "ref", **result})
        rows[-1].update(single.get(name, {}))
    c = next(row["rps"] for row in rows if row["name"] == "constant Django page (C)")
    for row in rows:
        row["ratio_to_c"] = round(row["rps"] / c, 3) if c else None
    return rows, c


def run_pages(targets, single, servers, args, c):
    """Each page on the cold server, then on the warm one."""
    pages = []
    for name, kind, path in targets:
        if name in REFERENCES:
            continue
        page = {"name": name, "kind": kind, "path": path, **single[name]}
        for label in results.SERVERS:
            result = saturate(servers[label], path, args)
            result["ratio_to_c"] = round(result["rps"] / c, 3) if c else None
            page[label] = result
        pages.append(page)
    return pages


def check_invalidation(server, pages):
    """A new content version written by another process (as a publish in the
    admin writes it) reaches the warm server on its very next request."""
    from directory.caching import bump_content_version

    page = pages[0]
    url = server.url(page["path"])
    get(url)  # stored again, should its copy have expired since it was measured
    before = get(url)
    bump_content_version()
    next_one, after = get(url), get(url)
    verdicts = results.Verdicts()
    verdicts.check(
        (before, next_one, after) == ("hit", "miss", "hit"),
        f"new content version from another process: warm {page['name']} "
        f"{before} -> {next_one} -> {after} (expected hit -> miss -> hit)",
    )
    return verdicts


# -- soak --------------------------------------------------------------------------


def run_soak(pages, server, args):
    """Each page at 70% of its saturation on `server` for `--soak-seconds`, at
    an even rate (bench/paced.py), with the workers' memory before and after."""
    start = worker_rss_kb(server.pid)
    rows = []
    for page in pages:
        saturation = paced_saturation(server, page)
        rate = SOAK_SHARE * saturation
        if rate <= 0:
            log(f"  soak {server.label} {page['name']}: skipped, no throughput measured")
            continue
        row = soak_page(server, page, rate, args)
        row["wrk_saturation_rps"] = page[server.label]["rps"]
        row["paced_saturation_rps"] = saturation
        rows.append(row)
    end = worker_rss_kb(server.pid)
    soak = {
        "server": server.label,
        "share_of_saturation": SOAK_SHARE,
        "seconds_per_page": args.soak_seconds,
        "pages": rows,
        "worker_rss_kb_start": sorted(start.values()),
        "worker_rss_kb_end": sorted(end.values()),
        "rss_growth_pct": rss_growth_pct(start, end),
        "workers_replaced": len(set(end) - set(start)),
    }
    soak["budgets"] = results.soak_budgets(soak)
    return soak


def paced_saturation(server, page):
    """The page's saturation as the soak's own load generator reaches it: the
    highest even rate the server keeps up with (`sustained`), found by
    halving the interval between 0 and wrk's figure, five seconds per step.

    The generator shares the cores that wrk's figure was measured on, so that
    figure is an upper bound, not the answer. Nor is the rate the server
    answers when driven beyond it: an earlier probe took that, and soaked the
    search for a common term at 70% of it, 1,291 req/s, which the server could
    not hold at all (p99 413 ms, its queue growing for two minutes). Driven
    beyond saturation, the generator stops opening connections once
    MAX_IN_FLIGHT are open, and each gunicorn worker takes queued connections
    one after another without waiting in select(); neither happens at a rate
    the server keeps up with, and both made it look faster than it is."""
    url = server.url(page["path"])
    wrk_rps = page[server.label]["rps"]
    if wrk_rps <= 0:
        return 0
    kept_up, fell_behind = 0.0, wrk_rps
    for _step in range(SATURATION_STEPS):
        rate = (kept_up + fell_behind) / 2
        drain(server.pid)
        result = paced_load(url, rate, SATURATION_STEP_SECONDS)
        if sustained(result, rate):
            kept_up = rate
        else:
            fell_behind = rate
        log(
            f"    {page['name']} at {rate:.0f} req/s: answered {result['rps']:.0f}/s, "
            f"p99 {result['p99_ms']} ms, {'kept up' if kept_up == rate else 'fell behind'}"
        )
    drain(server.pid)
    return round(kept_up, 1)


def sustained(result, rate):
    """Whether the server kept up with `rate`: every request sent and answered
    without error, as many per second as were sent (a server that falls
    behind answers the last ones after the generator stops, stretching the
    run), and no queue built up (a backlog that grows for the whole step
    reaches SUSTAINED_P99_MS within it at 2% over saturation)."""
    return (
        result["not_sent"] == result["socket_errors"] == result["status_5xx"] == 0
        and result["rps"] >= 0.98 * rate
        and result["p99_ms"] < SUSTAINED_P99_MS
    )


def soak_page(server, page, rate, args):
    url = server.url(page["path"])
    warm_up(url, workers())
    drain(server.pid)
    before = worker_rss_kb(server.pid)
    result = paced_load(url, rate, args.soak_seconds)
    drain(server.pid)
    after = worker_rss_kb(server.pid)
    row = {
        "name": page["name"],
        "path": page["path"],
        "target_rps": round(rate, 1),
        **result,
        "worker_rss_kb_before": sorted(before.values()),
        "worker_rss_kb_after": sorted(after.values()),
        "rss_growth_pct": rss_growth_pct(before, after),
        "workers_replaced": len(set(after) - set(before)),
    }
    log(
        f"  soak {server.label} {page['name']}: {result['rps']:.1f}/{rate:.1f} req/s, "
        f"5xx {result['status_5xx']}, socket errors {result['socket_errors']}, "
        f"RSS growth {row['rss_growth_pct']}%"
    )
    return row


# -- the run ---------------------------------------------------------------------------


def prepare(args):
    """Tools, Redis, the database with its data set, static files; then Django here."""
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    env = server_environment(database_url, redis_url)
    os.environ.update(env)
    ensure_wrk()
    ensure_redis(redis_url)
    ensure_database(database_url)
    manage(env, "migrate", "--noinput", "-v0")
    # Leaves a database that already holds this many synthetic programmes as it is.
    manage(env, "generate_sample_data", "--programmes", str(args.programmes))
    manage(env, "collectstatic", "--noinput", "-v0")

    import django

    django.setup()
    from directory.caching import bump_content_version

    # Pages stored by an earlier run, perhaps of another database, must not be served.
    bump_content_version()
    return env


def start_servers(stack, env, cold_start=False):
    if cold_start:
        nothing_cached = {**env, "DIRECTORY_CACHING": "0"}
        cold = gunicorn("cold", "bench.wsgi:application", COLD_PORT, nothing_cached)
    else:
        cold = gunicorn("cold", "bench.wsgi:cold", COLD_PORT, env)
    return {
        "warm": stack.enter_context(gunicorn("warm", "bench.wsgi:application", WARM_PORT, env)),
        "cold": stack.enter_context(cold),
        "raw": stack.enter_context(gunicorn("raw", "bench.raw_wsgi:application", RAW_PORT, env)),
    }


def stop_on_signals():
    # A plain kill or a closed terminal still stops the gunicorn servers (the
    # ExitStack in main); Ctrl-C does so through KeyboardInterrupt.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda *_: sys.exit(1))


def main():
    args = parse_args()
    stop_on_signals()
    env = prepare(args)
    targets = selected_targets(args.only)
    single = measure_pages(targets)
    admin = measure_changelists() if not args.only else []
    broken = {name: page["status"] for name, page in single.items() if page["status"] != 200}
    if broken:
        log(f"Pages not answering 200: {broken}")

    log(f"gunicorn: {workers()} sync workers per server; wrk: {args.connections} connections")
    with ExitStack() as stack:
        servers = start_servers(stack, env, args.cold_start)
        started = time.monotonic()
        references, c = run_references(targets, single, servers, args)
        pages = run_pages(targets, single, servers, args, c)
        saturation_seconds = round(time.monotonic() - started)
        invalidation = check_invalidation(servers["warm"], pages) if pages else []
        soaks = []
        if args.soak:
            soaks.append(run_soak(pages, servers["warm"], args))
        if args.soak_cold:
            soaks.append(run_soak(pages, servers["cold"], args))

    budgets = {
        "references": results.reference_budgets(references),
        "rendering": results.rendering_budgets(pages),
        "cold": results.load_budgets(pages, "cold", c),
        "warm": results.load_budgets(pages, "warm", c),
        "invalidation": invalidation,
        "admin": results.admin_budgets(admin),
    }
    report = {
        "when": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
        "programmes": args.programmes,
        "database": urlsplit(env["DATABASE_URL"]).path.lstrip("/"),
        "redis_db": urlsplit(env["REDIS_URL"]).path.lstrip("/") or "0",
        "workers": workers(),
        "connections": args.connections,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "cold_server": COLD_START if args.cold_start else AFTER_A_SAVE,
        "cpus": os.cpu_count(),
        "saturation_seconds": saturation_seconds,
        "references": references,
        "pages": pages,
        "budgets": budgets,
        "admin": admin,
        "soak": soaks or None,
    }
    path = write_report(report)
    print_report(report)
    print(f"\nWritten to {path.relative_to(ROOT)}")


def write_report(report):
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"bench-{report['when']}.json"
    path.write_text(json.dumps(report, indent=2))
    return path


def print_report(report):
    print(
        f"\n{report['programmes']} programmes, {report['workers']} workers per server, "
        f"{report['connections']} connections, {report['duration_s']} s per page; "
        f"cold = {report['cold_server']}, warm = page cache on and filled; "
        "SQL and 1x ms: one rendering in-process (warm: from the cache)\n"
    )
    results.print_load_table(report["references"], report["pages"])
    budgets = report["budgets"]
    results.print_verdicts("References", budgets["references"])
    results.print_verdicts("One rendering (cold) and one cache hit (warm)", budgets["rendering"])
    results.print_verdicts(f"Cold server ({report['cold_server']})", budgets["cold"])
    results.print_verdicts("Warm server (page cache on)", budgets["warm"])
    results.print_verdicts("Invalidation across processes", budgets["invalidation"])
    results.print_verdicts("Admin changelists (signed in, median of 5)", budgets["admin"])
    for soak in report["soak"] or []:
        print(
            f"\nSoak: {soak['server']} server, each page at {soak['share_of_saturation']:.0%} "
            f"of its saturation for {soak['seconds_per_page']} s"
        )
        results.print_soak_table(soak)
        results.print_verdicts(f"Soak budgets ({soak['server']})", soak["budgets"])
    print(f"\nSaturation part: {report['saturation_seconds'] / 60:.1f} min")


if __name__ == "__main__":
    main()
