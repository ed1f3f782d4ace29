from django.contrib import admin
from django.urls import include, path

from directory import views

public = [
    path("", views.home, name="home"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("search/", views.search_page, name="search"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include((public, "directory"))),
    path("", include("programmes.urls")),
]
