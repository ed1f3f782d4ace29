"""Lighthouse (mobile) scores of the public pages on a production-like server.

    python -m bench.lighthouse [--lighthouse PATH] [--chrome PATH] [--keep]

Builds a throwaway SQLite database with the seed articles, collects the static
files, serves them with gunicorn with DEBUG off on a loopback port, then runs
Lighthouse's default mobile audit on the home page, a list, a record page and
a search, and prints each page's four category scores and every audit that
cost points. Lighthouse is not a project dependency: install it with npm
outside the repository and pass its `lighthouse` binary (or put it on PATH).
"""

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "home": "/",
    "list": "/programmes/",
    "detail": "/programmes/cradle-going-global-service-centre/",
    "search": "/search/?q=Hong+Kong",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(workdir):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'lighthouse.sqlite3'}",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on loopback: no TLS proxy in front to redirect to.
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        LOG_LEVEL="ERROR",
    )
    env.pop("REDIS_URL", None)
    return env


def prepare(env):
    manage = [sys.executable, "manage.py"]
    for command in (
        ["createcachetable"],
        ["migrate", "--noinput"],
        ["load_seeds"],
        ["collectstatic", "--noinput"],
    ):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not answer")


def audit(lighthouse, chrome, url, report_path):
    env = {**os.environ, "CHROME_PATH": chrome}
    subprocess.run(
        [
            lighthouse,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report_path}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        env=env,
        check=True,
    )
    return json.loads(Path(report_path).read_text())


def lost_points(report):
    """The audits that scored below 1 in any category, with their titles."""
    lost = []
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            found = report["audits"][ref["id"]]
            if ref["weight"] and found["score"] is not None and found["score"] < 1:
                lost.append(
                    f"{category['id']}: {ref['id']} ({found['score']:.2f}) {found['title']}"
                )
    return lost


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", default=shutil.which("lighthouse") or "lighthouse")
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    parser.add_argument("--keep", action="store_true", help="keep the JSON reports")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    env = server_environment(workdir)
    prepare(env)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "directory.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/")
        for name, path in PAGES.items():
            report = audit(args.lighthouse, args.chrome, base + path, workdir / f"{name}.json")
            scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
            print(f"{name:8} {path:60} " + " ".join(f"{c}={s}" for c, s in scores.items()))
            for line in lost_points(report):
                print("    " + line)
    finally:
        server.terminate()
        server.wait(10)
        if args.keep:
            print(f"reports kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
