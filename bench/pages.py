"""The pages the benchmark loads, and one rendering of each through the test client."""

import gzip
import time

REFERENCES = ("raw WSGI", "constant Django page (C)", "static file")


def pick_targets():
    """(name, kind, path) for each page, with real slugs and terms from the data."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db.models import Count
    from django.urls import reverse

    from bench.sample_data import COMMON_TERM
    from directory.models import Organisation, Region, Sector, ServiceCategory, SourceArticle
    from programmes.models import Event, Programme, Service

    published = Programme.objects.published()
    programme = (
        published.annotate(n=Count("organisation_roles")).filter(n__gte=3).order_by("pk").first()
    )
    province = (
        Region.objects.filter(kind=Region.Kind.PROVINCE)
        .annotate(n=Count("children"))
        .order_by("-n", "pk")
        .first()
    )
    sector = Sector.objects.order_by("pk").first()
    category = ServiceCategory.objects.order_by("pk").first()
    # A programme's codename occurs in one or two records: the rare term.
    rare = published.exclude(short_name="").order_by("pk").values_list("short_name", flat=True)[0]
    source = SourceArticle.objects.order_by("pk").first()

    programme_list = reverse("programmes:programme_list")
    targets = [
        ("raw WSGI", "reference", None),
        ("constant Django page (C)", "reference", "/__bench__/constant/"),
        ("static file", "reference", staticfiles_storage.url("css/site.css")),
        ("home", "list", reverse("directory:home")),
        ("programmes", "list", programme_list),
        (
            "programmes filtered",
            "list",
            f"{programme_list}?region={province.slug}&sector={sector.slug}&help={category.slug}",
        ),
        ("events upcoming", "list", reverse("programmes:event_list") + "?when=upcoming"),
        ("organisations", "list", reverse("directory:organisation_list")),
        ("services", "list", reverse("programmes:service_list")),
        ("search rare", "search", reverse("directory:search") + f"?q={rare}"),
        ("search common", "search", reverse("directory:search") + f"?q={COMMON_TERM}"),
        ("programme detail", "detail", programme.get_absolute_url()),
        (
            "organisation detail",
            "detail",
            Organisation.objects.published()
            .annotate(n=Count("programme_roles"))
            .filter(n__gte=3)
            .order_by("pk")
            .first()
            .get_absolute_url(),
        ),
        (
            "service detail",
            "detail",
            Service.objects.published()
            .filter(programme__isnull=False)
            .order_by("pk")
            .first()
            .get_absolute_url(),
        ),
        (
            "event detail",
            "detail",
            Event.objects.published()
            .filter(organisation_roles__isnull=False, part_of__isnull=True)
            .order_by("pk")
            .first()
            .get_absolute_url(),
        ),
    ]
    if source:
        targets.append(("source detail", "detail", source.get_absolute_url()))
    return targets


def measure_pages(targets):
    """One cold and one warm anonymous rendering of each page, in this process
    and against the same shared cache as the servers: cold right after the
    content version is replaced (the page is rendered and stored), warm straight
    after (the page comes from the cache)."""
    from django.test import Client
    from django.test.utils import override_settings

    from directory.caching import bump_content_version

    pages = {}
    with override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1"]):
        client = Client()
        for name, _kind, path in targets:
            if path is None or name == "static file":
                continue
            client.get(path)  # warm per-process caches, as a running server has them
            bump_content_version()
            cold_response, cold = render_once(client, path)
            _warm_response, warm = render_once(client, path)
            body = cold_response.content
            pages[name] = {
                "status": cold_response.status_code,
                "queries": cold["queries"],
                "html_bytes": len(body),
                "gzip_bytes": len(gzip.compress(body, compresslevel=6)),
                "sql_ms": cold["sql_ms"],
                "slowest_sql_ms": cold["slowest_sql_ms"],
                "single": {"cold": cold, "warm": warm},
            }
    return pages


def render_once(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    elapsed = time.perf_counter() - started
    timings = [float(q["time"]) * 1000 for q in queries.captured_queries]
    return response, {
        "render_ms": round(elapsed * 1000, 1),
        "queries": len(timings),
        "page_cache": response.get("X-Page-Cache"),
        "sql_ms": round(sum(timings), 1),
        "slowest_sql_ms": round(max(timings, default=0), 1),
    }
