"""Keeping the facet index current on every write: each save, delete or
relation change refreshes the entries of the records it affects, in the same
transaction. The core handles organisations, regions and sectors; the apps
that register kinds of record connect their own models through the helpers
here (`track_previous`, `track_many_to_many`, `refresh_dependents_of_organisations`)."""

from collections import defaultdict

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from directory.facets.entries import refresh
from directory.facets.registry import MAINLAND, OPEN, model_for
from directory.models import FacetEntry, Organisation, Region, Sector

UID = "directory.facets"

# Model -> the fields whose values before a save decide what else to refresh.
_tracked = {}
# Many-to-many table -> (the model whose entries it feeds, what else to refresh).
_many_to_many = {}
# Functions returning {model: ids} of the records counting an organisation as
# a partner or provider: they are redone when it is published or moves.
_organisation_dependents = []


def track_previous(model, fields):
    _tracked[model] = tuple(fields)
    pre_save.connect(_stash_previous, sender=model, dispatch_uid=f"{UID}:pre:{model.__name__}")


def track_many_to_many(through, owner, then=None):
    """Changes to `through` refresh its `owner` records, then `then(ids)`."""
    _many_to_many[through] = (owner, then)


def refresh_dependents_of_organisations(dependents):
    _organisation_dependents.append(dependents)


def changed(instance, *fields):
    """Whether a save changed any of `fields` (tracked by `track_previous`)."""
    previous = getattr(instance, "_facet_previous", None)
    if previous is None:
        return True
    return any(previous[f] != getattr(instance, f) for f in fields)


def previous_value(instance, field):
    return (getattr(instance, "_facet_previous", None) or {}).get(field)


def affected_by_value(facet, value):
    """Records, by model, with an entry for this facet value."""
    found = defaultdict(set)
    values = [str(value)]
    if facet == "region":
        # Records open to firms from the region, and those whose "open to"
        # entries rest on where it sits in the tree.
        values += [f"{OPEN}{value}", f"{OPEN}{MAINLAND}"]
    rows = FacetEntry.objects.filter(
        facet__in=(facet, "active_in") if facet == "region" else (facet,), value__in=values
    ).values_list("kind", "record_id")
    for kind, record_id in rows:
        found[model_for(kind)].add(record_id)
    return found


def _refresh_all(found):
    for model, ids in found.items():
        refresh(model, ids)


def _stash_previous(sender, instance, **kwargs):
    # What the dependent records' entries rest on, before this save.
    if instance.pk:
        fields = _tracked[sender]
        instance._facet_previous = sender.objects.filter(pk=instance.pk).values(*fields).first()


def record_changed(sender, instance, **kwargs):
    refresh(type(instance), [instance.pk])


def _organisation_saved(sender, instance, **kwargs):
    refresh(Organisation, [instance.pk])
    if changed(instance, "status", "region_id"):
        # Others count it as a partner only while published, and its services
        # count where it is based.
        for dependents in _organisation_dependents:
            _refresh_all(dependents(instance))


def _region_saved(sender, instance, created, **kwargs):
    if not created and changed(instance, "parent_id"):
        _refresh_all(affected_by_value("region", instance.pk))


def _vocabulary_deleted(sender, instance, **kwargs):
    facet = "region" if sender is Region else "sector"
    _refresh_all(affected_by_value(facet, instance.pk))


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if sender not in _many_to_many:
        return
    owner, then = _many_to_many[sender]
    if action == "pre_clear" and reverse:
        column = sender._meta.get_field(owner._meta.model_name).column
        other = next(
            f for f in sender._meta.fields if f.is_relation and f.related_model is not owner
        )
        instance._facet_cleared = list(
            sender.objects.filter(**{other.attname: instance.pk}).values_list(column, flat=True)
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        ids = pk_set if action != "post_clear" else getattr(instance, "_facet_cleared", [])
    else:
        ids = [instance.pk]
    refresh(owner, ids)
    if then:
        then(list(ids))


def connect(signal, model, receiver):
    signal.connect(
        receiver, sender=model, dispatch_uid=f"{UID}:{receiver.__name__}:{model.__name__}"
    )


def connect_signals():
    track_previous(Organisation, ("status", "region_id"))
    track_previous(Region, ("parent_id",))
    track_many_to_many(Organisation.sectors.through, Organisation)
    connect(post_save, Organisation, _organisation_saved)
    connect(post_delete, Organisation, record_changed)
    connect(post_save, Region, _region_saved)
    connect(post_delete, Region, _vocabulary_deleted)
    connect(post_delete, Sector, _vocabulary_deleted)
    m2m_changed.connect(_m2m_changed, dispatch_uid=f"{UID}:m2m")
