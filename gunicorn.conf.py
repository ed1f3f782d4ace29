"""gunicorn's settings for this project, read from the working directory by
`gunicorn directory.wsgi` (and by the benchmark's servers).

Each worker proves it is alive by changing the mode of a temporary file
(os.fchmod) on every request. On a disk-backed /tmp that call waits for the
filesystem's journal, and every worker waits on the same journal at once:
gunicorn's FAQ ("How do I avoid Gunicorn excessively blocking in os.fchmod?")
says to keep the file on a RAM-backed filesystem instead.
"""

import os

if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"


def post_worker_init(worker):
    """Moves what loading the application made (Django, the models, the URL
    and template machinery: some 145,000 objects) out of the garbage
    collector's reach: they live as long as the worker, and a full
    collection otherwise walks them all, some 60 ms at a time, every few
    dozen requests on a cold list (each request allocates thousands of
    short-lived objects). Python's documentation of gc.freeze() suggests it
    for this, after start-up."""
    import gc

    gc.collect()
    gc.freeze()
