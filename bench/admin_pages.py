"""Admin changelists at full size: time and SQL queries of each, signed in.

Rendered in this process through the test client (as the public pages'
single renderings are), each a few times, keeping the median: the budget is
a staff member's wait for one page, not a throughput.
"""

import statistics
import time

RENDERINGS = 5
BENCH_USER = "bench-admin"


def changelist_targets():
    """(name, path) of each main changelist: unfiltered, filtered, searched, sorted."""
    from django.urls import reverse

    from directory.models import Citation, Organisation, Region
    from programmes.models import Event, Programme, Service

    province = Region.objects.filter(kind=Region.Kind.PROVINCE).order_by("pk").first()
    rare = (
        Programme.objects.exclude(short_name="").order_by("pk").values_list("short_name", flat=True)
    )[0]

    def url(model):
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    targets = []
    for model in (Programme, Organisation, Service, Event):
        base = url(model)
        targets += [
            (f"{model._meta.model_name}s", base),
            (
                f"{model._meta.model_name}s published, by region",
                f"{base}?status__exact=published&region={province.slug}",
            ),
            (f"{model._meta.model_name}s search", f"{base}?q={rare}"),
            (f"{model._meta.model_name}s page 200", f"{base}?p=200"),
        ]
    targets.append(("citations", url(Citation)))
    targets.append(("citations search", f"{url(Citation)}?q={rare}"))
    return targets


def measure_changelists():
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    user, _created = get_user_model().objects.get_or_create(
        username=BENCH_USER, defaults={"is_staff": True, "is_superuser": True}
    )
    rows = []
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(user)
        for name, path in changelist_targets():
            client.get(path)  # per-process caches filled, as on a running server
            timings, queries, status = [], 0, None
            for _ in range(RENDERINGS):
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
                # The session and the signed-in user are read on every admin
                # request; the changelist's own are the rest.
                queries = len(captured.captured_queries)
                status = response.status_code
            rows.append(
                {
                    "name": name,
                    "path": path,
                    "status": status,
                    "median_ms": round(statistics.median(timings), 1),
                    "max_ms": round(max(timings), 1),
                    "queries": queries,
                }
            )
    return rows
