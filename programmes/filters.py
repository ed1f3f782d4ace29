import datetime

import django_filters
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.filters import (
    PublicFilterSet,
    SlugsFilter,
    choice_facet,
    grouped_counts,
    region_facet,
    vocabulary_facet,
)
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service

PROGRAMME_REGIONS = Programme.regions.through
PROGRAMME_SECTORS = Programme.sectors.through
EVENT_REGIONS = Event.regions.through
EVENT_SECTORS = Event.sectors.through


def _sector_counts(through, owner_column, base):
    rows = through.objects.filter(**{f"{owner_column}__in": base.order_by().values("pk")})
    return grouped_counts(rows, "sector_id", owner_column)


class ProgrammeFilterSet(PublicFilterSet):
    region = SlugsFilter(method="filter_region")
    sector = SlugsFilter(method="filter_sector")
    help = SlugsFilter(method="filter_help")
    organisation = django_filters.CharFilter(method="filter_organisation")
    kind = SlugsFilter(method="filter_kind")
    status = SlugsFilter(method="filter_status")

    vocabulary_filters = {"region": "regions", "sector": "sectors", "help": "categories"}

    class Meta:
        model = Programme
        fields = []

    def filter_region(self, queryset, name, value):
        rows = PROGRAMME_REGIONS.objects.filter(region_id__in=self.region_ids())
        return queryset.filter(pk__in=rows.values("programme_id"))

    def filter_sector(self, queryset, name, value):
        rows = PROGRAMME_SECTORS.objects.filter(sector_id__in=self.selected_ids("sector"))
        return queryset.filter(pk__in=rows.values("programme_id"))

    def filter_help(self, queryset, name, value):
        services = Service.objects.published().filter(category_id__in=self.selected_ids("help"))
        return queryset.filter(pk__in=services.values("programme_id"))

    def filter_organisation(self, queryset, name, value):
        roles = ProgrammeOrganisation.objects.filter(
            organisation__slug=value, organisation__status="published"
        )
        return queryset.filter(pk__in=roles.values("programme_id"))

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind__in=value)

    def filter_status(self, queryset, name, value):
        return queryset.filter(lifecycle__in=value)

    region_pairs = (
        f"SELECT programme_id, region_id FROM {PROGRAMME_REGIONS._meta.db_table} "
        "WHERE programme_id IN ({ids})"
    )

    def facets(self, more):
        organisation = self.organisation_facet("programme_roles__programme", more)
        help_base = self.queryset_without("help")
        help_rows = Service.objects.published().filter(
            programme_id__in=help_base.order_by().values("pk")
        )
        # Kind and lifecycle are columns of the same table: one GROUP BY over
        # both, summed each way, gives both facets exactly.
        both = grouped_pairs(self.queryset_without("kind", "status"), "kind", "lifecycle")
        kinds, statuses = self.data.getlist("kind"), self.data.getlist("status")
        kind_counts, status_counts = {}, {}
        for (kind, lifecycle), n in both.items():
            if not statuses or lifecycle in statuses:
                kind_counts[kind] = kind_counts.get(kind, 0) + n
            if not kinds or kind in kinds:
                status_counts[lifecycle] = status_counts.get(lifecycle, 0) + n
        return [
            region_facet(self, self.region_pairs, more == "region"),
            vocabulary_facet(
                self,
                "sector",
                _("Sector"),
                "sectors",
                _sector_counts(PROGRAMME_SECTORS, "programme_id", self.queryset_without("sector")),
                more == "sector",
            ),
            vocabulary_facet(
                self,
                "help",
                _("Kind of help"),
                "categories",
                grouped_counts(help_rows, "category_id", "programme_id"),
                more == "help",
            ),
            choice_facet(self, "kind", _("Kind of programme"), kind_counts, Programme.Kind.choices),
            choice_facet(
                self, "status", _("Status"), status_counts, Programme.LifecycleStatus.choices
            ),
            organisation,
        ]


def grouped_pairs(queryset, first, second):
    rows = queryset.order_by().values(first, second).annotate(n=Count("pk"))
    return {(row[first], row[second]): row["n"] for row in rows}


