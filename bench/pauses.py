"""How late a sleeping process wakes up on this machine: its scheduling pauses.

A soak's p99 is a few milliseconds, so a pause of the whole machine (a
virtual machine's CPU taken away by its host, say) of 20-40 ms shows in it
even when no server is at fault: every request in flight waits, the load
generator's own included. A separate process sleeps 1 ms at a time and
counts each wake-up that comes more than LATE_MS late; the soak reports it
beside each page, and once on the idle machine before the soak starts.

Pauses shorter than that still count. On a virtual machine, the host's own
scheduler runs other guests on the same physical cores and takes a share of
each virtual CPU's time (Linux counts it as "steal" in /proc/stat). Measured
on this benchmark's 2-core machine at 1,000 requests a second on a cached
page for 60 s: the seconds in which the host took no time had a worst
latency of 2-7 ms; the seconds in which it took 10-26% had 30-101 ms
(correlation 0.87). So the watch also reads the machine's steal once a
second, and the soak reports its tail again over the seconds with none.
"""

import multiprocessing
import time
from pathlib import Path

LATE_MS = 5
TICK_S = 0.001
PROC_STAT = Path("/proc/stat")
# A second in which the host took less than this share of the CPUs is "quiet".
QUIET_STEAL_PCT = 1.0


def cpu_ticks():
    """(steal, total) CPU ticks of the whole machine since boot, or None where
    the system does not count them (not Linux, or a kernel without steal)."""
    try:
        fields = [int(field) for field in PROC_STAT.read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    if len(fields) < 8:
        return None
    # user nice system idle iowait irq softirq steal [guest guest_nice, counted in user]
    return fields[7], sum(fields[:8])


def steal_pct(before, after):
    if before is None or after is None or after[1] <= before[1]:
        return None
    return round(100 * (after[0] - before[0]) / (after[1] - before[1]), 1)


def _watch(stop, results):
    late = []
    ticks = 0
    # {epoch second: % of the CPUs' time the host took in it}
    steal_by_second = {}
    started = cpu_ticks()
    # Whole seconds only: the first one is counted from its end.
    last = None
    second = int(time.time())
    while not stop.is_set():
        before = time.perf_counter()
        time.sleep(TICK_S)
        overslept_ms = (time.perf_counter() - before - TICK_S) * 1000
        ticks += 1
        if overslept_ms > LATE_MS:
            late.append(overslept_ms)
        now = int(time.time())
        if now != second:
            current = cpu_ticks()
            share = steal_pct(last, current) if now == second + 1 else None
            if share is not None:
                steal_by_second[second] = share
            last, second = current, now
    results.put(
        {
            "ticks": ticks,
            "late": len(late),
            "worst_ms": round(max(late, default=0), 1),
            "steal_pct": steal_pct(started, cpu_ticks()),
            "steal_by_second": steal_by_second,
        }
    )


class PauseWatch:
    """`with PauseWatch() as watch: ...`, then `watch.result`: wake-ups
    (`ticks`), how many came more than LATE_MS late, the latest (ms), the
    share of the CPUs' time the host took (`steal_pct`, None where not
    counted) and that share for each whole second (`steal_by_second`)."""

    def __enter__(self):
        context = multiprocessing.get_context("spawn")
        self.stop = context.Event()
        self.results = context.Queue()
        self.process = context.Process(target=_watch, args=(self.stop, self.results), daemon=True)
        self.process.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        self.result = self.results.get(timeout=30)
        self.process.join(timeout=10)
        return False


def idle_pauses(seconds):
    with PauseWatch() as watch:
        time.sleep(seconds)
    return watch.result
