"""The directory's own pages: about, contact, privacy, accessibility.

Their facts come from settings (who operates the site, its inbox, how long
enquiries are kept), so each installation's pages say what is true of it.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from directory.caching import query_parameters

# `.invalid` is reserved (RFC 2606): the default inbox reaches nobody, so the
# contact page does not offer it.
PLACEHOLDER_DOMAIN = ".invalid"


def operator(request):
    """Template context: the operator's name, or "" when not configured."""
    return {"directory_operator": settings.DIRECTORY_OPERATOR}


def _page(template, title):
    @query_parameters()
    def view(request):
        inbox = settings.DIRECTORY_INBOX
        return render(
            request,
            template,
            {
                "title": title,
                "inbox": "" if inbox.endswith(PLACEHOLDER_DOMAIN) else inbox,
                "retention_days": settings.ENQUIRY_RETENTION_DAYS,
                "rate_limit": settings.ENQUIRY_RATE_LIMIT,
            },
        )

    view.__name__ = template.rsplit("/", 1)[-1].removesuffix(".html")
    return view


about = _page("directory/pages/about.html", _("About this directory"))
contact = _page("directory/pages/contact.html", _("Contact"))
privacy = _page("directory/pages/privacy.html", _("Privacy"))
accessibility = _page("directory/pages/accessibility.html", _("Accessibility statement"))
