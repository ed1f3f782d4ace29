"""Constant-rate load for the soak: requests sent at even intervals, each on a
connection opened only when the request is due.

wrk cannot do this. Its pacing (a Lua `delay`) waits with the next connection
already open, and a gunicorn sync worker that has accepted such a connection
waits for its request, unavailable to everyone else: the latency measured
would be the pacing's own. Opening each connection when its request is due is
what a buffering proxy in front of gunicorn does. Requests are sent on time
whether or not earlier ones have been answered (open loop), so a slow server
shows as latency, not as a lower rate.
"""

import asyncio
import time
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 10
# More requests in flight than this means the server has fallen far behind;
# the ones beyond are counted as not sent rather than opening ever more sockets.
MAX_IN_FLIGHT = 500


class Tally:
    def __init__(self):
        self.latencies_ms = []
        self.non_2xx = self.status_5xx = self.socket_errors = self.not_sent = 0
        self.cache_hits = self.cache_misses = 0

    def response(self, status, headers, latency_ms):
        self.latencies_ms.append(latency_ms)
        if not 200 <= status <= 299:
            self.non_2xx += 1
        if status >= 500:
            self.status_5xx += 1
        cache = headers.get("x-page-cache")
        if cache == "hit":
            self.cache_hits += 1
        elif cache == "miss":
            self.cache_misses += 1


def paced_load(url, rate, seconds):
    """`rate` requests per second for `seconds`; the same figures as bench.load.wrk."""
    tally = Tally()
    started = time.perf_counter()
    asyncio.run(send_at_rate(url, rate, seconds, tally))
    elapsed = time.perf_counter() - started
    latencies = sorted(tally.latencies_ms)
    return {
        "rps": round(len(latencies) / elapsed, 1),
        "requests": len(latencies),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "non_2xx": tally.non_2xx,
        "status_5xx": tally.status_5xx,
        "socket_errors": tally.socket_errors,
        "not_sent": tally.not_sent,
        "cache_hits": tally.cache_hits,
        "cache_misses": tally.cache_misses,
    }


def percentile(ordered, p):
    if not ordered:
        return 0
    return round(ordered[min(len(ordered) - 1, len(ordered) * p // 100)], 2)


async def send_at_rate(url, rate, seconds, tally):
    loop = asyncio.get_running_loop()
    address = urlsplit(url)
    target = address.path + (f"?{address.query}" if address.query else "")
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {address.netloc}\r\n"
        "User-Agent: bench\r\nConnection: close\r\n\r\n"
    ).encode()
    interval = 1 / rate
    start = loop.time()
    in_flight = set()
    for n in range(int(rate * seconds)):
        await asyncio.sleep(max(0, start + n * interval - loop.time()))
        if len(in_flight) >= MAX_IN_FLIGHT:
            tally.not_sent += 1
            continue
        task = asyncio.create_task(one_request(address.hostname, address.port, request, tally))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    if in_flight:
        await asyncio.wait(in_flight)


async def one_request(host, port, request, tally):
    started = time.perf_counter()
    try:
        status, headers = await asyncio.wait_for(fetch(host, port, request), TIMEOUT_SECONDS)
    except (OSError, TimeoutError, ValueError):
        tally.socket_errors += 1
        return
    tally.response(status, headers, (time.perf_counter() - started) * 1000)


class OneGet(asyncio.Protocol):
    """Sends the request on connecting and collects the answer until the
    server closes the connection (the request asks it to)."""

    def __init__(self, request):
        self.request = request
        self.chunks = []
        self.answer = asyncio.get_running_loop().create_future()

    def connection_made(self, transport):
        transport.write(self.request)

    def data_received(self, data):
        self.chunks.append(data)

    def connection_lost(self, exc):
        if self.answer.done():
            return
        if exc is None:
            self.answer.set_result(b"".join(self.chunks))
        else:
            self.answer.set_exception(exc)


async def fetch(host, port, request):
    """One GET on a new connection: its status and headers. Protocol callbacks
    rather than asyncio's streams, which cost several times the CPU per request
    and would take it from the server being measured."""
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_connection(lambda: OneGet(request), host, port)
    try:
        return parse_response(await protocol.answer)
    finally:
        transport.close()


def parse_response(raw):
    head, separator, body = raw.partition(b"\r\n\r\n")
    if not separator:
        raise ValueError("incomplete response")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if len(body) < int(headers.get("content-length", len(body))):
        raise ValueError("response cut short")
    return status, headers
