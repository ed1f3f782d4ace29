"""Programmes, services and events in the facet index: their facets as SQL
over their relations, and the writes that move their counts."""

from django.db.models.signals import post_delete, post_save, pre_delete

from directory import facets
from directory.facets import ALL, Source
from directory.facets.registry import extend, table, year
from directory.facets.signals import connect, previous_value, record_changed
from directory.models import Organisation, Region
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service


def _tables():
    return {
        "org": table(Organisation),
        "programme": table(Programme),
        "programme_regions": table(Programme.regions.through),
        "programme_sectors": table(Programme.sectors.through),
        "programme_roles": table(ProgrammeOrganisation),
        "service": table(Service),
        "event": table(Event),
        "event_regions": table(Event.regions.through),
        "event_sectors": table(Event.sectors.through),
        "event_roles": table(EventOrganisation),
        "programme_open": table(Programme.open_to_regions.through),
        "service_open": table(Service.open_to_regions.through),
        "region": table(Region),
    }


def _open_to(alias, own_table, open_table, column):
    """SQL: (record_id, scope, region_id) of the published records (of
    `own_table` aliased `alias`) saying where the firms they take come from;
    Hong Kong scope is the Hong Kong region."""
    t = _tables()
    own = f"{own_table} {alias}"
    return (
        f"SELECT {alias}.id, {alias}.open_to_scope, CAST(NULL AS BIGINT) FROM {own} "
        f"WHERE {alias}.status = %s AND {alias}.open_to_scope IN ('mainland', 'anywhere') "
        f"{{only:{alias}.id}} "
        f"UNION ALL SELECT x.{column}, 'region', x.region_id FROM {open_table} x "
        f"JOIN {own} ON {alias}.id = x.{column} "
        f"WHERE {alias}.status = %s AND {alias}.open_to_scope = 'region' {{only:x.{column}}} "
        f"UNION ALL SELECT {alias}.id, 'region', r.id FROM {own} "
        f"JOIN {t['region']} r ON r.slug = 'hong-kong' "
        f"WHERE {alias}.status = %s AND {alias}.open_to_scope = 'hong_kong' {{only:{alias}.id}}"
    )


def programme_open_to():
    t = _tables()
    return _open_to("p", t["programme"], t["programme_open"], "programme_id")


def service_open_to():
    t = _tables()
    return _open_to("s", t["service"], t["service_open"], "service_id")


def programme_all_sectors():
    t = _tables()
    return (
        f"SELECT p.id FROM {t['programme']} p WHERE p.status = %s AND p.all_sectors {{only:p.id}}"
    )


def organisation_active_in():
    """Where an organisation is active: the regions of the published
    programmes it runs or partners in, and where its published events take
    place or the regions they serve (rolled up the region tree)."""
    t = _tables()
    published = "o.status = %s"
    return [
        (
            "active_in",
            True,
            True,
            f"SELECT x.organisation_id, pr.region_id FROM {t['programme_roles']} x "
            f"JOIN {t['org']} o ON o.id = x.organisation_id "
            f"JOIN {t['programme']} p ON p.id = x.programme_id "
            f"JOIN {t['programme_regions']} pr ON pr.programme_id = p.id "
            f"WHERE {published} AND p.status = %s {{only:x.organisation_id}} "
            f"UNION ALL SELECT x.organisation_id, e.city_id FROM {t['event_roles']} x "
            f"JOIN {t['org']} o ON o.id = x.organisation_id "
            f"JOIN {t['event']} e ON e.id = x.event_id "
            f"WHERE {published} AND e.status = %s AND e.city_id IS NOT NULL "
            "{only:x.organisation_id} "
            f"UNION ALL SELECT x.organisation_id, er.region_id FROM {t['event_roles']} x "
            f"JOIN {t['org']} o ON o.id = x.organisation_id "
            f"JOIN {t['event']} e ON e.id = x.event_id "
            f"JOIN {t['event_regions']} er ON er.event_id = e.id "
            f"WHERE {published} AND e.status = %s {{only:x.organisation_id}}",
        )
    ]


