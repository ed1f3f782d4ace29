"""Constant-rate load for the soak: requests sent at even intervals, each on a
connection opened only when the request is due.

wrk cannot do this. Its pacing (a Lua `delay`) waits with the next connection
already open, and a gunicorn sync worker that has accepted such a connection
waits for its request, unavailable to everyone else: the latency measured
would be the pacing's own. Opening each connection when its request is due is
what a buffering proxy in front of gunicorn does. Requests are sent on time
whether or not earlier ones have been answered (open loop), so a slow server
shows as latency, not as a lower rate.

The generator shares the machine with the server it measures, so it is kept
cheap: one thread, non-blocking sockets and the operating system's readiness
selector (epoll on Linux), no event-loop framework. The asyncio version this
replaces took 52-55% of a core at 1,000-1,400 requests a second on 2 cores;
this one takes 24-34% (measured against the same cached page), leaving that
much more to the server it measures. A latency runs from opening the
connection to the server closing it after its answer.
"""

import errno
import selectors
import socket
import time
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 10
# More requests in flight than this means the server has fallen far behind;
# the ones beyond are counted as not sent rather than opening ever more sockets.
MAX_IN_FLIGHT = 500
READ_SIZE = 65536


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


class Exchange:
    """One request on its own connection."""

    __slots__ = ("sock", "started", "chunks")

    def __init__(self, sock, started):
        self.sock = sock
        self.started = started
        self.chunks = []


def paced_load(url, rate, seconds):
    """`rate` requests per second for `seconds`; the same figures as bench.load.wrk."""
    tally = Tally()
    started = time.perf_counter()
    send_at_rate(url, rate, seconds, tally)
    elapsed = time.perf_counter() - started
    latencies = sorted(tally.latencies_ms)
    result = {
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
    return result


def percentile(ordered, p):
    if not ordered:
        return 0
    return round(ordered[min(len(ordered) - 1, len(ordered) * p // 100)], 2)


def send_at_rate(url, rate, seconds, tally):
    address = urlsplit(url)
    target = address.path + (f"?{address.query}" if address.query else "")
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {address.netloc}\r\n"
        "User-Agent: bench\r\nConnection: close\r\n\r\n"
    ).encode()
    peer = (address.hostname, address.port)
    interval = 1 / rate
    total = int(rate * seconds)
    selector = selectors.DefaultSelector()
    # Insertion order is start order, so the oldest exchange is always first.
    in_flight = {}
    start = time.perf_counter()
    sent = 0
    while sent < total or in_flight:
        now = time.perf_counter()
        while sent < total and start + sent * interval <= now:
            sent += 1
            if len(in_flight) >= MAX_IN_FLIGHT:
                tally.not_sent += 1
                continue
            exchange = connect(peer, selector, tally)
            if exchange:
                in_flight[exchange.sock] = exchange
        next_due = start + sent * interval if sent < total else now + 0.05
        for key, events in selector.select(max(0.0, next_due - time.perf_counter())):
            exchange = key.data
            if events & selectors.EVENT_WRITE:
                send(exchange, request, selector, in_flight, tally)
            else:
                receive(exchange, selector, in_flight, tally)
        expire(in_flight, selector, tally)
    selector.close()


def connect(peer, selector, tally):
    started = time.perf_counter()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    code = sock.connect_ex(peer)
    if code not in (0, errno.EINPROGRESS):
        sock.close()
        tally.socket_errors += 1
        return None
    exchange = Exchange(sock, started)
    selector.register(sock, selectors.EVENT_WRITE, exchange)
    return exchange


def send(exchange, request, selector, in_flight, tally):
    sock = exchange.sock
    if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
        return fail(exchange, selector, in_flight, tally)
    try:
        # A few hundred bytes: the socket's empty send buffer takes them whole.
        sock.send(request)
    except OSError:
        return fail(exchange, selector, in_flight, tally)
    selector.modify(sock, selectors.EVENT_READ, exchange)


def receive(exchange, selector, in_flight, tally):
    try:
        data = exchange.sock.recv(READ_SIZE)
    except BlockingIOError:
        return
    except OSError:
        return fail(exchange, selector, in_flight, tally)
    if data:
        exchange.chunks.append(data)
        return
    # The server closed the connection, as the request asked: the answer is whole.
    latency_ms = (time.perf_counter() - exchange.started) * 1000
    finish(exchange, selector, in_flight)
    try:
        status, headers = parse_response(b"".join(exchange.chunks))
    except ValueError:
        tally.socket_errors += 1
        return
    tally.response(status, headers, latency_ms)


def expire(in_flight, selector, tally):
    deadline = time.perf_counter() - TIMEOUT_SECONDS
    while in_flight:
        oldest = next(iter(in_flight.values()))
        if oldest.started > deadline:
            return
        fail(oldest, selector, in_flight, tally)


def fail(exchange, selector, in_flight, tally):
    finish(exchange, selector, in_flight)
    tally.socket_errors += 1


def finish(exchange, selector, in_flight):
    selector.unregister(exchange.sock)
    exchange.sock.close()
    del in_flight[exchange.sock]


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
