"""The project's URLs plus a public form that takes POST, as a future enquiry
form would, for the tests of what protects forms."""

from django.http import HttpResponse
from django.urls import path

from directory.ratelimit import rate_limited
from directory.urls import urlpatterns as project_urlpatterns


@rate_limited("form", methods=("POST",))
def enquiry(request):
    return HttpResponse(f"{request.method} ok")


urlpatterns = [path("enquiry/", enquiry, name="enquiry"), *project_urlpatterns]


def broken(request):
    raise RuntimeError("a bug in a view")


urlpatterns.insert(0, path("broken/", broken))
handler500 = "directory.views.errors.server_error"
