"""The production server while its shared cache or database fails.

    .venv/bin/python -m bench.outages [--seconds 20]

Starts a Redis of its own (on a free port), a fresh SQLite database with the
seed articles, and gunicorn with the production settings (DEBUG off, Redis
as the cache), warms the public pages, then sends requests from four
clients while Redis is (1) answering, (2) paused with SIGSTOP, (3) killed.
Prints, per phase: requests answered, by status, and p50/p99/max latency.
Stops only the processes it started.
"""

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.pages import MOST_READ  # noqa: E402
from tests.support.redis_process import RedisProcess, free_port  # noqa: E402

PAGES = [*MOST_READ, "/zh-hans/programmes/"]


def request(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.monotonic()
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError as error:
        status = type(error).__name__
    finally:
        connection.close()
    return status, time.monotonic() - started


def load(port, seconds, clients=4):
    results = []
    deadline = time.monotonic() + seconds

    def client(offset):
        i = offset
        while time.monotonic() < deadline:
            results.append(request(port, PAGES[i % len(PAGES)]))
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def summary(name, results):
    times = sorted(seconds for _, seconds in results)
    statuses = {}
    for status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1

    def pct(p):
        return times[min(len(times) - 1, int(p * len(times)))] * 1000 if times else float("nan")

    print(
        f"{name:<22} sent {len(results):>5}  statuses {statuses}  "
        f"p50 {pct(0.5):7.1f} ms  p99 {pct(0.99):7.1f} ms  max {times[-1] * 1000:7.1f} ms",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    redis = RedisProcess()
    workdir = Path(tempfile.mkdtemp(prefix="outages-"))
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "outage-measurement-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "REDIS_URL": redis.url,
        "LOG_LEVEL": "WARNING",
    }
    python = sys.executable
    server = None
    try:
        for command in (["migrate", "--noinput"], ["load_seeds"], ["collectstatic", "--noinput"]):
            subprocess.run(
                [python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
            )
        log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115
        server = subprocess.Popen(
            [python, "-m", "gunicorn", "directory.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(100):
            time.sleep(0.1)
            if request(port, "/")[0] == 200:
                break
        for path in PAGES:
            request(port, path)
        summary("Redis answering", load(port, 5))
        redis.pause()
        try:
            summary(f"Redis paused {args.seconds:.0f} s", load(port, args.seconds))
        finally:
            redis.resume()
        summary("Redis resumed", load(port, 5))
        redis.kill()
        summary(f"Redis killed {args.seconds:.0f} s", load(port, args.seconds))
        log.close()
        lines = (workdir / "gunicorn.log").read_text().splitlines()
        outage = [line for line in lines if "Redis cache" in line]
        print(f"log lines about Redis: {len(outage)} (of {len(lines)} in all)")
        for line in outage:
            print("  ", line)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        redis.stop()


if __name__ == "__main__":
    main()
