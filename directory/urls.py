from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from directory.i18n.languages import switch_language
from directory.views.enquiries import enquiry
from directory.views.lists import organisation_list
from directory.views.search import search_page
from directory.views.sources import source_detail

# The project's URL configuration: it alone wires the apps together. The home
# page and an organisation's page gather every kind of record, so they come
# from `programmes`, the app that defines those kinds; their names stay in the
# `directory` namespace that every template links to.
from programmes.views.home import home
from programmes.views.organisations import organisation_detail

public = [
    path("", home, name="home"),
    path("organisations/", organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", organisation_detail, name="organisation_detail"),
    path("search/", search_page, name="search"),
    path("sources/<slug:slug>/", source_detail, name="source_detail"),
    path("ask/<str:kind>/<slug:slug>/", enquiry, name="enquiry"),
]

urlpatterns = [
    path("language/<str:language>/", switch_language, name="switch_language"),
]
# English keeps the unprefixed URLs people already share; Chinese pages live
# under /zh-hans/ and /zh-hant/, the admin too.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include((public, "directory"))),
    path("", include("programmes.urls")),
    prefix_default_language=False,
)
