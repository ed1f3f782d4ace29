"""The cache simulation counts a request cold only when its page is, and
tells first visits from pages a save replaced."""

import argparse

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.test import RequestFactory, override_settings

from bench import cache_simulation as simulation
from directory.caching.tags import is_dated
from tests.directory.caching.test_redis_cache import pytestmark  # noqa: F401 (needs Redis)
from tests.directory.caching.test_redis_cache import redis_cache as redis_cache_fixture
from tests.support.wsgi import serving

redis_cache = redis_cache_fixture


@pytest.fixture
def world(transactional_db, redis_cache):
    call_command("generate_sample_data", programmes=20, seed=3)
    import random

    lists = simulation.list_urls()[:30]
    records = simulation.record_pages(random.Random(1))
    args = argparse.Namespace(
        ttl=4, hour=0.001, rate=10, warmup=1, seconds=6, seed=1, everything=False, edit=None
    )
    before, run = simulation.schedule(args, lists, records)
    with override_settings(RATE_LIMITS={}), serving(WSGIHandler()) as application:
        factory = RequestFactory()

        def simulate(saves_per_minute, everything=False):
            args.everything = everything
            simulation.fill(args, application, factory, before, run)
            return simulation.simulate(
                args, saves_per_minute, application, factory, records, before, run
            )

        yield args, before, run, simulate


def first_visits(args, before, run):
    """The share of measured requests whose page nobody asked for within its
    lifetime (since midnight for a dated page), counted from the schedule alone."""
    last, count = {}, 0
    history = [(None, path) for path in before] + run
    for n, (_group, path) in enumerate(history):
        held_for = args.rate * (min(args.ttl, args.hour * 3600) if is_dated(path) else args.ttl)
        if n >= len(before) + args.warmup * args.rate:
            count += path not in last or n - last[path] > held_for
        last[path] = n
    return round(100 * count / (args.seconds * args.rate), 1)


def test_without_saves_only_first_visits_are_cold(world):
    args, before, run, simulate = world
    row = simulate(0)
    assert row["requests"] == args.seconds * args.rate
    assert row["replaced_pct"] == 0
    assert row["first_visit_pct"] == first_visits(args, before, run)
    assert 0 < row["first_visit_pct"] < 100


def test_saves_replace_pages_and_replacing_everything_replaces_more(world):
    _args, _before, _run, simulate = world
    targeted = simulate(60)
    everything = simulate(60, everything=True)
    assert 0 < targeted["replaced_pct"] < everything["replaced_pct"]
    assert targeted["first_visit_pct"] == everything["first_visit_pct"]
