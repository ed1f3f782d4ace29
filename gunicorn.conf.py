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
