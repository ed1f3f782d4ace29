"""Checks that stand in for the ones the split middleware stack silences.

Django's admin and CSRF checks and django-axes look for their middleware in
MIDDLEWARE; here they sit in SIGNED_IN_MIDDLEWARE (directory/middleware.py),
so the checks are silenced in settings and this one checks the real place.
"""

from django.conf import settings
from django.core.checks import Error, register

STACK = "directory.middleware.SignedInStackMiddleware"
REQUIRED = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]


@register()
def signed_in_stack_is_complete(app_configs, **kwargs):
    errors = []
    if STACK not in settings.MIDDLEWARE:
        errors.append(Error(f"{STACK} must be in MIDDLEWARE.", id="directory.E001"))
    stack = list(getattr(settings, "SIGNED_IN_MIDDLEWARE", []))
    missing = [path for path in REQUIRED if path not in stack]
    if missing:
        errors.append(
            Error(f"SIGNED_IN_MIDDLEWARE lacks {', '.join(missing)}.", id="directory.E002")
        )
    elif [path for path in stack if path in REQUIRED] != REQUIRED:
        errors.append(
            Error(f"SIGNED_IN_MIDDLEWARE must keep this order: {REQUIRED}", id="directory.E003")
        )
    return errors
