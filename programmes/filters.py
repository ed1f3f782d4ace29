import datetime

import django_filters
from django.db.models import Min, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.filters import (
    PublicFilterSet,
    SlugsFilter,
    choice_facet,
    region_facet,
    vocabulary_facet,
)
from directory.filters.methods import by_entries, by_organisation, by_values
from programmes.models import (
    Event,
    EventOrganisation,
    Programme,
    ProgrammeOrganisation,
    Service,
    first_day,
    last_day,
)


def upcoming(events, today):
    """Events that start today or later, or started and have not ended."""
    return events.alias(last_day=last_day()).filter(last_day__gte=today)


def from_first_upcoming(events, today):
    """Upcoming `events`, bounded below by the earliest first day of any
    upcoming event: a bound that keeps every one of them, and lets the
    soonest-first list be read in index order (event_status_first_day) from
    there, 20 rows for a page, instead of every upcoming event read and
    sorted. The earliest comes from the last-day index (GROUP BY keeps it
    from being turned into a walk of the first-day index)."""
    earliest = (
        upcoming(Event.objects.published(), today)
        .order_by()
        .values("status")
        .annotate(earliest=Min(first_day()))
        .values("earliest")
    )
    return (
        upcoming(events, today)
        .alias(first_day=first_day())
        .filter(first_day__gte=Subquery(earliest))
    )


def past(events, today):
    """Events whose last day is before today."""
    return events.filter(start_date__lt=today).filter(
        Q(end_date__isnull=True) | Q(end_date__lt=today)
    )


def undated(events):
    """Events no source gives a date for: neither Upcoming nor Past, so a
    choice of their own keeps them findable."""
    return events.filter(start_date__isnull=True, end_date__isnull=True)


def latest_past(events, today, size=5):
    """The most recent past events, newest first: what a page shows when
    nothing is upcoming (the start-date index, read backwards from today)."""
    return past(events, today).order_by("-start_date", "name", "pk")[:size]


class ProgrammeFilterSet(PublicFilterSet):
    region = SlugsFilter(method="filter_region")
    sector = SlugsFilter(method="filter_sector")
    help = SlugsFilter(method="filter_help")
    organisation = django_filters.CharFilter(method="filter_organisation")
    kind = SlugsFilter(method="filter_kind")
    status = SlugsFilter(method="filter_status")

    vocabulary_filters = {"region": "regions", "sector": "sectors", "help": "categories"}
    # The GET parameters the list takes (`directory.forms.sanitise`), shared
    # by the HTML list, its downloads and feeds, and the JSON API.
    parameters = {
        "q": "text",
        "region": "slugs",
        "sector": "slugs",
        "help": "slugs",
        "organisation": "slug",
        "kind": list(Programme.Kind.values),
        "status": list(Programme.LifecycleStatus.values),
    }

    class Meta:
        model = Programme
        fields = []

    filter_region = by_entries("region")
    filter_sector = by_entries("sector")
    # Programmes with a published service of that kind of help.
    filter_help = by_entries("help")
    filter_organisation = by_organisation(ProgrammeOrganisation, "programme_id")
    filter_kind = by_values("kind")
    filter_status = by_values("lifecycle")

    facet_kind = "programme"
    total_facets = ("region", "sector", "help", "kind_status")
    facet_filters = {"kind_status": ("kind", "status")}
    entry_filters = ("region", "sector", "help")

    def facets(self, more):
        organisation = self.organisation_facet(more)
        # Kind and lifecycle are counted as pairs, summed each way: each facet
        # counts under the other's filter from one set of counts.
        both = self.facet_counts("kind_status")
        kinds, statuses = self.data.getlist("kind"), self.data.getlist("status")
        kind_counts, status_counts = {}, {}
        for pair, n in both.items():
            kind, _sep, lifecycle = pair.partition("|")
            if not statuses or lifecycle in statuses:
                kind_counts[kind] = kind_counts.get(kind, 0) + n
            if not kinds or kind in kinds:
                status_counts[lifecycle] = status_counts.get(lifecycle, 0) + n
        return [
            region_facet(self, more == "region"),
            vocabulary_facet(self, "sector", _("Sector"), "sectors", more == "sector"),
            vocabulary_facet(self, "help", _("Kind of help"), "categories", more == "help"),
            choice_facet(self, "kind", _("Kind of programme"), kind_counts, Programme.Kind.choices),
            choice_facet(
                self, "status", _("Status"), status_counts, Programme.LifecycleStatus.choices
            ),
            organisation,
        ]