class ServiceFilterSet(PublicFilterSet):
    help = SlugsFilter(method="filter_help")
    region = SlugsFilter(method="filter_region")
    organisation = django_filters.CharFilter(method="filter_organisation")

    vocabulary_filters = {"region": "regions", "help": "categories"}

    class Meta:
        model = Service
        fields = []

    def filter_help(self, queryset, name, value):
        return queryset.filter(category_id__in=self.selected_ids("help"))

    def filter_region(self, queryset, name, value):
        # Where the provider is based, or where the programme it belongs to serves.
        ids = self.region_ids()
        programmes = PROGRAMME_REGIONS.objects.filter(region_id__in=ids)
        return queryset.filter(
            Q(provider__region_id__in=ids) | Q(programme_id__in=programmes.values("programme_id"))
        )

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(provider__slug=value, provider__status="published")

    region_pairs = (
        f"SELECT s.id, o.region_id FROM {Service._meta.db_table} s "
        "JOIN directory_organisation o ON o.id = s.provider_id "
        "WHERE o.region_id IS NOT NULL AND s.id IN ({ids}) "
        f"UNION ALL SELECT s.id, pr.region_id FROM {Service._meta.db_table} s "
        f"JOIN {PROGRAMME_REGIONS._meta.db_table} pr ON pr.programme_id = s.programme_id "
        "WHERE s.id IN ({ids})"
    )

    def facets(self, more):
        organisation = self.organisation_facet("services", more)
        organisation.legend = _("Provider")
        return [
            vocabulary_facet(
                self,
                "help",
                _("Kind of help"),
                "categories",
                grouped_counts(self.queryset_without("help"), "category_id"),
                more == "help",
            ),
            region_facet(self, self.region_pairs, more == "region"),
            organisation,
        ]


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

    def filter_region(self, queryset, name, value):
        ids = self.region_ids()
        served = EVENT_REGIONS.objects.filter(region_id__in=ids)
        return queryset.filter(Q(city_id__in=ids) | Q(pk__in=served.values("event_id")))

    def filter_sector(self, queryset, name, value):
        rows = EVENT_SECTORS.objects.filter(sector_id__in=self.selected_ids("sector"))
        return queryset.filter(pk__in=rows.values("event_id"))

    def filter_organisation(self, queryset, name, value):
        roles = EventOrganisation.objects.filter(
            organisation__slug=value, organisation__status="published"
        )
        return queryset.filter(pk__in=roles.values("event_id"))

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind__in=value)

    def filter_when(self, queryset, name, value):
        today = timezone.localdate()
        if value == "upcoming":
            # An event that started but has not ended is still worth going to.
            return queryset.filter(Q(start_date__gte=today) | Q(end_date__gte=today))
        return queryset.filter(start_date__lt=today).filter(
            Q(end_date__isnull=True) | Q(end_date__lt=today)
        )

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

    region_pairs = (
        f"SELECT id, city_id FROM {Event._meta.db_table} "
        "WHERE city_id IS NOT NULL AND id IN ({ids}) "
        f"UNION ALL SELECT event_id, region_id FROM {EVENT_REGIONS._meta.db_table} "
        "WHERE event_id IN ({ids})"
    )

    def facets(self, more):
        organisation = self.organisation_facet("event_roles__event", more)
        years = grouped_counts(
            self.queryset_without("year").annotate(start_year=ExtractYear("start_date")),
            "start_year",
        )
        return [
            region_facet(self, self.region_pairs, more == "region"),
            vocabulary_facet(
                self,
                "sector",
                _("Sector"),
                "sectors",
                _sector_counts(EVENT_SECTORS, "event_id", self.queryset_without("sector")),
                more == "sector",
            ),
            choice_facet(
                self,
                "kind",
                _("Kind of event"),
                grouped_counts(self.queryset_without("kind"), "kind"),
                Event.Kind.choices,
            ),
            choice_facet(
                self,
                "year",
                _("Year"),
                {str(y): n for y, n in years.items()},
                {str(y): str(y) for y in years} | {y: y for y in self.data.getlist("year")},
            ),
            organisation,
        ]
