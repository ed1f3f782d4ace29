"""Which stored pages a committed write makes out of date.

Every model of the content apps whose rows appear on public pages is
registered here with what shows it: the lists (`lists`, sections such as
"programmes" or "home") and the record pages (`shown_on`: functions giving,
for a row, the ids of the records whose pages show it, by model). The core
registers organisations, source articles, citations and the vocabularies;
the apps that define other kinds register theirs in `AppConfig.ready()`.

A save is judged twice, on the row as it was (`pre_save`) and as it is once
the transaction commits, so that a record that moves (a service given to
another programme, a slug changed) leaves the pages that showed it as well as
those that now do; a delete is judged before it happens, while its relations
are still there; a link added is judged on both ends as committed, a link
removed on both ends before it goes. The tags found are replaced once the
transaction commits (a page rendered from the old rows in between could
otherwise be stored under the new generations); judging "as committed" then
too means a transaction of many writes to one record reads its pages once
per write at most, and none at all if it rolls back.

Coarse on purpose:
- a vocabulary change (a region, sector or kind of help renamed or moved)
  replaces everything: its labels are on every list's facets, the home page,
  the guided start and the pages of every record under it;
- `coarse()` (seed loads, imports, bulk status changes, `rebuild_facets`)
  replaces everything once at the end instead of judging every row;
- a model of the content apps that nobody registered replaces everything,
  so a new model is never served stale before it is thought about.
"""

import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.utils import translation

from directory.caching import tags as page_tags
from directory.models.base import PublicationStatus

# Apps whose records appear on public pages.
CONTENT_APPS = ("directory", "programmes")
# More record pages than this from one write (an organisation running 5,000
# programmes renamed) replace the section's `pages:` tag instead of naming each.
MAX_PAGES_NAMED = 500
UID = "directory.caching"
PUBLISHED = PublicationStatus.PUBLISHED


@dataclass
class Shown:
    lists: tuple = ()
    # {section: field attnames}: lists that show the row only through those
    # fields; a save that changes none of them leaves the list alone.
    lists_when: dict = field(default_factory=dict)
    # {section: field attnames}: lists that show the row through every field
    # but those; a save that changes only them leaves the list alone.
    lists_unless: dict = field(default_factory=dict)
    shown_on: list = field(default_factory=list)
    # Whether the model has a page of its own (a `slug` and `get_absolute_url`).
    has_page: bool = False
    everywhere: bool = False


_registry: dict = {}
_ignored: set = set()


def register(
    model,
    *,
    lists=(),
    lists_when=None,
    lists_unless=None,
    shown_on=None,
    has_page=False,
    everywhere=False,
):
    """`lists`: the sections whose lists any change of a published row may
    change; `lists_when`: {section: fields} for sections that show the row
    only through `fields` (the status always counts: publishing or
    unpublishing changes every list); `lists_unless`: {section: fields} for
    sections that show it through every field but `fields`."""
    _registry[model] = Shown(
        lists=tuple(lists),
        lists_when={
            section: frozenset({"status", *fields})
            for section, fields in (lists_when or {}).items()
        },
        lists_unless={
            section: frozenset(fields) - {"status"}
            for section, fields in (lists_unless or {}).items()
        },
        shown_on=[shown_on] if shown_on else [],
        has_page=has_page,
        everywhere=everywhere,
    )


def extend(model, shown_on):
    """More pages showing `model`'s rows, known to another app (an
    organisation is shown on the pages of the programmes it runs)."""
    _registry[model].shown_on.append(shown_on)


def ignore(*models):
    """Models of the content apps that no public page shows."""
    _ignored.update(models)


class _Coarse(threading.local):
    depth = 0


_coarse = _Coarse()


@contextmanager
def coarse(replace=True):
    """Writes inside replace everything once, at the end (after the commit if
    inside a transaction), instead of being judged row by row. A dry run that
    writes nothing passes `replace=False`."""
    _coarse.depth += 1
    try:
        yield
    finally:
        _coarse.depth -= 1
        if replace and not _coarse.depth:
            transaction.on_commit(bump_content_version)


