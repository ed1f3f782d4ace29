"""Two middleware stacks: a short one for anonymous readers, the full one for staff.

Readers of the public site are anonymous and only ever read: no session, no
form to protect, no messages, no edit history, no login to throttle. Staff
pages need all of that. So the session, CSRF, authentication, messages,
history and lockout middleware (`SIGNED_IN_MIDDLEWARE`) run for the admin and
for any request that carries a session cookie (a signed-in editor previewing a
draft, say), and are skipped for everyone else, who get an anonymous user.
That roughly halves the work Django does around each public page.

A request that may change something (any method but GET, HEAD, OPTIONS and
TRACE) always takes the full stack, so the CSRF check covers every POST,
signed in or not: a public form added later is protected without anyone
having to remember it.
"""

import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.cache import patch_cache_control
from django.utils.module_loading import import_string

from directory.caching import has_session_cookie

# The admin under any language prefix: /admin/, /zh-hans/admin/ ...
ADMIN_PATH = re.compile(r"^/(?:[a-z]{2}(?:-[a-z]+)?/)?admin(?:/|$)")


SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def needs_signed_in_stack(request):
    return bool(
        request.method not in SAFE_METHODS
        or ADMIN_PATH.match(request.path_info)
        or has_session_cookie(request)
    )


class SignedInStackMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        handler = get_response
        self.view_hooks = []
        # Built inside out, as Django builds settings.MIDDLEWARE.
        for path in reversed(settings.SIGNED_IN_MIDDLEWARE):
            handler = import_string(path)(handler)
            if hasattr(handler, "process_view"):
                self.view_hooks.insert(0, handler.process_view)
            if hasattr(handler, "process_exception") or hasattr(
                handler, "process_template_response"
            ):
                raise ValueError(f"{path} needs hooks this stack does not pass on")
        self.signed_in = handler

    def __call__(self, request):
        if needs_signed_in_stack(request):
            response = self.signed_in(request)
            # The admin, and any page a signed-in user sees (a draft's preview),
            # is for that user only: no shared or browser cache may keep it.
            if ADMIN_PATH.match(request.path_info) or request.user.is_authenticated:
                patch_cache_control(response, private=True, no_store=True)
            return response
        request.user = AnonymousUser()
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        # Django calls process_view only on the middleware in settings.MIDDLEWARE,
        # so the CSRF check of the nested stack is passed on from here.
        if not needs_signed_in_stack(request):
            return None
        for hook in self.view_hooks:
            response = hook(request, view, args, kwargs)
            if response is not None:
                return response
        return None


class SecurityHeadersMiddleware:
    """The security headers Django has no setting for: Permissions-Policy
    (no camera, microphone, location... for any page) and
    Cross-Origin-Resource-Policy (no other site may embed our responses)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Permissions-Policy": settings.PERMISSIONS_POLICY,
            "Cross-Origin-Resource-Policy": settings.CROSS_ORIGIN_RESOURCE_POLICY,
        }

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        return response
