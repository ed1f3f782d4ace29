"""How much of a day's traffic the page cache answers while staff keep saving.

    python -m bench.cache_simulation [--seconds 120] [--warmup 60] [--rate 50]
                                     [--saves-per-minute 0 2 10] [--everything]

The traffic model: `--rate` requests per simulated second, 30% to about 300
list, home and search URLs (about 100 in three languages, equally likely),
70% to record pages (every published organisation, programme, service and
event, in a shuffled order with Zipf 1.0 popularity, each in one of the three
languages). A staff save of a record (drawn at random among those pages)
comes every 60 / saves-per-minute simulated seconds and is committed before
the next request. Each request goes through the production WSGI application
(`CachedPageHandler`) in this process, against the benchmark's database and
Redis; simulated time only orders requests and saves (stored pages outlive
a run, so no copy expires in it).

For each rate of saves it runs `--warmup` seconds unmeasured, then
`--seconds` measured, and reports the share of requests that found their page
cold (rendered), by lists and record pages, and this process's CPU
milliseconds per request. With no saves the cold share is what the Zipf tail
alone costs (pages asked for the first time). `--everything` makes each save
replace every page, as a single content version did before tags.
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
    environ = factory.get(path).environ
    answer = {}

    def start_response(status, headers):
        answer.update(status=status, headers=dict(headers))

    body = application(environ, start_response)
    b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return answer["headers"].get("X-Page-Cache")


def save(record, everything):
    from django.db import transaction

    from directory import caching

    # What a staff save in the admin commits: the record's row (and its
    # facets, refreshed by the signals), judged by the page cache on commit.
    record = type(record).objects.get(pk=record.pk)
    with caching.coarse() if everything else contextlib.nullcontext(), transaction.atomic():
        record.save()


def simulate(args, saves_per_minute, rng, application, factory, lists, records):
    from directory.caching import bump_content_version

    bump_content_version()
    choose_record = zipf_chooser(len(records), rng)
    every = round(args.rate * 60 / saves_per_minute) if saves_per_minute else None
    total = (args.warmup + args.seconds) * args.rate
    measured_from = args.warmup * args.rate
    tally = {"list": [0, 0], "record": [0, 0]}
    cpu = wall = 0.0
    for n in range(total):
        if every and n and n % every == 0:
            save(rng.choice(records)[0], args.everything)
        if rng.random() < LIST_SHARE:
            group, path = "list", rng.choice(lists)
        else:
            group, path = "record", rng.choice(LANGUAGES) + records[choose_record()][1]
        started_cpu, started = time.process_time(), time.perf_counter()
        state = request(application, factory, path)
        if n >= measured_from:
            cpu += time.process_time() - started_cpu
            wall += time.perf_counter() - started
            tally[group][0] += 1
            tally[group][1] += state == "miss"
    requests = sum(n for n, _cold in tally.values())
    cold = sum(cold for _n, cold in tally.values())
    return {
        "saves_per_minute": saves_per_minute,
        "every_save_replaces_everything": args.everything,
        "requests": requests,
        "cold_pct": round(100 * cold / requests, 1),
        "cold_pct_lists": round(100 * tally["list"][1] / max(1, tally["list"][0]), 1),
        "cold_pct_records": round(100 * tally["record"][1] / max(1, tally["record"][0]), 1),
        "cpu_ms_per_request": round(1000 * cpu / requests, 2),
        "wall_ms_per_request": round(1000 * wall / requests, 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--saves-per-minute", type=float, nargs="+", default=[0, 2, 10])
    parser.add_argument("--everything", action="store_true")
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

    from directory.caching.handler import CachedPageHandler

    application, factory = CachedPageHandler(), RequestFactory(SERVER_NAME="127.0.0.1")
    rng = random.Random(args.seed)
    lists, records = list_urls(), record_pages(rng)
    print(f"{len(lists)} list/home/search URLs, {len(records)} record pages x 3 languages")
    rows = []
    for saves_per_minute in args.saves_per_minute:
        row = simulate(args, saves_per_minute, rng, application, factory, lists, records)
        print(json.dumps(row))
        rows.append(row)
    out = ROOT / "bench-results" / f"cache-simulation-{int(time.time())}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"args": vars(args), "runs": rows}, indent=2))


if __name__ == "__main__":
    main()
