"""The production server's own settings (gunicorn.conf.py) take effect."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not os.path.isdir("/proc") or not os.path.isdir("/dev/shm"), reason="needs Linux's /proc"
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The parent's pid follows the command name, which is in parentheses.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def open_files(pid):
    targets = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            targets.append(os.readlink(fd))
        except OSError:
            continue
    return targets


def test_workers_keep_their_heartbeat_file_in_memory_not_on_disk():
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "directory.settings"}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "directory.wsgi",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{free_port()}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        heartbeat = []
        while time.monotonic() < deadline and not heartbeat:
            assert server.poll() is None, "gunicorn exited"
            for worker in children(server.pid):
                heartbeat = [f for f in open_files(worker) if "wgunicorn-" in f]
            time.sleep(0.2)
        assert heartbeat, "no worker with a heartbeat file started"
        assert all(f.startswith("/dev/shm/") for f in heartbeat), heartbeat
    finally:
        server.terminate()
        server.wait(timeout=30)
