"""What the benchmark runs on: wrk, Redis, the PostgreSQL database and gunicorn."""

import contextlib
import ctypes
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench.load import log

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/crossborder_bench"
# A database number of its own, so the benchmark's pages never mix with
# another use of the same Redis.
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
WARM_PORT, RAW_PORT, COLD_PORT = 8201, 8202, 8203
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
PR_SET_PDEATHSIG = 1


def server_environment(database_url, redis_url):
    """The production configuration on loopback, with the page cache on."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DIRECTORY_CACHING="1",
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on loopback: no TLS proxy in front to redirect to.
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="ERROR",
        # The load comes from one address: with the search rate limit on,
        # wrk would measure 429 answers, not searches.
        SEARCH_RATE_LIMIT="",
    )
    return env


def apt_install(package):
    if os.geteuid() != 0:
        sys.exit(f"{package} is missing: apt-get install -y {package}")
    log(f"Installing {package}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "--no-install-recommends", package]
    if subprocess.run(command, env=env).returncode != 0:
        # A fresh system has no package lists yet.
        subprocess.run(["apt-get", "update"], env=env, check=True)
        subprocess.run(command, env=env, check=True)


def ensure_wrk():
    if not shutil.which("wrk"):
        apt_install("wrk")


def redis_answers(redis_url):
    import redis

    try:
        return bool(redis.Redis.from_url(redis_url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def ensure_redis(redis_url):
    """Starts a throwaway local Redis (no persistence) if none answers.

    It is left running afterwards, like the PostgreSQL server."""
    if redis_answers(redis_url):
        return
    address = urlsplit(redis_url)
    if address.hostname not in LOCAL_HOSTS:
        sys.exit(f"Redis does not answer at {redis_url}")
    if not shutil.which("redis-server"):
        apt_install("redis-server")
    if not redis_answers(redis_url):
        port = str(address.port or 6379)
        log(f"Starting redis-server on port {port}")
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1"]
            + ["--port", port, "--save", "", "--appendonly", "no"],
            check=True,
        )
    deadline = time.monotonic() + 10
    while not redis_answers(redis_url):
        if time.monotonic() > deadline:
            sys.exit(f"Redis does not answer at {redis_url}")
        time.sleep(0.2)


def ensure_database(database_url):
    import psycopg2
    from psycopg2 import sql

    name = database_url.rsplit("/", 1)[1]
    admin = psycopg2.connect(database_url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            log(f"Creating database {name}")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def workers():
    # One sync worker per core. gunicorn's starting point, (2 x cores) + 1,
    # assumes workers often wait on a database elsewhere; here PostgreSQL and
    # the load generator share the same cores, and extra workers only add
    # switching. Measured on 2 cores with 2, 3 and 5 workers: the constant
    # page 1,716 / 1,360 / 1,160 req/s, a cached detail page 805 / 759 / 595,
    # an uncached one 55 / 58 / 57.
    return os.cpu_count() or 1


@dataclass
class Server:
    label: str
    port: int
    process: subprocess.Popen

    @property
    def pid(self):
        return self.process.pid

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path or '/'}"


def die_with_parent():
    # Runs in the child before gunicorn starts: if the benchmark is killed
    # outright (SIGKILL), the kernel still stops its servers.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def answers(port):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/__bench__/constant/", timeout=2)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


@contextlib.contextmanager
def gunicorn(label, app, port, env):
    """A gunicorn server for the duration of the block, stopped however it ends."""
    if answers(port):
        sys.exit(f"Port {port} is already in use; is another benchmark running?")
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers()),
        "--worker-class",
        "sync",
        "--backlog",
        "2048",
        # Long enough for the slowest page at 100,000 records to be measured
        # rather than killed (production keeps gunicorn's 30 s).
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    preexec = die_with_parent if sys.platform == "linux" else None
    process = subprocess.Popen(command, cwd=ROOT, env=env, preexec_fn=preexec)
    try:
        wait_until_answering(process, port)
        yield Server(label, port, process)
    finally:
        stop(process)


def wait_until_answering(process, port):
    # Generous: on a busy machine, five workers importing Django take a while.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn on port {port} exited with {process.returncode}")
        if answers(port):
            return
        time.sleep(0.3)
    sys.exit(f"gunicorn on port {port} did not start")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
