"""Editorial status changes: draft → in review → published → archived.

Every change goes through these functions so that it is permission-checked,
saved one record at a time (django-simple-history writes a row with who and
why) and followed by a search refresh. Admin actions, the change form and
imports all call them; nothing publishes through `QuerySet.update()`.
"""

import contextlib
import datetime

from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory import caching, facets
from directory.models import PublicationStatus
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


def _apply(records, user, *, allowed_from, to, reason, required):
    """Move every record whose status is in `allowed_from` to `to`.

    Returns the records that changed; the others are left alone (publishing an
    already published record is not an error, it is simply not a change).
    """
    records = list(records)
    for model in {type(r) for r in records}:
        if not required(user, model):
            raise PermissionDenied(
                _("You do not have permission to change the status of %(models)s.")
                % {"models": model._meta.verbose_name_plural}
            )
    changed = []
    # A few records are judged one by one (their pages, the lists they are
    # on); a bulk action replaces every page once.
    judged = caching.coarse() if len(records) > BULK_RECORDS else contextlib.nullcontext()
    with judged, transaction.atomic(), facets.deferred():
        for record in records:
            if record.status not in allowed_from:
                continue
            record.status = to
            record._change_reason = str(reason)
            record._history_user = user
            record.save()
            changed.append(record)
    if changed:
        refresh_search_index(changed)
    return changed


def _transition(name, to, reason, required, allowed_from=None):
    """`name(records, user)`: moves the records whose status is in
    `allowed_from` (by default, any status but `to`) to `to`, for users
    `required` allows."""
    if allowed_from is None:
        allowed_from = set(Status) - {to}

    def transition(records, user):
        return _apply(
            records, user, allowed_from=allowed_from, to=to, reason=reason, required=required
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
publish = _transition("publish", Status.PUBLISHED, _("Published"), can_publish)
unpublish = _transition("unpublish", Status.DRAFT, _("Unpublished (back to draft)"), can_publish)
archive = _transition("archive", Status.ARCHIVED, _("Archived"), can_publish)


def mark_verified(records, user, on=None):
    records = list(records)
    for model in {type(r) for r in records}:
        if not can_edit(user, model):
            raise PermissionDenied(_("You do not have permission to verify these records."))
    on = on or timezone.localdate()
    with transaction.atomic():
        for record in records:
            record.last_verified_on = on
            record.verified_by = user
            record._change_reason = str(_("Marked as verified"))
            record._history_user = user
            record.save()
    return records


def guard_status(record, user, previous_status):
    """Keep a status the user may not set from reaching the database.

    Users without the publish permission cannot publish, archive or un-publish
    through a form, a crafted POST, a history revert or an import: new records
    start as drafts and existing ones keep the status they had.
    """
    if can_publish(user, type(record)):
        return
    if previous_status is None:
        if record.status not in (Status.DRAFT, Status.IN_REVIEW):
            record.status = Status.DRAFT
    elif record.status != previous_status:
        record.status = previous_status


def needs_review(queryset, today=None):
    """Published records due for a check: never verified, verified more than a
    year ago, or with an organisation or programme changed since they were."""
    today = today or timezone.localdate()
    model = queryset.model
    stale = Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=today - REVIEW_INTERVAL)
    for related in model.related_changes(since=OuterRef("last_verified_on")):
        stale |= Q(Exists(related))
    return queryset.filter(Q(status=Status.PUBLISHED) & stale)