class ServiceFilterSet(PublicFilterSet):
    help = SlugsFilter(method="filter_help")
    region = SlugsFilter(method="filter_region")
    organisation = django_filters.CharFilter(method="filter_organisation")

    vocabulary_filters = {"region": "regions", "help": "categories"}
    parameters = {"q": "text", "help": "slugs", "region": "slugs", "organisation": "slug"}

    class Meta:
        model = Service
        fields = []

    def filter_help(self, queryset, name, value):
        return queryset.filter(category_id__in=self.selected_ids("help"))

    # Where the provider is based, or where the programme it belongs to serves.
    filter_region = by_entries("region")

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(provider__slug=value, provider__status="published")

    facet_kind = "service"
    total_facets = ("help", "region")
    entry_filters = ("region",)

    def facets(self, more):
        organisation = self.organisation_facet(more)
        organisation.legend = _("Provider")
        return [
            vocabulary_facet(self, "help", _("Kind of help"), "categories", more == "help"),
            region_facet(self, more == "region"),
            organisation,
        ]


# Upcoming or past by an event's last day; "undated" for those no source dates.
WHEN_CHOICES = ("upcoming", "past", "undated")


class EventFilterSet(PublicFilterSet):
    region = SlugsFilter(method="filter_region")
    sector = SlugsFilter(method="filter_sector")
    organisation = django_filters.CharFilter(method="filter_organisation")
    kind = SlugsFilter(method="filter_kind")
    when = django_filters.CharFilter(method="filter_when")
    date_from = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(method="filter_to")
    year = SlugsFilter(method="filter_year")

    vocabulary_filters = {"region": "regions", "sector": "sectors"}
    parameters = {
        "q": "text",
        "region": "slugs",
        "sector": "slugs",
        "organisation": "slug",
        "kind": list(Event.Kind.values),
        "when": WHEN_CHOICES,
        "from": "date",
        "to": "date",
        "year": "years",
    }

    class Meta:
        model = Event
        fields = []

    def __init__(self, data, queryset, vocab):
        # `from` is a Python keyword, so the filters carry other names.
        data = data.copy()
        for param, name in (("from", "date_from"), ("to", "date_to")):
            if param in data:
                data[name] = data.pop(param)[-1]
        super().__init__(data, queryset, vocab)

    # Where it takes place, or the regions it serves.
    filter_region = by_entries("region")
    filter_sector = by_entries("sector")
    filter_organisation = by_organisation(EventOrganisation, "event_id")
    filter_kind = by_values("kind")

    def filter_when(self, queryset, name, value):
        today = timezone.localdate()
        if value == "upcoming":
            # An event that started but has not ended is still worth going to.
            return from_first_upcoming(queryset, today)
        if value == "undated":
            return undated(queryset)
        return past(queryset, today)

    def prepared_filtering(self):
        # "Upcoming" alone, the list home links to: from today.
        if self.active_filters() == [("when", "upcoming")]:
            return from_first_upcoming, (timezone.localdate(),), ()
        return super().prepared_filtering()

    def filter_to(self, queryset, name, value):
        return queryset.filter(start_date__lte=value)

    def filter_year(self, queryset, name, value):
        years = [int(y) for y in value]
        bounds = Q()
        for year in years:
            bounds |= Q(
                start_date__gte=datetime.date(year, 1, 1),
                start_date__lte=datetime.date(year, 12, 31),
            )
        return queryset.filter(bounds)

    facet_kind = "event"
    total_facets = ("region", "sector", "kind", "year")
    entry_filters = ("region", "sector")

    def entries_until(self, *excluded):
        # "Upcoming" is the one filter besides those of the facet index that
        # the entries serve: each event's entries carry its last day.
        others = [
            (name, value)
            for name, value in self.active_filters()
            if name not in excluded and name not in self.entry_filters
        ]
        return timezone.localdate() if others == [("when", "upcoming")] else None

    def facets(self, more):
        organisation = self.organisation_facet(more)
        years = self.facet_counts("year")
        return [
            region_facet(self, more == "region"),
            vocabulary_facet(self, "sector", _("Sector"), "sectors", more == "sector"),
            choice_facet(
                self, "kind", _("Kind of event"), self.facet_counts("kind"), Event.Kind.choices
            ),
            choice_facet(
                self,
                "year",
                _("Year"),
                years,
                {y: y for y in years} | {y: y for y in self.data.getlist("year")},
            ),
            organisation,
        ]
