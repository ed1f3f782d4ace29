import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")
# What django.core.wsgi.get_wsgi_application() does, with the page cache in
# front of Django's handler (directory/caching/handler.py).
django.setup(set_prefix=False)

from directory.caching.handler import CachedPageHandler  # noqa: E402

application = CachedPageHandler()
