"""How much of the traffic the page cache answers while staff keep saving.

    python -m bench.cache_simulation [--seconds 120] [--warmup 60] [--rate 50]
                                     [--saves-per-minute 0 2 10] [--ttl SECONDS]
                                     [--hour 12] [--edit FIELD] [--everything]

The traffic model: `--rate` requests per simulated second, 30% to about 300
list, home and search URLs (about 100 in three languages, equally likely),
70% to record pages (every published organisation, programme, service and
event, in a shuffled order with Zipf 1.0 popularity, each in one of the three
languages). A staff save of a record (drawn at random among those pages)
comes every 60 / saves-per-minute simulated seconds and is committed before
the next request. Each request goes through the production WSGI application
(`CachedPageHandler`) in this process, against the benchmark's database and
Redis.

Steady state, not a cold start: a site that has served this traffic for a
while holds every page asked for in the last `--ttl` simulated seconds (the
production PAGE_CACHE_SECONDS by default; a copy nobody asks for that long
expires), except that pages stored under the day's date (those saying
"upcoming" or "took place") go no further back than midnight. The run
starts `--hour` hours after midnight (noon by default); it first draws the
earlier traffic (drawn, not sent),
stores the pages of it that the run will ask for again, then sends
`--warmup` seconds unmeasured and `--seconds` measured. Every rate of saves
gets the same traffic.

A cold request is one of two things, counted apart:
- first visit: its page was not asked for within its lifetime (or, for a
  dated page, since midnight), so no site would hold it; its copy is dropped first, so
  it renders. This is the Zipf tail of the traffic model, the expiry time
  and the time of day: no invalidation rule changes it;
- replaced: its page was held, and a save replaced it. This is what
  invalidating only the pages a save changes is for.
Also this process's CPU milliseconds per request. A save changes nothing
but the record's time of change (as when staff save a record they checked);
`--edit name` makes it change a text field too. `--everything` makes each
save replace every page, as a single content version did before tags.
"""

import argparse
import bisect
import contextlib
import itertools
import json
import os
import random
import time

from bench.servers import DEFAULT_DATABASE, DEFAULT_REDIS, ROOT, server_environment

LIST_SHARE = 0.3
LANGUAGES = ("", "/zh-hans", "/zh-hant")


def list_urls():
    """About 100 list, home and search URLs, in each language."""
    from bench.sample_data import COMMON_TERM
    from directory.models import Region, Sector, ServiceCategory
    from programmes.models import Programme

    regions = list(Region.objects.order_by("pk").values_list("slug", flat=True)[:10])
    sectors = list(Sector.objects.order_by("pk").values_list("slug", flat=True)[:8])
    helps = list(ServiceCategory.objects.order_by("pk").values_list("slug", flat=True)[:6])
    terms = [COMMON_TERM] + list(
        Programme.objects.published()
        .exclude(short_name="")
        .order_by("pk")
        .values_list("short_name", flat=True)[:14]
    )
    paths = ["/", "/programmes/", "/organisations/", "/services/", "/events/", "/start/"]
    paths += ["/events/?when=upcoming", *(f"/programmes/?page={n}" for n in (2, 3, 4))]
    paths += [f"/programmes/?region={r}" for r in regions]
    paths += [f"/programmes/?sector={s}" for s in sectors]
    paths += [f"/programmes/?help={h}" for h in helps]
    paths += [f"/programmes/?region={r}&sector={s}" for r, s in zip(regions, sectors, strict=False)]
    paths += [f"/services/?help={h}" for h in helps]
    paths += [f"/services/?region={r}" for r in regions[:5]]
    paths += [f"/events/?region={r}" for r in regions[:5]]
    paths += [f"/events/?when=upcoming&region={r}" for r in regions[5:10]]
    paths += [f"/organisations/?region={r}" for r in regions[:5]]
    paths += [f"/organisations/?sector={s}" for s in sectors[:5]]
    paths += [f"/search/?q={term}" for term in terms]
    return [prefix + path for path in paths for prefix in LANGUAGES]


