"""The production settings plus a few reference routes, for the benchmark only."""

from directory.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
