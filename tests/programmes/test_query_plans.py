"""The list pages' queries use indexes once tables are big enough to need them.

Renders every list page for each filter and each sort on a few thousand
synthetic records, EXPLAIN ANALYZEs every query the page ran, and fails on a
sequential scan of a main table that reads the whole table to keep a small
part of it (an index would serve it), or that runs once per outer row, and
on an index scan that filters away most of the rows it reads.
Scans that keep most of a table (facet counts over all published records)
are what the planner should do, and pass.
"""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench import sample_data
from directory.models import Organisation, Region, Sector, ServiceCategory, SourceArticle
from programmes.models import Event, Programme, Service

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's"
)

PROGRAMMES = 6000
MAIN_TABLES = {m._meta.db_table for m in (Organisation, Programme, Service, Event)}
# A scan that keeps less than this share of a table's rows should have used an index.
SELECTIVE = 0.05
LARGE_ENOUGH = 1000


@pytest.fixture(scope="module")
def sample(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        sample_data.generate(PROGRAMMES, seed=3)
        yield vocabulary()
        transaction.set_rollback(True)


def vocabulary():
    province = (
        Region.objects.filter(kind=Region.Kind.PROVINCE, children__isnull=False)
        .order_by("pk")
        .first()
    )
    city = Region.objects.filter(kind=Region.Kind.CITY).order_by("pk").first()
    organisation = (
        Organisation.objects.published()
        .filter(programme_roles__isnull=False, services__isnull=False)
        .order_by("pk")
        .first()
    )
    rare = Programme.objects.published().order_by("pk").values_list("short_name", flat=True)[0]
    return {
        "province": province.slug,
        "city": city.slug,
        "sector": Sector.objects.order_by("pk").first().slug,
        "help": ServiceCategory.objects.order_by("pk").first().slug,
        "organisation": organisation.slug,
        "rare": rare,
        "common": sample_data.COMMON_TERM,
    }


PROGRAMME_FILTERS = {
    "none": "",
    "province": "region={province}",
    "city": "region={city}",
    "sector": "sector={sector}",
    "help": "help={help}",
    "organisation": "organisation={organisation}",
    "kind": "kind=fund",
    "status": "status=active",
    "rare q": "q={rare}",
    "common q": "q={common}",
    "all": "region={province}&sector={sector}&help={help}&kind=fund&status=active",
}
EVENT_FILTERS = {
    "none": "",
    "province": "region={province}",
    "sector": "sector={sector}",
    "organisation": "organisation={organisation}",
    "kind": "kind=forum",
    "upcoming": "when=upcoming",
    "past": "when=past",
    "range": "from=2024-01-01&to=2024-03-31",
    "year": "year=2021",
    "rare q": "q={rare}",
    "all": "region={province}&sector={sector}&when=past&year=2021",
}
ORGANISATION_FILTERS = {
    "none": "",
    "kind": "kind=company",
    "province": "region={province}",
    "sector": "sector={sector}",
    "all": "kind=company&region={province}&sector={sector}",
}
SERVICE_FILTERS = {
    "none": "",
    "help": "help={help}",
    "province": "region={province}",
    "organisation": "organisation={organisation}",
    "rare q": "q={rare}",
    "all": "help={help}&region={province}",
}
SORTS = ["", "sort=name", "sort=newest"]

PAGES = [
    *(
        (f"/programmes/?{f}&{s}", f"programmes {name} {s}")
        for name, f in PROGRAMME_FILTERS.items()
        for s in SORTS
    ),
    *(
        (f"/events/?{f}&{s}", f"events {name} {s}")
        for name, f in EVENT_FILTERS.items()
        for s in [*SORTS, "sort=date"]
    ),
    *(
        (f"/organisations/?{f}&{s}", f"organisations {name} {s}")
        for name, f in ORGANISATION_FILTERS.items()
        for s in SORTS
    ),
    *(
        (f"/services/?{f}&{s}", f"services {name} {s}")
        for name, f in SERVICE_FILTERS.items()
        for s in SORTS
    ),
    *(
        (f"/{kind}/?{f}&sort=fit", f"{kind} {name} sort=fit")
        for kind, filters in (("programmes", PROGRAMME_FILTERS), ("services", SERVICE_FILTERS))
        for name, f in filters.items()
        if "q" not in name
    ),
    ("/programmes/?page=last", "programmes last page"),
    ("/search/?q={rare}", "search rare"),
    ("/search/?q={common}", "search common"),
]


def table_sizes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [list(MAIN_TABLES)]
        )
        return dict(cursor.fetchall())


