"""Editorial status changes: draft → in review → published → archived.

Every change goes through these functions so that it is permission-checked,
saved one record at a time (django-simple-history writes a row with who and
why) and followed by a search refresh. Admin actions, the change form and
imports all call them; nothing publishes through `QuerySet.update()`, and no
form posts a status.

Each record is read again, locked, inside the transaction, and only the
fields the change is about are written: a record object loaded before
someone else saved it (a stale changelist, a long-open form) cannot write
their edits back over. Publishing needs a source: a citation whose quote is
in its article, or a staff confirmation.
"""

import contextlib
import datetime

from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from directory import caching, facets
from directory.models import Citation, PublicationStatus, Publishable, StaffConfirmation
from directory.search import refresh_search_index

# A published record nobody has checked for this long is due for review.
REVIEW_INTERVAL = datetime.timedelta(days=365)

Status = PublicationStatus
# More records than this in one status change invalidate the whole page cache.
BULK_RECORDS = 20


def _perm(model, action):
    opts = model._meta
    return f"{opts.app_label}.{get_permission_codename(action, opts)}"


def can_publish(user, model):
    return user.has_perm(_perm(model, "publish"))


def can_edit(user, model):
    return user.has_perm(_perm(model, "change"))


class Unsourced(ValidationError):
    """Publishing refused: the records named have no source."""

    def __init__(self, records):
        self.records = list(records)
        names = ", ".join(f"“{record}”" for record in self.records)
        super().__init__(
            format_lazy(
                "{} {}",
                _("Not published: %(records)s has no citation whose quote is found in its article, "
                  "and no staff confirmation.") % {"records": names},
                _("Add a citation (or record who confirmed the facts), then publish."),
            )
        )  # fmt: skip


def _content_type_of(record):
    # By natural key, so the check costs the same with a cold ContentType cache.
    meta = record._meta
    return {"content_type__app_label": meta.app_label, "content_type__model": meta.model_name}


def has_source(record):
    """Whether `record` may be published: one of its citations quotes its
    article word for word, or staff recorded a confirmation of it. A source
    article is a source itself and needs none."""
    if not isinstance(record, Publishable):
        return True
    if record.pk is None:
        return False
    lookup = {**_content_type_of(record), "object_id": record.pk}
    citations = Citation.objects.filter(**lookup).select_related("article")
    if any(citation.quote_found for citation in citations):
        return True
    return StaffConfirmation.objects.filter(**lookup).exists()


def _check_permission(records, user, required):
    for model in {type(r) for r in records}:
        if not required(user, model):
            raise PermissionDenied(
                _("You do not have permission to change the status of %(models)s.")
                % {"models": model._meta.verbose_name_plural}
            )


def _locked(records):
    """The current rows of `records`, locked until the transaction ends, in
    the order given (missing ones left out)."""
    by_model = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record.pk)
    fresh = {
        model: model._default_manager.select_for_update().in_bulk(pks)
        for model, pks in by_model.items()
    }
    return [
        (record, fresh[type(record)][record.pk])
        for record in records
        if record.pk in fresh[type(record)]
    ]


def _write(current, stale, user, reason, fields):
    """Save `fields` of the locked `current` row (history gets who and why),
    and show the change on the caller's own object too."""
    current._change_reason = str(reason)
    current._history_user = user
    current.save(update_fields=[*fields, "updated_at"])
    for name in fields:
        setattr(stale, name, getattr(current, name))


def _apply(records, user, *, allowed_from, to, reason, required, check=None):
    """Move every record whose status is in `allowed_from` to `to`.

    Returns the records that changed; the others are left alone (publishing an
    already published record is not an error, it is simply not a change).
    `check(record)` must hold for every record that would change, else
    nothing changes and `Unsourced` names the ones that failed.
    """
    records = list(records)
    _check_permission(records, user, required)
    changed = []
    # A few records are judged one by one (their pages, the lists they are
    # on); a bulk action replaces every page once.
    judged = caching.coarse() if len(records) > BULK_RECORDS else contextlib.nullcontext()
    with judged, transaction.atomic(), facets.deferred():
        moving = [(r, current) for r, current in _locked(records) if current.status in allowed_from]
        refused = [current for _r, current in moving if check and not check(current)]
        if refused:
            raise Unsourced(refused)
        for record, current in moving:
            current.status = to
            _write(current, record, user, reason, ["status"])
            changed.append(current)
    if changed:
        refresh_search_index([r for r in changed if isinstance(r, Publishable)])
    return changed


def _transition(name, to, reason, required, allowed_from=None, check=None):
    """`name(records, user)`: moves the records whose status is in
    `allowed_from` (by default, any status but `to`) to `to`, for users
    `required` allows."""
    if allowed_from is None:
        allowed_from = set(Status) - {to}

    def transition(records, user):
        return _apply(
            records,
            user,
            allowed_from=allowed_from,
            to=to,
            reason=reason,
            required=required,
            check=check,
        )

    # Admin actions take the transition's name.
    transition.__name__ = transition.__qualname__ = name
    return transition


# Review is asked for drafts only; the other moves start from any other status.
submit_for_review = _transition(
    "submit_for_review",
    Status.IN_REVIEW,
    _("Submitted for review"),
    can_edit,
    allowed_from={Status.DRAFT},
)
publish = _transition("publish", Status.PUBLISHED, _("Published"), can_publish, check=has_source)
unpublish = _transition("unpublish", Status.DRAFT, _("Unpublished (back to draft)"), can_publish)
archive = _transition("archive", Status.ARCHIVED, _("Archived"), can_publish)


def mark_verified(records, user, on=None):
    records = list(records)
    for model in {type(r) for r in records}:
        if not can_edit(user, model):
            raise PermissionDenied(_("You do not have permission to verify these records."))
    on = on or timezone.localdate()
    verified = []
    with transaction.atomic():
        for record, current in _locked(records):
            current.last_verified_on = on
            current.verified_by = user
            _write(
                current, record, user, _("Marked as verified"), ["last_verified_on", "verified_by"]
            )
            verified.append(current)
    return verified


def guard_status(record, user, previous_status):
    """Keep a status the user may not set from reaching the database (an
    import's status column, the one place a status comes from a file).

    Users without the publish permission cannot publish, archive or un-publish
    through an import: new records start as drafts and existing ones keep the
    status they had. A record imported as published needs a source already
    (raises `Unsourced`), as publishing by action or form does.
    """
    if not can_publish(user, type(record)):
        if previous_status is None:
            if record.status not in (Status.DRAFT, Status.IN_REVIEW):
                record.status = Status.DRAFT
        elif record.status != previous_status:
            record.status = previous_status
    if (
        record.status == Status.PUBLISHED
        and previous_status != Status.PUBLISHED
        and not has_source(record)
    ):
        raise Unsourced([record])


def needs_review(queryset, today=None):
    """Published records due for a check: never verified, verified more than a
    year ago, or with an organisation or programme changed since they were."""
    today = today or timezone.localdate()
    model = queryset.model
    stale = Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=today - REVIEW_INTERVAL)
    for related in model.related_changes(since=OuterRef("last_verified_on")):
        stale |= Q(Exists(related))
    return queryset.filter(Q(status=Status.PUBLISHED) & stale)
