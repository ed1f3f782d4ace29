import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.test import RequestFactory, override_settings

from bench import in_process
from bench.pages import REFERENCES, pick_targets
from tests.support.wsgi import serving

pytestmark = pytest.mark.django_db

RUNS = 2


@pytest.fixture
def rows():
    call_command("generate_sample_data", programmes=60, seed=7)
    targets = [t for t in pick_targets() if t[0] not in REFERENCES]
    with override_settings(RATE_LIMITS={}), serving(WSGIHandler()) as application:
        pages = in_process.measure(targets, RUNS, application, RequestFactory())
    return in_process.summarise(pages)


def test_it_measures_every_page_beside_its_floor(rows, capsys):
    names = {row["name"] for row in rows}
    assert {"home", "programmes filtered", "search common", "programme detail"} <= names
    for row in rows:
        assert row["status"] == 200, row["name"]
        assert row["runs"] == RUNS
        assert row["queries"] > 0
        assert 0 < row["sql_ms"] < row["median_ms"]
        assert 0 < row["template_ms"] < row["median_ms"]
        assert row["min_ms"] <= row["median_ms"]
    for row in rows:
        assert row["floor_ms"] > 0 and row["floor_sql_ms"] > 0, row["name"]
        assert row["ratio"] == round(row["min_ms"] / row["floor_ms"], 2), row["name"]
    # The floor is the same SQL and template without the ORM and the views:
    # below the pages over all of them. (One page's floor against its own
    # minimum of two runs is a coin toss on a busy machine: 28.6 against
    # 27.7 ms once.)
    assert sum(row["floor_ms"] for row in rows) < sum(row["median_ms"] for row in rows)

    in_process.print_table(rows)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["page", "min", "median"]
    assert len(lines) == len(rows) + 1
    verdicts = in_process.budgets(rows)
    # A query-count verdict per page, and a time or floor verdict for each
    # page the issue gives a budget.
    assert sum("queries" in v for v in verdicts) == len(rows)
    assert all(v.startswith(("PASS", "FAIL")) for v in verdicts)
