import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

from bench.after_a_save import cold_application  # noqa: E402
from directory.wsgi import application  # noqa: E402

# The cold server's: every request is its page's first after a save.
cold = cold_application(application)
