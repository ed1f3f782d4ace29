"""Who is asking (behind the proxy), and how often they may ask.

`client_ip(request)`: the address of the client, not of our own proxy. With
`TRUSTED_PROXY_COUNT = n` (the proxies, load balancers... in front of the app
servers, each of which appends the address it received the request from to
X-Forwarded-For), the client is the n-th address from the right; anything
to its left was sent by the client itself and proves nothing. With 0 (the
default: gunicorn straight on the network) it is REMOTE_ADDR. django-axes
uses the same function (AXES_CLIENT_IP_CALLABLE), so a lockout is per
username and real client, not per proxy.

`limited(scope, request)`: a fixed-window counter per scope and client in
the shared cache (so every app server counts together; nothing is kept in
process memory). `rate_limited(scope)` wraps a view: past the limit it
answers 429 with a page in the site's layout and Retry-After. Limits are
"<requests>/<seconds>" in settings.RATE_LIMITS. If the cache is down the
limiter lets requests through rather than refuse everyone.
"""

import functools
import hashlib
import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from directory import caching

logger = logging.getLogger(__name__)


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if not forwarded:
        return remote
    # The nearest proxy is REMOTE_ADDR; each of the others added one entry.
    # Fewer entries than proxies: the request skipped a proxy; take the first.
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    return _valid(candidate) or remote


def parse_limit(text):
    count, _sep, seconds = text.partition("/")
    return int(count), int(seconds)


def limited(scope, request):
    """None if this request is within its client's limit for `scope`, else
    the seconds until the client may ask again."""
    rule = settings.RATE_LIMITS.get(scope)
    if not rule:
        return None
    count, seconds = parse_limit(rule)
    now = time.time()
    window = int(now // seconds)
    who = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
    key = f"directory:rate:{scope}:{window}:{who}"
    try:
        cache.add(key, 0, timeout=seconds + 1)
        used = cache.incr(key)
    except Exception:
        caching.log_failure("Rate limiter unavailable; letting the request through")
        return None
    if used <= count:
        return None
    return max(1, int((window + 1) * seconds - now + 0.999))


def too_many_requests(request, retry_after):
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(scope, methods=None):
    """Limits the view's requests (of `methods`, default all) per client."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if methods is None or request.method in methods:
                retry_after = limited(scope, request)
                if retry_after is not None:
                    return too_many_requests(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def login_username(request, credentials):
    """The username a login attempt is recorded and locked under, cut to the
    longest a user can have: a longer one cannot sign in, and would not fit
    the attempt's column (PostgreSQL refuses it where SQLite does not)."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username", "") if request is not None else ""
    return str(username)[:150]
