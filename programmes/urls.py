from django.urls import path

from programmes import calendar, feeds
from programmes.views import details, exports, lists, start

app_name = "programmes"

urlpatterns = [
    path("start/", start.guided_start, name="start"),
    path("programmes/", lists.programme_list, name="programme_list"),
    path("programmes/results.csv", exports.programme_csv, name="programme_csv"),
    path("services/results.csv", exports.service_csv, name="service_csv"),
    path("events/results.csv", exports.event_csv, name="event_csv"),
    # Before the details: "feed" is also a well-formed slug.
    path("programmes/feed/", feeds.programme_feed, name="programme_feed"),
    path("services/feed/", feeds.service_feed, name="service_feed"),
    path("events/feed/", feeds.event_feed, name="event_feed"),
    path("events/calendar.ics", calendar.events_ics, name="event_list_ics"),
    path("events/<slug:slug>/calendar.ics", calendar.event_ics, name="event_ics"),
    path("programmes/<slug:slug>/", details.programme_detail, name="programme_detail"),
    path("services/", lists.service_list, name="service_list"),
    path("services/<slug:slug>/", details.service_detail, name="service_detail"),
    path("events/", lists.event_list, name="event_list"),
    path("events/<slug:slug>/", details.event_detail, name="event_detail"),
]
