from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from directory import views
from directory.i18n.languages import switch_language

public = [
    path("", views.home, name="home"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("search/", views.search_page, name="search"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
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
