"""Django's Redis cache backend, keeping one Redis client per connection pool.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every
cache call. With redis-py 5 and later that constructor fills a table of some
170 response callbacks each time, which measured more than the round trip to
Redis itself: a page served from the cache spent about a third of its time
there. The client is a thin, thread-safe handle on the pool, which already
lives as long as the process, so it is built once per pool and reused.
Nothing about the cached data is kept in the process.
"""

from django.core.cache.backends import redis


class ReusedClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
