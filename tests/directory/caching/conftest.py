"""Fixtures shared by the caching tests."""

from tests.support.redis_process import redis_server  # noqa: F401 (a fixture)
