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
    model = None
    filterset_class = None
    list_name = ""
    related = ()
    upcoming_only = False
    # Translated when a feed is asked for, in its request's language.
    title_text = ""
    subtitle_text = ""

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


class ProgrammeFeed(ListFeed):
    model = Programme
    filterset_class = ProgrammeFilterSet
    list_name = "programmes:programme_list"
    title_text = _("New and changed programmes")
    subtitle_text = _("Programmes of the cross-border innovation directory, latest changes first.")


class ServiceFeed(ListFeed):
    model = Service
    filterset_class = ServiceFilterSet
    list_name = "programmes:service_list"
    title_text = _("New and changed services")
    subtitle_text = _("Services of the cross-border innovation directory, latest changes first.")


class EventFeed(ListFeed):
    model = Event
    filterset_class = EventFilterSet
    list_name = "programmes:event_list"
    related = ("city",)
    upcoming_only = True
    title_text = _("Upcoming events")
    subtitle_text = _(
        "Upcoming events of the cross-border innovation directory, latest changes first."
    )
