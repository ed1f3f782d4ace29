"""The soak's watch on the machine (bench/pauses.py): the host's share of the
CPUs ("steal"), read from the kernel's counters."""

import time

import pytest

from bench import pauses


def test_steal_is_the_hosts_share_of_the_ticks_between_two_readings():
    assert pauses.steal_pct((100, 10_000), (150, 10_200)) == 25.0
    assert pauses.steal_pct((100, 10_000), (100, 10_200)) == 0.0
    # No time passed, or no counters: no figure rather than a wrong one.
    assert pauses.steal_pct((100, 10_000), (100, 10_000)) is None
    assert pauses.steal_pct(None, (100, 10_000)) is None


def test_cpu_ticks_reads_the_machines_first_line(tmp_path, monkeypatch):
    stat = tmp_path / "stat"
    stat.write_text("cpu  10 1 20 300 4 0 5 60 0 0\ncpu0 5 0 10 150 2 0 2 30 0 0\n")
    monkeypatch.setattr(pauses, "PROC_STAT", stat)

    assert pauses.cpu_ticks() == (60, 400)

    stat.write_text("cpu  10 1 20 300\n")  # a kernel that does not count steal
    assert pauses.cpu_ticks() is None
    monkeypatch.setattr(pauses, "PROC_STAT", tmp_path / "missing")
    assert pauses.cpu_ticks() is None


@pytest.mark.skipif(pauses.cpu_ticks() is None, reason="no /proc/stat steal counter here")
def test_the_watch_reports_the_steal_of_each_whole_second():
    with pauses.PauseWatch() as watch:
        time.sleep(2.3)

    result = watch.result
    assert result["ticks"] > 100
    assert 0 <= result["steal_pct"] <= 100
    # Only whole seconds: two or three of them in 2.3 s, each a share.
    assert 1 <= len(result["steal_by_second"]) <= 3
    assert all(0 <= share <= 100 for share in result["steal_by_second"].values())
    seconds = sorted(result["steal_by_second"])
    assert seconds == list(range(seconds[0], seconds[0] + len(seconds)))
