"""Cold renderings of each page in this process, beside their raw-SQL floors.

    python -m bench.in_process [--runs 40] [--only "home,programme detail"]

Against the benchmark's PostgreSQL database (100,000 synthetic programmes,
created as `bench.run` creates it when missing), each page is rendered as
it is for its first reader after a staff save that changed it: before each
request the page's own generations are replaced (its copy, and for a list
its stored facet counts), and those of the facet index's kept matches and
counts, with one programme's change of facet entries logged, as by a save
that changed where a record counts (the kept matches and counts are then
brought up to date by that record, directory/facets/kept.py). The filtered list
is also measured as after a save that changed only a record's text
("programmes filtered (text save)"): its matches and counts are then still
kept. What a save does not change for that page stays
in the shared cache as on a running site: the vocabulary of regions,
sectors and kinds of help, and for lists the facet totals, which the first
page rendered after a save reads once for all (home is measured reading
them: they are its own). `--nothing-cached` turns the shared
cache off altogether instead (every request reads the vocabulary and the
totals too). Each page is requested through the production WSGI application, the pages
taking turns (`--runs` rounds after one unmeasured round, each round
starting one page further on), so a slow spell of the shared machine falls
on every page alike. Per page: the minimum and median of the whole request,
its SQL time and query count, and its template time (the page's template
rendering less the SQL run from inside it).

The floor of a page is measured straight after each of its requests, from
what that request did (bench/probe.py): the same SQL statements with the
same parameters through a plain cursor (rows fetched, no model built) plus
the same template rendered again from the same context, whose querysets
already hold their rows. No page can be cheaper than that without running
less SQL or a cheaper template; the ratio says how much the ORM, the views,
the filters and the middleware add. Results go to bench-results/ as JSON.
"""

import argparse
import gc
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

from bench.after_a_save import as_after_a_save
from bench.servers import DEFAULT_DATABASE, DEFAULT_REDIS, ROOT

DEFAULT_RUNS = 40
# The budgets of the issue, per page kind (one run, 100,000 programmes).
DETAIL_FLOOR_RATIO = 1.6
MAX_MS = {
    "home": 10,
    "programmes": 10,
    "organisations": 10,
    "services": 10,
    "programmes filtered": 25,
    "programmes filtered (text save)": 25,
    "events upcoming": 25,
    "search rare": 15,
    "search common": 25,
}
MAX_QUERIES = {"list": 8, "search": 8, "detail": 5}
# Pages measured a second time as after a save that changed a record's text
# but not where it counts: the facet index's matches and counts stay kept.
AFTER_A_TEXT_SAVE = {"programmes filtered": "programmes filtered (text save)"}


def prepare(programmes, nothing_cached=False):
    """The benchmark's database with its data set, then Django here, page cache off."""
    from bench.servers import ensure_database, ensure_redis, manage, server_environment

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    env = server_environment(database_url, redis_url)
    # The search's per-client limit would answer this one client with 429
    # after 60 searches.
    env.update(DIRECTORY_CACHING="0" if nothing_cached else "1", SEARCH_RATE_LIMIT="")
    os.environ.update(env)
    ensure_redis(redis_url)
    ensure_database(database_url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "generate_sample_data", "--programmes", str(programmes))
    # The production settings link to hashed static files.
    manage(env, "collectstatic", "--noinput", "-v0")

    import django

    django.setup()
    return env


def request(application, factory, path, probe):
    environ = factory.get(path).environ
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["cache"] = dict(headers).get("X-Page-Cache")

    started = time.perf_counter()
    with probe.recording():
        body = application(environ, start_response)
        content = b"".join(body)
        if hasattr(body, "close"):
            body.close()
    if answer["cache"] == "hit":
        raise RuntimeError(f"{path} came from the page cache: nothing was measured")
    return answer["status"], content, (time.perf_counter() - started) * 1000


TEXT_SAVES = frozenset(AFTER_A_TEXT_SAVE.values())


def measure(targets, runs, application, factory):
    """{name: {"kind", "path", "status", "samples": [...]}}, each sample one
    request and its floor."""
    from bench.probe import Probe, floor
    from directory.caching import enabled

    pages = {name: {"kind": kind, "path": path, "samples": []} for name, kind, path in targets}
    names = list(pages)
    for run in range(runs + 1):
        shift = run % len(names)
        for name in names[shift:] + names[:shift]:
            page, probe = pages[name], Probe()
            if enabled() and name in TEXT_SAVES:
                # The measurements of other pages replaced the kept matches
                # and counts: the site had them before the save, so one
                # unmeasured request computes them again.
                as_after_a_save(page["path"], facets_changed=False)
                request(application, factory, page["path"], Probe())
            if enabled():
                as_after_a_save(page["path"], facets_changed=name not in TEXT_SAVES)
            status, content, total_ms = request(application, factory, page["path"], probe)
            page["status"], page["html_bytes"] = status, len(content)
            below = floor(probe)
            if run == 0:
                continue  # per-process caches, as a running server has them
            page["samples"].append(
                {
                    "total_ms": total_ms,
                    "sql_ms": probe.sql_seconds * 1000,
                    "queries": probe.queries,
                    "template_ms": probe.template_seconds * 1000,
                    "floor_ms": below["sql_ms"] + below["template_ms"],
                    "floor_sql_ms": below["sql_ms"],
                    "floor_template_ms": below["template_ms"],
                    "floor_template_queries": below["template_queries"],
                }
            )
    return pages


