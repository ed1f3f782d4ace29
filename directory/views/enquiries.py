"""The "Ask about this / Suggest a correction" form of every record page."""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect, ensure_csrf_cookie

from directory import kinds
from directory.enquiries import EnquiryForm, over_rate_limit, record_enquiry


def _record(kind, slug):
    try:
        model = kinds.get(kind).model
    except KeyError:
        raise Http404 from None
    try:
        return model.objects.published().get(slug=slug)
    except model.DoesNotExist:
        raise Http404 from None


@never_cache
@ensure_csrf_cookie
@csrf_protect
def enquiry(request, kind, slug):
    """The form (GET), and sending it (POST). The anonymous middleware stack
    has no CSRF middleware, so this view protects itself and sets the cookie
    its form needs; it is never stored in the page cache."""
    record = _record(kind, slug)
    form = EnquiryForm(request.POST if request.method == "POST" else None)
    errors = []
    if request.method == "POST" and form.is_valid():
        if form.is_robot():
            # Looks sent; nothing is stored or mailed.
            return HttpResponseRedirect(request.path + "?sent=1")
        if over_rate_limit(form.cleaned_data["email"]):
            errors.append(
                _("This address has sent several enquiries in the last hour. Please try later.")
            )
        else:
            record_enquiry(
                record,
                form.cleaned_data,
                lambda e: request.build_absolute_uri(
                    reverse("admin:directory_enquiry_change", args=[e.pk])
                ),
            )
            return HttpResponseRedirect(request.path + "?sent=1")
    status = 200 if request.method == "GET" else (429 if errors else 400)
    return render(
        request,
        "directory/enquiry.html",
        {
            "record": record,
            "form": form,
            "errors": errors,
            "retention_days": settings.ENQUIRY_RETENTION_DAYS,
            "sent": request.method == "GET" and request.GET.get("sent") == "1",
        },
        status=status,
    )


# The one public page that takes a POST (see PublicPageCacheMiddleware).
enquiry.allowed_methods = ("GET", "HEAD", "POST")