def bump_content_version():
    """Every stored page is out of date (the `all` tag of every page)."""
    _replace({page_tags.EVERYTHING})


def _replace(tags):
    try:
        page_tags.replace(tags)
    except Exception:  # a cache outage must not turn a committed save into an error
        # (Also met by the first `migrate`, before the cache table exists.)
        from directory.caching import log_failure

        log_failure("Could not replace page generations; pages may be stale")


def later(tags):
    if tags:
        frozen = frozenset(tags)
        transaction.on_commit(lambda: _replace(frozen))


def judged_on_commit(judge):
    """Replaces the tags `judge()` finds once the transaction commits. The
    write has committed by then: if judging fails (the database gone in
    between), every page is replaced rather than any left stale, and the
    writer is not told of an error after the write was kept."""

    def replace():
        try:
            tags = judge()
        except Exception:
            from directory.caching import log_failure

            log_failure("Could not judge which pages a write changed; replacing all")
            tags = {page_tags.EVERYTHING}
        _replace(tags)

    transaction.on_commit(replace)


@lru_cache
def section_of(model):
    """The first path segment of the model's record pages ("programmes")."""
    with translation.override(settings.LANGUAGE_CODE):
        path = model(slug="x").get_absolute_url()
    return page_tags.page_tags(path)[1].split(":", 1)[1]


def record_tags(pages):
    """The tags of the record pages `pages` ({model: [ids, or querysets of ids]})."""
    found = set()
    for model, parts in pages.items():
        ids = set()
        for part in parts:
            ids.update(pk for pk in part if pk is not None)
        section = section_of(model)
        if len(ids) > MAX_PAGES_NAMED:
            found.add(f"pages:{section}")
            continue
        slugs = model._base_manager.filter(pk__in=ids).values_list("slug", flat=True)
        found.update(page_tags.record_tag(section, slug) for slug in (slugs if ids else ()))
    return found


def tags_of(instance, changed=None):
    """The tags of the pages that show `instance` as the database holds it
    now. `changed`: the fields a save changed, for the lists that show the
    row through some fields only (None: not known, as for a new or deleted
    row or a link; every list that shows it)."""
    model = type(instance)
    if _coarse.depth or model in _ignored or model.__name__.startswith(("Historical", "Facet")):
        return set()
    shown = _registry.get(model)
    if shown is None or shown.everywhere:
        return {page_tags.EVERYTHING}
    found = set()
    if getattr(instance, "status", PUBLISHED) == PUBLISHED:
        # Lists, counts, home and search hold published records only: a
        # draft that stays a draft changes none of them (a save is judged
        # before and after, so publishing or unpublishing does).
        found |= {page_tags.list_tag(section) for section in shown.lists}
        found |= lists_changed(shown, changed)
    if shown.has_page:
        found.add(page_tags.record_tag(section_of(model), instance.slug))
    pages = defaultdict(list)
    for shown_on in shown.shown_on:
        for other, ids in shown_on(instance).items():
            pages[other].append(ids)
    return found | record_tags(pages)


def lists_changed(shown, changed):
    """The tags of the `lists_when` and `lists_unless` sections that a
    change of `changed` touches."""
    when = [s for s, fields in shown.lists_when.items() if changed is None or changed & fields]
    unless = [s for s, fields in shown.lists_unless.items() if changed is None or changed - fields]
    return {page_tags.list_tag(section) for section in (*when, *unless)}


def _values(row):
    return {f.attname: f.value_from_object(row) for f in row._meta.concrete_fields}


def _judged(sender):
    return sender._meta.app_label in CONTENT_APPS and not _coarse.depth