def summarise(pages):
    rows = []
    for name, page in pages.items():
        samples = page["samples"]

        def low(key, samples=samples):
            return round(min(s[key] for s in samples), 2)

        def mid(key, samples=samples):
            return round(statistics.median(s[key] for s in samples), 2)

        row = {
            "name": name,
            "kind": page["kind"],
            "path": page["path"],
            "status": page["status"],
            "html_bytes": page["html_bytes"],
            "runs": len(samples),
            "min_ms": low("total_ms"),
            "median_ms": mid("total_ms"),
            "sql_ms": mid("sql_ms"),
            "queries": max(s["queries"] for s in samples),
            "template_ms": mid("template_ms"),
            "floor_ms": low("floor_ms"),
            "floor_median_ms": mid("floor_ms"),
            "floor_sql_ms": mid("floor_sql_ms"),
            "floor_template_ms": mid("floor_template_ms"),
            "floor_template_queries": max(s["floor_template_queries"] for s in samples),
        }
        row["ratio"] = round(row["min_ms"] / max(row["floor_ms"], 0.01), 2)
        rows.append(row)
    return rows


def budgets(rows):
    from bench.results import Verdicts

    verdicts = Verdicts()
    for row in rows:
        name = row["name"]
        if row["kind"] == "detail":
            verdicts.check(
                row["ratio"] <= DETAIL_FLOOR_RATIO,
                f"{name} min <= {DETAIL_FLOOR_RATIO}x its floor "
                f"({row['min_ms']} / {row['floor_ms']} ms = {row['ratio']}x)",
            )
        elif name in MAX_MS:
            verdicts.check(
                row["min_ms"] <= MAX_MS[name], f"{name} min <= {MAX_MS[name]} ms ({row['min_ms']})"
            )
        limit = MAX_QUERIES[row["kind"]]
        verdicts.check(row["queries"] <= limit, f"{name} <= {limit} queries ({row['queries']})")
    return verdicts


COLUMNS = (
    ("page", "name", 20, "s"),
    ("min", "min_ms", 7, ".1f"),
    ("median", "median_ms", 7, ".1f"),
    ("SQL", "sql_ms", 6, ".1f"),
    ("queries", "queries", 7, "d"),
    ("template", "template_ms", 8, ".1f"),
    ("floor", "floor_ms", 6, ".1f"),
    ("f.SQL", "floor_sql_ms", 6, ".1f"),
    ("f.tmpl", "floor_template_ms", 6, ".1f"),
    ("ratio", "ratio", 5, ".2f"),
)


def print_table(rows):
    print(
        " ".join(
            f"{title:>{width}}" if i else f"{title:<{width}}"
            for i, (title, _key, width, _fmt) in enumerate(COLUMNS)
        )
    )
    for row in rows:
        cells = []
        for i, (_title, key, width, fmt) in enumerate(COLUMNS):
            value = format(row[key], fmt)
            cells.append(f"{value:>{width}}" if i else f"{value:<{width}}")
        print(" ".join(cells))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--programmes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    parser.add_argument("--only", help="comma-separated page names (default: all)")
    parser.add_argument(
        "--nothing-cached",
        action="store_true",
        help="shared cache off: vocabulary and totals read by every request",
    )
    args = parser.parse_args()
    env = prepare(args.programmes, args.nothing_cached)

    from django.test import RequestFactory

    from bench.pages import REFERENCES, pick_targets
    from bench.wsgi import application

    # What a gunicorn worker does once the application is loaded
    # (gunicorn.conf.py, post_worker_init): start-up's objects are out of the
    # garbage collector's reach.
    gc.collect()
    gc.freeze()

    targets = []
    for name, kind, path in pick_targets():
        if name not in REFERENCES:
            targets.append((name, kind, path))
            if name in AFTER_A_TEXT_SAVE:
                targets.append((AFTER_A_TEXT_SAVE[name], kind, path))
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        unknown = wanted - {name for name, _kind, _path in targets}
        if unknown:
            sys.exit(f"Unknown page(s): {', '.join(sorted(unknown))}")
        targets = [t for t in targets if t[0] in wanted]
    started = time.monotonic()
    pages = measure(targets, args.runs, application, RequestFactory(SERVER_NAME="127.0.0.1"))
    rows = summarise(pages)
    verdicts = budgets(rows)
    report = {
        "when": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
        "programmes": args.programmes,
        "database": urlsplit(env["DATABASE_URL"]).path.lstrip("/"),
        "runs": args.runs,
        "nothing_cached": args.nothing_cached,
        "seconds": round(time.monotonic() - started),
        "pages": rows,
        "budgets": verdicts,
    }
    out = ROOT / "bench-results" / f"in-process-{report['when']}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(
        f"\nIn process, {'nothing cached' if args.nothing_cached else 'as after a save'}, "
        f"{args.programmes} programmes: min and median of "
        f"{args.runs} interleaved runs (ms); SQL, template: medians; floor: the same SQL "
        "through a plain cursor + the same template, min; ratio = min / floor\n"
    )
    print_table(rows)
    from bench.results import print_verdicts

    print_verdicts("In-process cold renderings", verdicts)
    broken = {row["name"]: row["status"] for row in rows if row["status"] != 200}
    if broken:
        print(f"Pages not answering 200: {broken}")
    print(f"\nWritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
