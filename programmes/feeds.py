"""Atom feeds of new and changed programmes and services, and of upcoming
events, for any filtered list: the list's URL + `feed/`, same parameters.

Entries are the 50 most recently changed records the list holds (its
FilterSet and search), newest change first; an event feed keeps upcoming
events only. Two queries per feed, whatever the data size.
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from directory.exports import filtered_records
from directory.forms import sanitise
from directory.i18n.translation import translate
from programmes.filters import EventFilterSet, ProgrammeFilterSet, ServiceFilterSet
from programmes.models import Event, Programme, Service

FEED_SIZE = 50


@dataclass
class FeedList:
    request: object
    query: str
    records: list


class ListFeed(Feed):
    feed_type = Atom1Feed

    def __init__(
        self,
        model,
        filterset_class,
        list_name,
        title_text,
        subtitle_text,
        *,
        related=(),
        upcoming_only=False,
    ):
        super().__init__()
        self.model = model
        self.filterset_class = filterset_class
        self.list_name = list_name
        # Translated when a feed is asked for, in its request's language.
        self.title_text = title_text
        self.subtitle_text = subtitle_text
        self.related = related
        self.upcoming_only = upcoming_only

    def title(self, obj):
        return str(self.title_text)

    def subtitle(self, obj):
        return str(self.subtitle_text)

    def get_object(self, request, *args, **kwargs):
        clean, _ignored = sanitise(request.GET, self.filterset_class.parameters)
        if self.upcoming_only:
            clean["when"] = "upcoming"
        records, clean, _filterset = filtered_records(
            request,
            queryset=self.model.objects.published(),
            filterset_class=self.filterset_class,
            related=self.related,
            clean=clean,
        )
        records = records.order_by("-updated_at", "-pk")[:FEED_SIZE]
        query = clean.urlencode()
        return FeedList(request, query, list(records))

    def items(self, obj):
        return obj.records

    def link(self, obj):
        return reverse(self.list_name) + (f"?{obj.query}" if obj.query else "")

    def feed_url(self, obj):
        return obj.request.get_full_path()

    def item_title(self, item):
        return str(translate(item, "name"))

    def item_description(self, item):
        field = "summary" if hasattr(item, "summary") else "description"
        return str(translate(item, field))

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return item.created_at


programme_feed = ListFeed(
    Programme,
    ProgrammeFilterSet,
    "programmes:programme_list",
    _("New and changed programmes"),
    _("Programmes of the cross-border innovation directory, latest changes first."),
)
service_feed = ListFeed(
    Service,
    ServiceFilterSet,
    "programmes:service_list",
    _("New and changed services"),
    _("Services of the cross-border innovation directory, latest changes first."),
)
event_feed = ListFeed(
    Event,
    EventFilterSet,
    "programmes:event_list",
    _("Upcoming events"),
    _("Upcoming events of the cross-border innovation directory, latest changes first."),
    related=("city",),
    upcoming_only=True,
)
