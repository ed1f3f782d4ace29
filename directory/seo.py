"""What search engines and link previews read: the sitemap (every published
record in three languages, hreflang alternates, split into sections and
pages), robots.txt, the favicon, and per page a canonical URL (noindex for a
list filtered beyond one facet), a description and Open Graph tags.

The sitemap's sections come from the registry of kinds (`directory.kinds`),
so the core lists programmes, services and events without importing them.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from directory import kinds
from directory.i18n.languages import linked_query
from directory.models import SourceArticle

# Parameters that do not change what a list holds.
NOT_FILTERS = ("page", "sort", "more")


class RecordSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    languages = [code for code, _name in settings.LANGUAGES]
    # Each sitemap page holds this many URLs (records × languages), far
    # under the protocol's 50,000: a large kind is split into several pages.
    limit = 5000 // 3
    changefreq = "weekly"

    def __init__(self, model, published=True):
        self.model = model
        self.published = published

    def items(self):
        manager = self.model.objects
        queryset = manager.published() if self.published else manager.all()
        return queryset.only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


def sitemaps():
    found = {kind.plural: RecordSitemap(kind.model) for kind in kinds.all_kinds()}
    found["sources"] = RecordSitemap(SourceArticle)
    return found


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap_index"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /*/admin/",
        "Disallow: /language/",
        # Lists and searches narrowed by more than one value, and their
        # downloads: a list of one facet, or one search, is a page worth
        # finding; their combinations are endless and add nothing.
        "Disallow: /*?*&",
        "Disallow: /*results.csv",
        "Disallow: /*calendar.ics",
        "Allow: /api/",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


ICONS = Path(settings.BASE_DIR) / "static" / "icons"


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request):
    return FileResponse((ICONS / "favicon.ico").open("rb"), content_type="image/x-icon")


def page_meta(request):
    """Context: the page's canonical URL and whether robots should index it.

    A list filtered by one value at most, or a search for one query, is a
    page worth indexing, and is its own canonical (without page size or
    sort); one with more is `noindex`, its canonical the bare page. (A search
    that finds nothing says so itself: see the search view.)"""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {}
    filters = [
        (name, value)
        for name in request.GET
        if name not in NOT_FILTERS
        for value in request.GET.getlist(name)
    ]
    noindex = len(filters) > 1
    query = "?" + linked_query(request, filters) if len(filters) == 1 else ""
    return {
        "canonical_url": request.build_absolute_uri(request.path + ("" if noindex else query)),
        "robots_noindex": noindex,
        "og_locale": OG_LOCALES.get(get_language(), "en_GB"),
    }


OG_LOCALES = {"en": "en_GB", "zh-hans": "zh_CN", "zh-hant": "zh_HK"}
