"""The review queue on the admin index: per kind of record, how many wait for
a publisher and how many published ones are due for a check, each count
linking to the changelist filtered to those records."""

from django.contrib.auth import get_permission_codename
from django.urls import reverse

from directory import kinds, workflow
from directory.search import count_label

# Counting stops here ("1,000+"): the queue says how much work is waiting,
# the changelist pages through it, so the index never counts a whole table.
QUEUE_CAP = 1_000


def _capped_count(queryset):
    return queryset.order_by().values("pk")[:QUEUE_CAP].count()


def _changelist(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def review_queue(user):
    """One row per kind of record the user may see: two capped counts each,
    so the index runs two queries per kind whatever the number of records."""
    rows = []
    for kind in kinds.all_kinds():
        model = kind.model
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.{get_permission_codename('view', opts)}"):
            continue
        records = model._default_manager.all()
        in_review = _capped_count(records.filter(status=workflow.Status.IN_REVIEW))
        due = _capped_count(workflow.needs_review(records))
        url = _changelist(model)
        rows.append(
            {
                "label": opts.verbose_name_plural,
                "in_review": count_label(in_review, QUEUE_CAP),
                "in_review_url": f"{url}?status__exact={workflow.Status.IN_REVIEW}",
                "due": count_label(due, QUEUE_CAP),
                "due_url": f"{url}?needs_review=yes",
            }
        )
    return rows
