import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests import factories as f


@pytest.fixture
def data(db):
    hkpc = f.organisation(short_name="HKPC")
    cradle = f.organisation("Cradle Going Global Service Centre", parent=hkpc)
    zgc = f.organisation("Zhongguancun Youth Innovation Center")
    secret = f.organisation("Secret Partner", status="draft")
    xian = f.region("Xi'an")
    ai = f.sector("Artificial intelligence")
    centre = f.programme(
        "Going Global Service Centre",
        organisations=[hkpc, (zgc, "partner"), (secret, "partner")],
        regions=[xian],
        sectors=[ai],
        launch_date=datetime.date(2025, 4, 20),
        launch_precision="month",
    )
    series = f.programme("InnoEX", kind="event_series", organisations=[hkpc])
    expo = f.event(
        "InnoEX 2025",
        organisations=[(hkpc, "co_organiser")],
        series=series,
        programmes=[centre],
        start_date=datetime.date(2025, 4, 13),
    )
    f.event("InnoEX 2024", series=series, start_date=datetime.date(2024, 4, 13))
    f.event("Opening ceremony", part_of=expo, start_date=datetime.date(2025, 4, 13))
    ip = f.category("Intellectual property")
    advice = f.service(
        "IP consulting", provider=hkpc, programme=centre, category_=ip, audience="Mainland SMEs"
    )
    source = f.article("The Hong Kong Productivity Council launched the\n  Cradle centre in 2025.")
    f.cite(centre, source, "launched the Cradle centre", supports="launch", facts=["status"])
    return locals()


def page(client, record):
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_a_programme_with_its_relations(client, data):
    html = page(client, data["centre"])
    assert "Hong Kong Productivity Council (HKPC)" in html
    assert "<h3>Lead</h3>" in html and "<h3>Partner</h3>" in html
    assert "Zhongguancun Youth Innovation Center" in html
    assert "Secret Partner" not in html
    assert "Xi&#x27;an" in html and "Artificial intelligence" in html
    assert "IP consulting" in html and "InnoEX 2025" in html
    assert "April 2025" in html and "20" not in html.split("April 2025")[0][-5:]


def test_it_shows_the_sources_of_a_record(client, data):
    html = page(client, data["centre"])
    assert 'class="citation"' in html
    citation = data["centre"].citations.get()
    assert f'href="/sources/{data["source"].slug}/#{citation.anchor}"' in html
    assert "launched the Cradle centre" in html


def test_it_shows_an_organisation_with_every_relation(client, data):
    html = page(client, data["hkpc"])
    assert "Going Global Service Centre" in html
    assert "Zhongguancun Youth Innovation Center" in html  # partner
    assert "Secret Partner" not in html
    assert "Cradle Going Global Service Centre" in html  # child
    assert "IP consulting" in html
    assert "InnoEX 2025" in html and "Co-organiser" in html
    child = page(client, data["cradle"])
    assert data["hkpc"].get_absolute_url() in child


def test_it_shows_an_event_with_sessions_editions_and_programmes(client, data):
    html = page(client, data["expo"])
    assert "Opening ceremony" in html
    assert "InnoEX 2024" in html
    assert "Going Global Service Centre" in html
    assert "13 April 2025" in html or "April 13, 2025" in html


def test_it_shows_a_service_with_provider_programme_and_audience(client, data):
    html = page(client, data["advice"])
    assert "Hong Kong Productivity Council" in html
    assert "Going Global Service Centre" in html
    assert "Intellectual property" in html and "Mainland SMEs" in html


def test_it_hides_unpublished_records_from_the_public(client, data):
    response = client.get(data["secret"].get_absolute_url())
    assert response.status_code == 404


def test_it_lets_staff_preview_unpublished_records(client, data):
    staff = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    staff.groups.add(Group.objects.get(name="Editor"))
    client.force_login(staff)
    html = page(client, data["secret"])
    assert "Preview: this record is not published" in html
    assert "Draft" in html


def test_it_shows_no_preview_banner_on_published_records(client, data):
    assert "Preview:" not in page(client, data["centre"])


def test_it_highlights_cited_quotes_in_the_source(client, data):
    response = client.get(data["source"].get_absolute_url())
    html = response.content.decode()
    citation = data["centre"].citations.get()
    # The quote spans a line break and two spaces in the article: matched anyway.
    assert f'<mark id="{citation.anchor}">launched the\n  Cradle centre</mark>' in html
    assert data["centre"].get_absolute_url() in html


def test_it_lists_an_articles_citations_a_page_at_a_time_with_one_mark_per_quote(client, db):
    source = f.article("Intro. The council helps firms go global. The end.")
    records = [f.programme(f"Programme {n:02}") for n in range(60)]
    for record in records:
        f.cite(record, source, "The council helps\nfirms go global")
    anchor = source.citations.first().anchor

    first = client.get(source.get_absolute_url()).content.decode()
    # Every citation of the same words (whitespace aside) links to one mark.
    assert first.count("<mark ") == 1 and f'<mark id="{anchor}">' in first
    assert first.count('class="citation"') == 50
    assert first.count(f'href="#{anchor}"') == 50
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    assert "Programme 00" in first and "Programme 55" not in first

    second = client.get(source.get_absolute_url() + "?page=2").content.decode()
    assert second.count('class="citation"') == 10
    assert "Programme 55" in second and "Programme 00" not in second
    # The text and its mark are on every page, so a record's link lands anywhere.
    assert f'<mark id="{anchor}">' in second


def test_it_answers_a_bad_page_of_a_source_with_a_notice(client, db):
    source = f.article("Intro. The council helps firms go global.")
    f.cite(f.programme("Only programme"), source, "The council helps firms go global")
    url = source.get_absolute_url()

    response = client.get(url + "?page=abc%00<b>")
    html = response.content.decode()
    assert response.status_code == 200
    assert "We ignored:" in html and "&lt;b&gt;" in html and "<b>" not in html
    assert "Only programme" in html

    html = client.get(url + "?page=9").content.decode()
    assert "There is no page 9; this is the last page." in html
    assert "Only programme" in html


def test_it_escapes_html_in_article_text(client, db):
    source = f.article("Before <script>alert(1)</script> after & more")
    record = f.programme()
    f.cite(record, source, "<script>alert(1)</script>")
    html = client.get(source.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in html


def test_it_does_not_link_a_source_to_unpublished_records(client, db):
    source = f.article("A quote here.")
    draft = f.programme("Draft programme", status="draft")
    f.cite(draft, source, "A quote here.")
    html = client.get(source.get_absolute_url()).content.decode()
    assert "Draft programme" not in html


def test_it_answers_404_for_unknown_records(client, db):
    assert client.get("/programmes/nothing-here/").status_code == 404
    assert client.get("/sources/nothing-here/").status_code == 404