def _before_save(sender, instance, raw=False, **kwargs):
    if not _judged(sender) or instance.pk is None:
        return
    shown = _registry.get(sender)
    if shown is None or shown.everywhere:
        return
    before = sender._base_manager.filter(pk=instance.pk).first()
    if before is not None:
        # The lists that show the row through some fields only are judged
        # once committed, when what changed is known.
        instance._page_tags_before = (tags_of(before, changed=frozenset()), _values(before))


def _after_save(sender, instance, **kwargs):
    if _judged(sender):
        before = instance.__dict__.pop("_page_tags_before", None)
        pk = instance.pk
        judged_on_commit(lambda: _tags_now(sender, pk, before))


def _tags_now(model, pk, before=None):
    """The tags of row `pk` as committed (none if it is gone), and of the
    row `before` the save ((tags, field values); None for a new row): judged
    once, after the last write of the transaction, not after each of them (a
    record saved, linked and saved again in one request is looked at once)."""
    row = model._base_manager.filter(pk=pk).first()
    if before is None:
        return tags_of(row) if row is not None else set()
    tags_before, values_before = before
    if row is None:
        return tags_before | lists_changed(_registry[model], None)
    values = _values(row)
    changed = frozenset(name for name, value in values.items() if values_before.get(name) != value)
    found = tags_before | tags_of(row, changed)
    if values_before.get("status", PUBLISHED) == PUBLISHED:
        # Published before: the lists it left or changed on.
        found |= lists_changed(_registry[model], changed)
    return found


def _before_delete(sender, instance, **kwargs):
    # While its relations are still there to say who shows it.
    if _judged(sender):
        later(tags_of(instance))


def _members(through, instance, model):
    """Ids of the `model` rows `instance` is linked to through `through`."""
    own = [f for f in through._meta.fields if f.is_relation and f.related_model is type(instance)]
    other = [f for f in through._meta.fields if f.is_relation and f.related_model is model]
    if len(own) != 1 or len(other) != 1 or own == other:
        return None
    return list(
        through._base_manager.filter(**{own[0].attname: instance.pk}).values_list(
            other[0].attname, flat=True
        )
    )


def _end_tags(end):
    """Tags of the pages showing one end of a link. A vocabulary end shows
    only on the other end's pages (tagging a programme with a sector changes
    the programme's pages, not every page that names the sector)."""
    shown = _registry.get(type(end))
    return set() if shown is not None and shown.everywhere else tags_of(end)


def _linked_tags(instance, model, ids):
    """Tags of the pages showing `instance` (if any) or any of the `model`
    rows `ids`: a link shows on both ends."""
    found = _end_tags(instance) if instance is not None else set()
    for end in model._base_manager.filter(pk__in=ids):
        found |= _end_tags(end)
    return found


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not _judged(type(instance)):
        return
    # A link shows on pages of its two ends. Adding one only adds pages that
    # show it: the ends are judged once, as committed. Removing one only
    # takes pages away: the ends are judged before, while the link is there.
    if action == "pre_clear":
        members = _members(sender, instance, model)
        later({page_tags.EVERYTHING} if members is None else _linked_tags(instance, model, members))
    elif action == "pre_remove":
        later(_linked_tags(instance, model, pk_set or ()))
    elif action == "post_add":
        ends = (type(instance), instance.pk, model, frozenset(pk_set or ()))
        judged_on_commit(lambda: _linked_tags_now(*ends))


def _linked_tags_now(instance_model, pk, model, ids):
    row = instance_model._base_manager.filter(pk=pk).first()
    return _linked_tags(row, model, ids)


def connect_signals():
    for app_label in CONTENT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            uid = f"{UID}:{model._meta.label}"
            pre_save.connect(_before_save, sender=model, dispatch_uid=uid + ":pre_save")
            post_save.connect(_after_save, sender=model, dispatch_uid=uid + ":save")
            pre_delete.connect(_before_delete, sender=model, dispatch_uid=uid + ":delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid=f"{UID}:m2m")
