"""Record pages: numbered references beside the key facts each citation is
marked with (never guessed from its note), the status's date in Chinese, and
headings that say no name twice."""

import datetime
import re
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from tests import factories as f

TEXT = (
    "The Hong Kong Productivity Council launched the Cradle centre in April 2025. "
    "It serves mainland SMEs. About 300 firms took part."
)
ENGLISH_MONTHS = re.compile(
    r"January|February|March|April|May|June|July|August|September|October|November|December"
)


@pytest.fixture(autouse=True)
def english_afterwards():
    # A request to a /zh-hans/ page leaves Chinese active in this thread.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def row(html, label):
    """The key-facts entry after the term `label`."""
    return html.split(f"<dt>{label}</dt>")[1].split("<dt>")[0]


def before_sources(html):
    return html.split('class="sources"')[0]


def markers(text, number=1):
    return text.count(f'href="#ref-{number}"')


@pytest.fixture
def centre(db):
    hkpc = f.organisation(short_name="HKPC")
    programme = f.programme(
        "Going Global Service Centre",
        organisations=[hkpc],
        summary="The Cradle's services.",
        lifecycle="active",
        launch_date=datetime.date(2025, 4, 1),
        launch_precision="month",
    )
    source = f.article(TEXT, published_on=datetime.date(2025, 4, 22))
    return programme, source


def test_a_citation_marked_only_date_is_beside_the_date_and_nowhere_else(client, centre):
    programme, source = centre
    # Its note speaks of the launch, the lead and the name: the note places nothing.
    f.cite(programme, source, "in April 2025", supports="launched by HKPC, name", facts=["date"])

    html = page(client, programme.get_absolute_url())

    assert markers(row(html, "Launched")) == 1
    assert markers(before_sources(html)) == 1
    assert 'id="ref-1"' in html.split('class="sources"')[1]


def test_a_citation_marked_with_several_facts_is_beside_each(client, centre):
    programme, source = centre
    f.cite(programme, source, "launched the Cradle centre", facts=["runs", "status"])

    html = page(client, programme.get_absolute_url())

    assert markers(row(html, "Runs it")) == 1 and markers(row(html, "Status")) == 1
    assert markers(before_sources(html)) == 2


def test_a_citation_marked_with_no_fact_is_beside_the_summary(client, centre):
    programme, source = centre
    f.cite(programme, source, "It serves mainland SMEs", supports="who it is for", facts=[])

    html = page(client, programme.get_absolute_url())

    summary = html.split('class="lead"')[1].split("</p>")[0]
    assert markers(summary) == 1 and markers(before_sources(html)) == 1


def test_a_citation_of_a_fact_the_page_does_not_show_is_beside_the_summary(client, centre):
    programme, source = centre
    # A programme page has no attendance.
    f.cite(programme, source, "About 300 firms took part", facts=["attendance"])

    html = page(client, programme.get_absolute_url())

    summary = html.split('class="lead"')[1].split("</p>")[0]
    assert markers(summary) == 1 and markers(before_sources(html)) == 1


def test_an_event_places_its_references_by_their_facts(client, db):
    source = f.article(TEXT)
    event = f.event("Cradle launch", start_date=datetime.date(2025, 4, 20), attendance=300)
    f.cite(event, source, "About 300 firms took part", supports="figures", facts=["attendance"])
    f.cite(event, source, "in April 2025", facts=["date"])

    html = page(client, event.get_absolute_url())

    assert markers(row(html, "Attendance"), 1) == 1 and markers(row(html, "When"), 2) == 1
    assert markers(before_sources(html), 1) == 1 and markers(before_sources(html), 2) == 1


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_a_chinese_status_line_gives_a_yearless_dateline_in_chinese(client, db, language):
    yicai = f.article(TEXT, title="", given_title="HKPC launches", dateline="April 21")
    programme = f.programme("Cradle", lifecycle="active")
    f.cite(programme, yicai, "launched the Cradle centre", facts=["status"])

    html = page(client, f"/{language}{programme.get_absolute_url()}")

    status = row(html, "状态" if language == "zh-hans" else "狀態")
    assert "4月21日" in status
    assert not ENGLISH_MONTHS.search(status)
    assert not re.search(r"\d{4}", status)  # no year is invented
    reference = html.split('id="ref-1"')[1].split("</li>")[0]
    assert "4月21日" in reference and "April" not in reference


