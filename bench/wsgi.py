import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

from directory.wsgi import application  # noqa: E402, F401
