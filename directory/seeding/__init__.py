"""Loading the curated seed records (YAML under `seeds/`) into the database.

The contract, relied on by `manage.py load_seeds` and the admin team:

* Everything is checked before anything is written: unknown keys, bad values,
  references to slugs no seed file defines, and every citation's quote against
  its article's cleaned text. A problem raises `SeedError` naming the file, the
  record and the field (or quote).
* The writes run in one transaction; `dry_run` runs them and rolls back.
* Each record remembers which seed entry wrote it (`seed_key`) and a hash of
  what was written, relations and citations included (`seed_fingerprint`). On a
  later load a record whose current values no longer hash to that fingerprint
  was edited by staff: it is skipped and reported, unless `force`.
* Writes go through `save()`/`delete()` so django-simple-history records them
  as the `seed-loader` user with the reason "load_seeds".
"""

from directory.seeding.errors import SeedError
from directory.seeding.reading import read_seeds
from directory.seeding.report import Report
from directory.seeding.specs import Spec, register, register_whole_load_check, specs
from directory.seeding.writing import (
    CHANGE_REASON,
    DEFAULT_SEEDS_DIR,
    SEED_USERNAME,
    _fingerprint,
    _snapshot_of,
    load_seeds,
    seed_user,
)

__all__ = [
    "CHANGE_REASON",
    "DEFAULT_SEEDS_DIR",
    "SEED_USERNAME",
    "Report",
    "SeedError",
    "Spec",
    "_fingerprint",
    "_snapshot_of",
    "load_seeds",
    "read_seeds",
    "register",
    "register_whole_load_check",
    "seed_user",
    "specs",
]