def test_an_english_status_line_gives_the_dateline_as_printed(client, db):
    yicai = f.article(TEXT, title="", given_title="HKPC launches", dateline="April 21")
    programme = f.programme("Cradle", lifecycle="active")
    f.cite(programme, yicai, "launched the Cradle centre", facts=["status"])

    assert "Active as reported on April 21" in page(client, programme.get_absolute_url())


CRADLE = {
    "name": "The Cradle – Going Global Service Centre",
    "name_zh_hans": "摇篮（Cradle）走出去服务中心",
    "name_zh_hant": "搖籃（Cradle）走出去服務中心",
    "short_name": "The Cradle",
    "short_name_zh_hans": "摇篮（Cradle）",
    "short_name_zh_hant": "搖籃（Cradle）",
}


def heading(html):
    return re.sub(r"<[^>]+>", "", html.split("<h1>")[1].split("</h1>")[0])


@pytest.mark.parametrize("prefix", ["", "/zh-hans", "/zh-hant"])
def test_a_heading_says_no_name_twice(client, db, prefix):
    cradle_body = f.organisation(**CRADLE)
    cradle = f.programme(**CRADLE, organisations=[cradle_body])

    urls = [record.get_absolute_url() for record in (cradle_body, cradle)]
    for url in urls:
        title = heading(page(client, prefix + url))
        assert title.count("Cradle") == 1, title


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("", "(HKPC)"), ("/zh-hant", "(生產力局 / HKPC)")],
)
def test_a_heading_keeps_a_short_name_its_name_does_not_hold(client, db, prefix, expected):
    hkpc = f.organisation(
        short_name="HKPC",
        name_zh_hant="香港生產力促進局",
        short_name_zh_hant="生產力局",
    )

    assert expected in heading(page(client, prefix + hkpc.get_absolute_url()))


def test_the_migration_marks_existing_citations_as_their_notes_placed_them(db):
    migration = import_module("directory.migrations.0019_citation_key_facts")
    programme = f.programme("Cradle")
    source = f.article(TEXT)
    noted = f.cite(programme, source, "launched the Cradle centre", supports="launch date, name")
    unnoted = f.cite(programme, source, "It serves mainland SMEs")

    migration.fill_facts(django_apps, None)

    noted.refresh_from_db()
    unnoted.refresh_from_db()
    assert noted.facts == ["name", "status", "date"]
    assert unnoted.facts == []


def test_a_citation_of_a_fact_the_record_leaves_empty_is_beside_the_summary(client, centre):
    programme, source = centre
    # The page has a "Where" row only for a programme with regions; this has none.
    f.cite(programme, source, "in April 2025", facts=["where"])

    html = page(client, programme.get_absolute_url())

    assert "<dt>Where</dt>" not in html
    summary = html.split('class="lead"')[1].split("</p>")[0]
    assert markers(summary) == 1 and markers(before_sources(html)) == 1


def test_an_organisation_places_a_name_citation_beside_its_other_names_or_its_kind(client, db):
    source = f.article(TEXT)
    known = f.organisation(alternative_names="Productivity Council")
    plain = f.organisation("Quiet Body")
    for body in (known, plain):
        f.cite(body, source, "The Hong Kong Productivity Council", facts=["name"])

    assert markers(row(page(client, known.get_absolute_url()), "Also known as")) == 1
    html = page(client, plain.get_absolute_url())
    assert markers(row(html, "Kind")) == 1 and markers(before_sources(html)) == 1


def test_a_chinese_reference_names_the_facts_it_backs_in_chinese(client, centre):
    programme, source = centre
    f.cite(programme, source, "in April 2025", supports="launch month", facts=["runs", "date"])

    english = page(client, programme.get_absolute_url()).split('class="sources"')[1]
    simplified = page(client, "/zh-hans" + programme.get_absolute_url()).split('class="sources"')[1]

    assert "Supports: launch month" in english
    assert "launch month" not in simplified
    with translation.override("zh-hans"):
        expected = "、".join(str(label) for label in (_("Runs it"), _("Date")))
    assert expected in simplified and not re.search("[A-Za-z]{4}", expected)
