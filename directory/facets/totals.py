"""Moving stored counts (`FacetTotal`, `UpcomingTotal`) by a difference."""

from collections import defaultdict

from django.db.models import F, Q


def move_counts(model, kind, delta):
    """Adds each {(facet, value): n} of `delta` to `model`'s counts of `kind`,
    creating the rows it lacks: one UPDATE per distinct step."""
    delta = {key: n for key, n in delta.items() if n}
    if not delta:
        return
    model.objects.bulk_create(
        [model(kind=kind, facet=f, value=v, n=0) for f, v in delta],
        ignore_conflicts=True,
    )
    by_step = defaultdict(list)
    for (facet, value), n in delta.items():
        by_step[n].append(Q(facet=facet, value=value))
    for n, keys in by_step.items():
        condition = Q()
        for key in keys:
            condition |= key
        model.objects.filter(condition, kind=kind).update(n=F("n") + n)
