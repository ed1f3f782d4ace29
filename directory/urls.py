from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from directory import seo
from directory.api import api
from directory.api.docs import api_docs
from directory.exports import organisation_csv
from directory.i18n.languages import switch_language
from directory.ratelimit import rate_limited
from directory.views import pages
from directory.views.enquiries import enquiry
from directory.views.lists import organisation_list
from directory.views.search import search_page
from directory.views.sources import source_detail
from programmes import api as programmes_api  # noqa: E402
from programmes import hsds  # noqa: E402

# The project's URL configuration: it alone wires the apps together. The home
# page and an organisation's page gather every kind of record, so they come
# from `programmes`, the app that defines those kinds; their names stay in the
# `directory` namespace that every template links to.
from programmes.views.home import home
from programmes.views.organisations import organisation_detail

# Password guessing: axes locks a username and address after five failures;
# this also caps how fast one address may post to the login form at all.
admin.site.login = rate_limited("login", methods=("POST",))(admin.site.login)

# Programmes, services and events join the core's API under /api/v1/.
api.add_router("", programmes_api.router)

public = [
    path("", home, name="home"),
    path("organisations/", organisation_list, name="organisation_list"),
    path("organisations/results.csv", organisation_csv, name="organisation_csv"),
    path("organisations/<slug:slug>/", organisation_detail, name="organisation_detail"),
    path("search/", search_page, name="search"),
    path("sources/<slug:slug>/", source_detail, name="source_detail"),
    path("ask/<str:kind>/<slug:slug>/", enquiry, name="enquiry"),
    path("about/", pages.about, name="about"),
    path("contact/", pages.contact, name="contact"),
    path("privacy/", pages.privacy, name="privacy"),
    path("accessibility/", pages.accessibility, name="accessibility"),
]

urlpatterns = [
    path("language/<str:language>/", switch_language, name="switch_language"),
    # Open data: not language-prefixed; texts follow ?lang= or Accept-Language.
    path("api/", api_docs, name="api_docs"),
    path("api/v1/", api.urls),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("favicon.ico", seo.favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": seo.sitemaps(), "sitemap_url_name": "sitemap_section"},
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": seo.sitemaps()},
        name="sitemap_section",
    ),
    path("api/hsds/", hsds.index, name="hsds_index"),
    path("api/hsds/hsds.zip", hsds.package, name="hsds_package"),
]
for _table in ("organizations", "programs", "services", "service_at_locations"):
    urlpatterns += [
        path(f"api/hsds/{_table}", hsds.table_list, {"table": _table}, name=f"hsds_{_table}"),
        path(f"api/hsds/{_table}/<str:id>", hsds.table_detail, {"table": _table}),
    ]
# English keeps the unprefixed URLs people already share; Chinese pages live
# under /zh-hans/ and /zh-hant/, the admin too.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include((public, "directory"))),
    path("", include("programmes.urls")),
    prefix_default_language=False,
)

handler500 = "directory.views.errors.server_error"
