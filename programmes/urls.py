from django.urls import path

from programmes.views import details, lists, start

app_name = "programmes"

urlpatterns = [
    path("start/", start.guided_start, name="start"),
    path("programmes/", lists.programme_list, name="programme_list"),
    path("programmes/<slug:slug>/", details.programme_detail, name="programme_detail"),
    path("services/", lists.service_list, name="service_list"),
    path("services/<slug:slug>/", details.service_detail, name="service_detail"),
    path("events/", lists.event_list, name="event_list"),
    path("events/<slug:slug>/", details.event_detail, name="event_detail"),
]