class _Records:
    """SQL selecting (record id, value) of the published records of a table,
    for the facets of their kind; `alias` names the table in the SQL, and
    `link_column` is the column pointing at the record from its link tables."""

    def __init__(self, alias, table, link_column):
        self.alias, self.link_column = alias, link_column
        self.own = f"{table} {alias}"

    def column(self, value, where="", join=""):
        """A value of the record's own row, or of the rows `join` adds, where
        the condition `where` holds."""
        a = self.alias
        own = f"{self.own} {join}" if join else self.own
        condition = f"{a}.status = %s AND {where}" if where else f"{a}.status = %s"
        return f"SELECT {a}.id, {value} FROM {own} WHERE {condition} {{only:{a}.id}}"

    def linked(self, links, value):
        """The `value` column of a link table (e.g. the regions a programme serves)."""
        a, x = self.alias, self.link_column
        return (
            f"SELECT x.{x}, x.{value} FROM {links} x "
            f"JOIN {self.own} ON {a}.id = x.{x} WHERE {a}.status = %s {{only:x.{x}}}"
        )

    def published_organisations(self, roles):
        """The published organisations holding a role (in `roles`) in the record."""
        a, x = self.alias, self.link_column
        return (
            f"SELECT x.{x}, x.organisation_id FROM {roles} x "
            f"JOIN {self.own} ON {a}.id = x.{x} "
            f"JOIN {_tables()['org']} o ON o.id = x.organisation_id "
            f"WHERE {a}.status = %s AND o.status = %s {{only:x.{x}}}"
        )


def programme_pairs():
    t = _tables()
    p = _Records("p", t["programme"], "programme_id")
    return [
        (ALL, False, False, p.column("''")),
        # Kind and lifecycle together, so that each can be counted under
        # a filter on the other from the totals alone.
        ("kind_status", False, False, p.column("p.kind || '|' || p.lifecycle")),
        ("region", True, False, p.linked(t["programme_regions"], "region_id")),
        ("sector", False, False, p.linked(t["programme_sectors"], "sector_id")),
        (
            "help",
            False,
            True,
            f"SELECT s.programme_id, s.category_id FROM {t['service']} s "
            f"JOIN {p.own} ON p.id = s.programme_id WHERE p.status = %s AND s.status = %s "
            "{only:s.programme_id}",
        ),
        ("organisation", False, False, p.published_organisations(t["programme_roles"])),
    ]


def service_pairs():
    t = _tables()
    services = _Records("s", t["service"], "service_id")
    provider = f"JOIN {t['org']} o ON o.id = s.provider_id"
    programme_regions = f"JOIN {t['programme_regions']} x ON x.programme_id = s.programme_id"
    return [
        (ALL, False, False, services.column("''")),
        ("help", False, False, services.column("s.category_id")),
        # Where the provider is based, or where its programme serves.
        (
            "region",
            True,
            True,
            services.column("o.region_id", "o.region_id IS NOT NULL", join=provider)
            + " UNION ALL "
            + services.column("x.region_id", join=programme_regions),
        ),
        # Its provider, when published.
        ("organisation", False, False, services.column("s.provider_id", "o.status = %s", provider)),
    ]


def event_pairs():
    t = _tables()
    events = _Records("e", t["event"], "event_id")
    return [
        (ALL, False, False, events.column("''")),
        ("kind", False, False, events.column("e.kind")),
        # Where it takes place, or the regions it serves.
        (
            "region",
            True,
            True,
            events.column("e.city_id", "e.city_id IS NOT NULL")
            + " UNION ALL "
            + events.linked(t["event_regions"], "region_id"),
        ),
        ("sector", False, False, events.linked(t["event_sectors"], "sector_id")),
        ("year", False, False, events.column(year("e.start_date"), "e.start_date IS NOT NULL")),
        ("organisation", False, False, events.published_organisations(t["event_roles"])),
    ]


