from django.db.models import Min, Q, Subquery
from django.shortcuts import render
from django.utils import timezone

from directory import facets
from directory.caching import query_parameters
from directory.filters import Vocabulary
from directory.models import FacetTotal
from directory.prepared import prepared
from programmes.filters import latest_past, upcoming
from programmes.models import Event, Programme, Service
from programmes.views.details import EVENT_ITEM_COLUMNS, LINK_COLUMNS


@query_parameters()
def home(request):

    vocab = Vocabulary.load()
    found = _counts()
    totals, programmes_by = {}, {"region": {}, "sector": {}, "help": {}}
    for kind, facet, value, n in found:
        if facet == facets.ALL:
            totals[kind] = n
        else:
            programmes_by[facet][value] = n
    # Records open to firms from a region or to every sector count there too,
    # as the lists' filters find them.
    programmes_by["region"] = vocab.fold_regions(programmes_by["region"])
    every = programmes_by["sector"].pop(facets.ANY_SECTOR, 0)
    programmes_by["sector"] = {
        pk: programmes_by["sector"].get(str(pk), 0) + every for pk in vocab.sectors
    }
    programmes_by["help"] = {int(v): n for v, n in programmes_by["help"].items()}
    # Entry points: the top two levels of the tree (countries, SARs and
    # provinces), the largest first.
    shallow = {
        pk
        for pk, term in vocab.regions.items()
        if term.parent_id is None or vocab.regions[term.parent_id].parent_id is None
    }
    today = timezone.localdate()
    context = {
        "totals": {
            name: totals.get(kind, 0)
            for name, kind in (
                ("programmes", "programme"),
                ("organisations", "organisation"),
                ("services", "service"),
                ("events", "event"),
            )
        },
        "regions": _largest(
            {pk: n for pk, n in programmes_by["region"].items() if pk in shallow}, vocab.regions
        ),
        "sectors": _largest(programmes_by["sector"], vocab.sectors),
        "helps": _largest(programmes_by["help"], vocab.categories),
        **events_box(today),
        "recent_programmes": _recent_programmes(),
        "recent_services": _recent_services(),
    }
    return render(request, "directory/home.html", context)


@prepared
def _counts():
    """Every count on the page, from the facet totals: one query, two ranges
    of the (kind, facet, value) index (without the kinds, the first part
    read the whole index)."""
    return FacetTotal.objects.filter(
        Q(kind__in=("programme", "organisation", "service", "event"), facet=facets.ALL)
        | Q(kind="programme", facet__in=("region", "sector", "help")),
        n__gt=0,
    ).values_list("kind", "facet", "value", "n")


# What changed lately among what a firm can act on: agreements (the least
# actionable records) stay in the lists. Links under their names: only what
# a link reads (not the search text and long descriptions in three
# languages of each).
@prepared
def _recent_programmes():
    return (
        Programme.objects.published()
        .exclude(kind=Programme.Kind.AGREEMENT)
        .only(*LINK_COLUMNS, "kind")
        .order_by("-updated_at", "-pk")[:6]
    )


@prepared
def _recent_services():
    return (
        Service.objects.published()
        .select_related("provider")
        .only(*LINK_COLUMNS, "provider", *(f"provider__{c}" for c in LINK_COLUMNS))
        .order_by("-updated_at", "-pk")[:6]
    )


def events_box(today, size=5):
    """The home page's events (templates/includes/events_box.html): the next
    few, or when none is upcoming, the latest past ones, so the box says so
    rather than looking empty (a second query only then)."""
    found = _soonest_events(today, size=size)
    if found:
        return {"upcoming": found, "latest_past": []}
    return {"upcoming": [], "latest_past": _latest_past_events(today, size=size)}


def _box_events():
    return Event.objects.published().only(*EVENT_ITEM_COLUMNS, "city").select_related("city")


@prepared
def _soonest_events(today, *, size):
    return soonest(upcoming(_box_events(), today)).order_by("start_date", "name")[:size]


@prepared
def _latest_past_events(today, *, size):
    return latest_past(_box_events(), today, size)


def soonest(events):
    """`events` from the earliest start among them on, for a soonest-first box.

    Without the bound PostgreSQL reads the start-date index from the oldest
    event and skips every past one (tens of thousands) to find the first few;
    the earliest start comes from the last-day index (GROUP BY keeps it from
    being turned into that same walk). An event with no start date has no
    place in a soonest-first box.
    """
    first = events.order_by().values("status").annotate(first=Min("start_date")).values("first")
    return events.filter(start_date__gte=Subquery(first))


def _largest(counts, terms, size=12):
    found = [(terms[pk], n) for pk, n in counts.items() if pk in terms and n]
    return sorted(found, key=lambda pair: (-pair[1], pair[0].name))[:size]