def record_pages(rng):
    """(record, English path) of every published record, shuffled: its place
    is its popularity rank."""
    from django.conf import settings
    from django.utils import translation

    from directory import kinds

    with translation.override(settings.LANGUAGE_CODE):
        records = [
            (record, record.get_absolute_url())
            for kind in kinds.all_kinds()
            for record in kind.model.objects.published().only("pk", "slug")
        ]
    rng.shuffle(records)
    return records


def zipf_chooser(n, rng):
    cumulative = list(itertools.accumulate(1 / rank for rank in range(1, n + 1)))
    total = cumulative[-1]
    return lambda: min(n - 1, bisect.bisect_left(cumulative, rng.random() * total))


def request(application, factory, path):
    """(the X-Page-Cache header, the body's bytes) of one request."""
    environ = factory.get(path).environ
    answer = {}

    def start_response(status, headers):
        answer.update(status=status, headers=dict(headers))

    body = application(environ, start_response)
    size = len(b"".join(body))
    if hasattr(body, "close"):
        body.close()
    return answer["headers"].get("X-Page-Cache"), size


def save(record, everything, edit=None):
    from django.db import transaction

    from directory import caching
    from directory.search import refresh_search_index

    # What a staff save in the admin commits: the record's row (and its
    # facets, refreshed by the signals) and its search text, judged by the
    # page cache on commit.
    # With `edit`, that field of it changes (a trailing space added or taken
    # away); without, only its time of change does, as when staff save a
    # record they checked.
    record = type(record).objects.get(pk=record.pk)
    if edit and hasattr(record, edit):
        value = getattr(record, edit)
        setattr(record, edit, value[:-1] if value.endswith(" ") else value + " ")
    with caching.coarse() if everything else contextlib.nullcontext(), transaction.atomic():
        record.save()
        refresh_search_index(type(record).objects.filter(pk=record.pk))


def traffic(rng, lists, records):
    """Requests as the traffic model draws them: (group, path), endlessly."""
    choose_record = zipf_chooser(len(records), rng)
    while True:
        if rng.random() < LIST_SHARE:
            yield "list", rng.choice(lists)
        else:
            yield "record", rng.choice(LANGUAGES) + records[choose_record()][1]


def held_requests(args, path):
    """How many requests back a page asked for is still held: its lifetime,
    and for a page stored under the day's date (it says "upcoming" or "took
    place" by it) no further back than midnight."""
    from directory.caching.tags import is_dated

    seconds = min(args.ttl, args.hour * 3600) if is_dated(path) else args.ttl
    return int(seconds * args.rate)


def schedule(args, lists, records):
    """(the requests of the `--ttl` seconds before the run, the run's requests)."""
    stream = traffic(random.Random(args.seed), lists, records)
    before = [path for _group, path in itertools.islice(stream, args.ttl * args.rate)]
    run = list(itertools.islice(stream, (args.warmup + args.seconds) * args.rate))
    return before, run


def fill(args, application, factory, before, run):
    """Stores what a site serving this traffic holds when the run starts: the
    pages asked for before it and still held, of those the run asks for (the
    others do not matter). Pages already held and current are hits."""
    wanted = {path for _group, path in run}
    last_asked = {path: n for n, path in enumerate(before)}
    for path, n in last_asked.items():
        if path in wanted and len(before) - n <= held_requests(args, path):
            request(application, factory, path)


def forget(factory, path):
    """Drops the stored copy of the page at `path`, as its expiry would."""
    from django.core.cache import cache

    from directory.caching import page_key

    cache.delete(page_key(factory.get(path)))


