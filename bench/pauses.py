"""How late a sleeping process wakes up on this machine: its scheduling pauses.

A soak's p99 is a few milliseconds, so a pause of the whole machine (a
virtual machine's CPU taken away by its host, say) of 20-40 ms shows in it
even when no server is at fault: every request in flight waits, the load
generator's own included. A separate process sleeps 1 ms at a time and
counts each wake-up that comes more than LATE_MS late; the soak reports it
beside each page, and once on the idle machine before the soak starts.
"""

import multiprocessing
import time

LATE_MS = 5
TICK_S = 0.001


def _watch(stop, results):
    late = []
    ticks = 0
    while not stop.is_set():
        before = time.perf_counter()
        time.sleep(TICK_S)
        overslept_ms = (time.perf_counter() - before - TICK_S) * 1000
        ticks += 1
        if overslept_ms > LATE_MS:
            late.append(overslept_ms)
    results.put({"ticks": ticks, "late": len(late), "worst_ms": round(max(late, default=0), 1)})


class PauseWatch:
    """`with PauseWatch() as watch: ...`, then `watch.result`: wake-ups
    (`ticks`), how many came more than LATE_MS late, and the latest (ms)."""

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
