"""Django's Redis cache backend: one Redis client per pool, and a circuit breaker.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every
cache call. With redis-py 5 and later that constructor fills a table of some
170 response callbacks each time. Reusing the client took a cached detail
page from 805 to 1,072 req/s on the benchmark's 2-worker server. The client
is a thin, thread-safe handle on the pool, which already lives as long as
the process, so it is built once per pool and reused. Nothing about the
cached data is kept in the process.

The cache sits in front of every public request, so a Redis that hangs (a
paused process, a full network buffer) must not hang the site. Every socket
has a short connect and read timeout (settings.CACHES OPTIONS), and after a
failure the backend does not ask Redis again for `CIRCUIT_BREAKER_SECONDS`
(default 30): each call raises `CacheUnavailable` at once, which the page
cache treats as a miss, so pages render normally instead of each waiting out
a timeout. The first call after the pause tries Redis again. One warning is
logged when an outage starts and one when it ends, not one per request.
The breaker's state is per process: it holds no data, and a process that
has not seen the failure simply finds out on its own. It also remembers that
this process met an outage, during which a save may have failed to replace
the generations of the pages it changed (or its replacement was never sent):
before the process reads a generation again, it replaces every one
(`directory.caching.settle_outage`), so no page stored before the outage is
served as current once Redis answers. The whole cache is then cold once.
"""

import functools
import logging
import time

from django.core.cache.backends import redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEFAULT_BREAKER_SECONDS = 30
# One breaker per Redis server and process, shared by the threads' cache objects.
BREAKERS = {}


class CacheUnavailable(Exception):
    """The shared cache did not answer (or did not answer recently)."""


class CircuitBreaker:
    def __init__(self, seconds):
        self.seconds = seconds
        self.open_until = 0.0
        self.down_since = None
        # Set when an outage starts: a save during it may not have replaced
        # the generations of the pages it changed, so before this process
        # reads any generation again it replaces them all (caching.settle_outage).
        self.owes_replacement = False

    def check(self):
        if self.open_until and time.monotonic() < self.open_until:
            raise CacheUnavailable("the cache failed recently; not asking it again yet")

    def failed(self, error):
        now = time.monotonic()
        self.open_until = now + self.seconds
        if self.down_since is None:
            self.down_since = now
            self.owes_replacement = True
            logger.warning(
                "Redis cache unavailable (%s: %s); skipping it for %s s at a time until it answers",
                type(error).__name__,
                error,
                self.seconds,
            )

    def succeeded(self):
        if self.down_since is not None:
            logger.warning(
                "Redis cache answering again after %.0f s", time.monotonic() - self.down_since
            )
            self.down_since = None
            self.open_until = 0.0


def guarded(method):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        self.breaker.check()
        try:
            result = method(self, *args, **kwargs)
        except RedisError as error:
            self.breaker.failed(error)
            raise CacheUnavailable(str(error)) from error
        self.breaker.succeeded()
        return result

    return call


class ReusedClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, breaker, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self.breaker = breaker

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]


# Every call that talks to Redis goes through the breaker.
for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(
        ReusedClientRedisCacheClient,
        _name,
        guarded(getattr(redis.RedisCacheClient, _name)),
    )


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        seconds = options.pop("CIRCUIT_BREAKER_SECONDS", DEFAULT_BREAKER_SECONDS)
        super().__init__(server, {**params, "OPTIONS": options})
        self.breaker = BREAKERS.setdefault((server, seconds), CircuitBreaker(seconds))
        self._class = functools.partial(ReusedClientRedisCacheClient, breaker=self.breaker)