# --- what a write affects -------------------------------------------------------


def _organisation_dependents(organisation):
    return {
        Programme: organisation.programme_roles.values_list("programme_id", flat=True),
        Event: organisation.event_roles.values_list("event_id", flat=True),
        Service: organisation.services.values_list("pk", flat=True),
    }


def _programme_deleting(sender, instance, **kwargs):
    # Its services lose their programme (SET_NULL, no signals) and its regions.
    instance._facet_services = list(instance.services.values_list("pk", flat=True))


def _programme_changed(sender, instance, **kwargs):
    facets.refresh(Programme, [instance.pk])
    facets.refresh(Service, getattr(instance, "_facet_services", ()))
    # Its organisations are active where it serves while it is published.
    facets.refresh(Organisation, _organisations_of(Programme, [instance.pk]))


def _organisations_of(model, ids):
    if model is Programme:
        roles = ProgrammeOrganisation.objects.filter(programme_id__in=ids)
    else:
        roles = EventOrganisation.objects.filter(event_id__in=ids)
    return list(roles.values_list("organisation_id", flat=True))


def _event_changed(sender, instance, **kwargs):
    record_changed(sender, instance, **kwargs)
    facets.refresh(Organisation, _organisations_of(Event, [instance.pk]))


def _service_changed(sender, instance, **kwargs):
    facets.refresh(Service, [instance.pk])
    # Its programme counts its kind of help while it is published.
    facets.refresh(Programme, [instance.programme_id, previous_value(instance, "programme_id")])


def _role_changed(sender, instance, **kwargs):
    facets.refresh(Organisation, [instance.organisation_id])
    if sender is ProgrammeOrganisation:
        facets.refresh(Programme, [instance.programme_id])
    else:
        facets.refresh(Event, [instance.event_id])


def _services_of_programmes(ids):
    # A service counts where its programme serves, and the programme's
    # organisations are active there.
    facets.refresh(
        Service, Service.objects.filter(programme_id__in=ids).values_list("pk", flat=True)
    )
    facets.refresh(Organisation, _organisations_of(Programme, ids))


def _organisations_of_events(ids):
    facets.refresh(Organisation, _organisations_of(Event, ids))


def register():
    facets.register(
        Source(
            kind="programme",
            model=Programme,
            pairs=programme_pairs,
            open_to=programme_open_to,
            all_sectors=programme_all_sectors,
        )
    )
    facets.register(
        Source(kind="service", model=Service, pairs=service_pairs, open_to=service_open_to)
    )
    extend("organisation", organisation_active_in)
    facets.register(
        Source(
            kind="event",
            model=Event,
            pairs=event_pairs,
            # Each entry of an event carries its last day (FacetEntry.until).
            until="COALESCE(ev.end_date, ev.start_date)",
        )
    )
    facets.refresh_dependents_of_organisations(_organisation_dependents)
    facets.track_previous(Service, ("programme_id",))
    facets.track_many_to_many(Programme.regions.through, Programme, then=_services_of_programmes)
    facets.track_many_to_many(Programme.sectors.through, Programme)
    facets.track_many_to_many(Programme.open_to_regions.through, Programme)
    facets.track_many_to_many(Service.open_to_regions.through, Service)
    facets.track_many_to_many(Event.regions.through, Event, then=_organisations_of_events)
    facets.track_many_to_many(Event.sectors.through, Event)
    connect(post_save, Programme, _programme_changed)
    connect(pre_delete, Programme, _programme_deleting)
    connect(post_delete, Programme, _programme_changed)
    connect(post_save, Service, _service_changed)
    connect(post_delete, Service, _service_changed)
    connect(post_save, Event, _event_changed)
    connect(post_delete, Event, _event_changed)
    connect(post_save, ProgrammeOrganisation, _role_changed)
    connect(post_delete, ProgrammeOrganisation, _role_changed)
    connect(post_save, EventOrganisation, _role_changed)
    connect(post_delete, EventOrganisation, _role_changed)