def simulate(args, saves_per_minute, application, factory, records, before, run):
    rng = random.Random(args.seed + 1)
    every = round(args.rate * 60 / saves_per_minute) if saves_per_minute else None
    measured_from = args.warmup * args.rate
    last_asked = {path: n for n, path in enumerate(before)}
    tally = {
        group: {"requests": 0, "first_visit": 0, "replaced": 0} for group in ("list", "record")
    }
    cpu = wall = 0.0
    cold_bytes = cold_pages = 0
    for n, (group, path) in enumerate(run):
        if every and n and n % every == 0:
            save(rng.choice(records)[0], args.everything, args.edit)
        now = len(before) + n
        asked = last_asked.get(path)
        first_visit = asked is None or now - asked > held_requests(args, path)
        last_asked[path] = now
        if first_visit:
            forget(factory, path)  # as no site would hold it (a copy from an earlier run)
        started_cpu, started = time.process_time(), time.perf_counter()
        state, size = request(application, factory, path)
        if n >= measured_from:
            cpu += time.process_time() - started_cpu
            wall += time.perf_counter() - started
            counts = tally[group]
            counts["requests"] += 1
            if first_visit:
                counts["first_visit"] += 1
            elif state == "miss":
                counts["replaced"] += 1
            if state == "miss":
                cold_bytes, cold_pages = cold_bytes + size, cold_pages + 1
    requests = sum(t["requests"] for t in tally.values())

    def pct(key, groups=("list", "record")):
        part = sum(tally[g][key] for g in groups)
        return round(100 * part / max(1, sum(tally[g]["requests"] for g in groups)), 1)

    return {
        "saves_per_minute": saves_per_minute,
        "every_save_replaces_everything": args.everything,
        "edit": args.edit,
        "ttl_seconds": args.ttl,
        "hour": args.hour,
        "requests": requests,
        "cold_pct": round(pct("first_visit") + pct("replaced"), 1),
        "first_visit_pct": pct("first_visit"),
        "replaced_pct": pct("replaced"),
        "replaced_pct_lists": pct("replaced", ("list",)),
        "replaced_pct_records": pct("replaced", ("record",)),
        "first_visit_pct_records": pct("first_visit", ("record",)),
        "cpu_ms_per_request": round(1000 * cpu / requests, 2),
        "wall_ms_per_request": round(1000 * wall / requests, 2),
        "rendered_page_kb": round(cold_bytes / max(1, cold_pages) / 1024, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--saves-per-minute", type=float, nargs="+", default=[0, 2, 10])
    parser.add_argument(
        "--ttl", type=int, help="seconds a stored page waits for a reader (PAGE_CACHE_SECONDS)"
    )
    parser.add_argument(
        "--hour", type=float, default=12, help="hours since midnight when the run starts"
    )
    parser.add_argument("--everything", action="store_true")
    parser.add_argument(
        "--edit", metavar="FIELD", help="each save changes this text field (e.g. name)"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    os.environ.update(
        server_environment(
            os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE),
            os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS),
        )
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import RequestFactory

    # The production settings serve hashed static files (pages link to them).
    call_command("collectstatic", interactive=False, verbosity=0)

    from django.conf import settings

    from directory.caching.handler import CachedPageHandler

    args.ttl = args.ttl or settings.PAGE_CACHE_SECONDS
    application, factory = CachedPageHandler(), RequestFactory(SERVER_NAME="127.0.0.1")
    lists, records = list_urls(), record_pages(random.Random(args.seed))
    print(f"{len(lists)} list/home/search URLs, {len(records)} record pages x 3 languages")
    before, run = schedule(args, lists, records)
    rows = []
    for saves_per_minute in args.saves_per_minute:
        started = time.perf_counter()
        fill(args, application, factory, before, run)
        print(f"(filled the cache in {time.perf_counter() - started:.0f} s)")
        row = simulate(args, saves_per_minute, application, factory, records, before, run)
        print(json.dumps(row))
        rows.append(row)
    out = ROOT / "bench-results" / f"cache-simulation-{int(time.time())}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"args": vars(args), "runs": rows}, indent=2))


if __name__ == "__main__":
    main()