def plan_nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def wasteful_scans(sql, sizes):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    found = []
    for node in plan_nodes(plan[0]["Plan"]):
        table = node.get("Relation Name")
        if table not in MAIN_TABLES:
            continue
        if node["Node Type"] in ("Index Scan", "Index Only Scan"):
            found += walked_past(node, table)
            continue
        if "Seq Scan" not in node["Node Type"]:
            continue
        size = sizes[table]
        loops = node["Actual Loops"]
        # A parallel scan's loops are its workers, each reading part of the table.
        repeated = loops > 1 and not node.get("Parallel Aware")
        kept = node["Actual Rows"] * loops
        if size >= LARGE_ENOUGH and (repeated or kept < SELECTIVE * size):
            found.append(
                f"Seq Scan on {table} kept {node['Actual Rows']} of {size:.0f} rows "
                f"x{loops} ({node.get('Filter', 'no filter')})"
            )
    return found


def walked_past(node, table):
    """An index read in sort order that throws away most of what it reads:
    its filter belongs in the index (a services list filtered by kind of help
    and sorted by name read 85,000 services to show 20)."""
    loops = node["Actual Loops"]
    removed = node.get("Rows Removed by Filter", 0) * loops
    kept = node["Actual Rows"] * loops
    if removed >= LARGE_ENOUGH and removed > 10 * kept:
        return [
            f"{node['Node Type']} using {node['Index Name']} on {table} read {removed + kept} "
            f"rows to keep {kept} ({node.get('Filter')})"
        ]
    return []


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "label"), PAGES, ids=[label for _path, label in PAGES])
def test_it_reads_main_tables_through_indexes(sample, client, path, label):
    sizes = table_sizes()
    assert min(sizes[t] for t in MAIN_TABLES) >= PROGRAMMES // 5 * 0.9, "statistics missing"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path.format(**sample))
    assert response.status_code == 200
    problems = []
    for query in queries.captured_queries:
        sql = query["sql"]
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            problems += [f"{scan}\n    in: {sql[:300]}" for scan in wasteful_scans(sql, sizes)]
    assert not problems, "\n".join(problems)


FIT_PAGES = {
    "programmes": "/programmes/?sort=fit",
    "programmes city": "/programmes/?region={city}&sort=fit",
    "programmes province sector": "/programmes/?region={province}&sector={sector}&sort=fit",
    "programmes sector help": "/programmes/?sector={sector}&help={help}&sort=fit",
    "services province help": "/services/?region={province}&help={help}&sort=fit",
}


@pytest.mark.django_db
@pytest.mark.parametrize("label", FIT_PAGES)
def test_the_fit_sort_reads_an_index_or_sorts_only_the_records_that_match(sample, client, label):
    """sort=fit ranks by how specifically each record matched the region,
    sector and kind-of-help filters: a score from the facet entries each
    record matched, which no index of the records' table can hold (it
    depends on the filter values). So: with none of those filters the order
    is the name index's (no sort at all); with them, the records come from
    the facet index's ranges and only those matching are scored and sorted
    (a top-20 heap), never the whole table."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(FIT_PAGES[label].format(**sample))
    assert response.status_code == 200
    matching = response.context["page_obj"].paginator.count
    assert matching > 0, "a page of no records explains nothing"
    table = {"programmes": Programme, "services": Service}[label.split()[0]]._meta.db_table
    pages = [q["sql"] for q in queries.captured_queries if "LIMIT 20" in q["sql"]]
    assert pages, "no page of rows was read"
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + pages[-1])
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes = list(plan_nodes(plan[0]["Plan"]))
    sorts = [n for n in nodes if n["Node Type"] in ("Sort", "Incremental Sort")]
    reads = [n for n in nodes if n.get("Relation Name") == table]
    assert reads and all("Seq Scan" not in n["Node Type"] for n in reads), reads
    if label in ("programmes",):
        assert sorts == [], "the unfiltered fit order is the name index's"
        assert any(n.get("Index Name") == "prog_status_name_id" for n in reads)
        return
    size = table_sizes()[table]
    for node in sorts:
        sorted_rows = node["Plans"][0]["Actual Rows"] * node["Plans"][0]["Actual Loops"]
        assert sorted_rows <= matching < size, (label, sorted_rows, matching, size)


@pytest.mark.django_db
def test_a_source_page_reads_only_the_records_that_cite_it(sample, client):
    """A synthetic article is cited by about 600 of the sample's programmes.
    Checking which of them are published inside the citations' query made
    PostgreSQL read every published programme's id (85,000 at full size) to
    keep those 600; the page should read no more rows of a record table than
    the article has citations."""
    article = SourceArticle.objects.order_by("pk").first()
    citations = article.citations.count()
    assert citations >= 100, "too few citations to tell the plans apart"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    read = {}
    for query in queries.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        for node in plan_nodes(plan[0]["Plan"]):
            if node.get("Relation Name") in MAIN_TABLES:
                rows = node["Actual Rows"] * node["Actual Loops"]
                read[node["Relation Name"]] = read.get(node["Relation Name"], 0) + rows
    assert read, "no record table was read"
    assert max(read.values()) <= citations, read
