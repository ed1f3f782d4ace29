"""The server error page, and 503 while the database is unreachable.

Django calls `server_error` for any exception a view or middleware did not
handle (handler500), inside the `except` block, so the exception is at hand.
A database that cannot be reached (OperationalError, InterfaceError: a
refused connection, a server gone away) is not a bug in the page: the answer
is 503 with Retry-After, so proxies and crawlers come back later. Pages
stored in the shared cache keep being answered before Django is reached
(directory/caching/handler.py). Both pages are rendered without a request,
so no context processor (the signed-in user, say) touches the database.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30


def database_unreachable(error):
    return isinstance(error, OperationalError | InterfaceError)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    error = sys.exc_info()[1]
    if database_unreachable(error):
        response = HttpResponseServerError(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = HttpResponseServerError(loader.render_to_string(template_name))
    response["Cache-Control"] = "no-store"
    return response
