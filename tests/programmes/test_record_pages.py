"""Record pages: key facts first, each status with the date it holds as of,
sources as numbered references beside the facts they support, and a way to
act (how to get involved, else the contact of the body that runs it)."""

import datetime
import re

import pytest

from tests import factories as f

TEXT = (
    "The Hong Kong Productivity Council launched the Cradle centre. "
    "It serves mainland SMEs in every technology sector."
)


@pytest.fixture
def data(db):
    hkpc = f.organisation(
        short_name="HKPC",
        website="https://www.example.org",
        email="enquiry@example.org",
        phone="+852 0000 0000",
    )
    quiet = f.organisation("Quiet Partner")
    centre = f.programme(
        "Going Global Service Centre",
        organisations=[hkpc, (quiet, "partner")],
        summary="The Cradle's services.",
        description="A long description.",
        lifecycle="active",
        open_to_scope="mainland",
    )
    dated = f.article(
        TEXT,
        title="SmartHK plugs into Sichuan",
        publisher="HKTDC Hong Kong Means Business",
        published_on=datetime.date(2020, 12, 2),
        dateline="02 December 2020",
    )
    f.cite(
        centre,
        dated,
        "launched the Cradle centre",
        supports="launch, lead",
        facts=["runs", "status"],
    )
    f.cite(
        centre,
        dated,
        "It serves mainland SMEs",
        supports="audience, open to mainland firms",
        facts=["for_whom"],
    )
    f.category("Intellectual property")
    return locals()


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def facts_of(html):
    return html.split('class="key-facts"')[1].split("</section>")[0]


def test_the_key_facts_come_first_and_hold_what_a_user_needs(client, data):
    html = page(client, data["centre"].get_absolute_url())
    assert html.index('class="key-facts"') < html.index("A long description.")
    facts = facts_of(html)
    for label in ("Runs it", "For whom", "Kind of help", "Status", "Last verified"):
        assert f"<dt>{label}</dt>" in facts, label
    assert "Hong Kong Productivity Council" in facts.split("<dt>For whom</dt>")[0]
    assert "Quiet Partner" not in facts  # a partner does not run it
    assert "Firms registered anywhere on the mainland" in facts
    assert f'href="/ask/programme/{data["centre"].slug}/"' in facts
    assert ">Ask about this<" in facts


def test_a_status_says_the_date_of_the_article_it_rests_on(client, data):
    facts = facts_of(page(client, data["centre"].get_absolute_url()))
    assert "Active as reported on 2 December 2020" in facts


def test_a_dateline_without_a_year_is_given_as_printed(client, data):
    yicai = f.article(TEXT, title="", given_title="HKPC launches", dateline="April 21")
    programme = f.programme("Cradle", lifecycle="active")
    f.cite(programme, yicai, "launched the Cradle centre", supports="launch", facts=["status"])
    facts = facts_of(page(client, programme.get_absolute_url()))
    assert "Active as reported on April 21" in facts
    assert not re.search(r"April 21,? \d{4}|\d{4}年4月21", facts)


def test_a_verified_record_says_when_it_was_verified(client, data):
    data["centre"].last_verified_on = datetime.date(2026, 3, 1)
    data["centre"].save()
    facts = facts_of(page(client, data["centre"].get_absolute_url()))
    assert "Active as verified on 1 March 2026" in facts


def test_a_status_with_no_dated_source_says_so(client, data):
    undated = f.article(TEXT, title="No date", publisher="")
    programme = f.programme("Platform", lifecycle="active")
    f.cite(programme, undated, "launched the Cradle centre")
    assert "Active (the source gives no date)" in page(client, programme.get_absolute_url())


def test_sources_are_numbered_references_beside_the_facts_they_support(client, data):
    html = page(client, data["centre"].get_absolute_url())
    facts = facts_of(html)
    runs = facts.split("<dt>Runs it</dt>")[1].split("<dt>")[0]
    whom = facts.split("<dt>For whom</dt>")[1].split("<dt>")[0]
    assert 'href="#ref-1"' in runs and "[1]" in runs and "#ref-2" not in runs
    assert 'href="#ref-2"' in whom and "[2]" in whom
    sources = html.split('class="sources"')[1]
    first = sources.split('id="ref-1"')[1].split("</li>")[0]
    assert "SmartHK plugs into Sichuan" in first
    assert "HKTDC Hong Kong Means Business" in first and "02 December 2020" in first
    # The quote is revealed on demand, without JavaScript.
    assert re.search(r"<details[^>]*><summary>Show the quote</summary><blockquote>", first)
    assert "launched the Cradle centre" in first


def test_every_record_page_has_the_panel_and_numbered_sources(client, data):
    hkpc, centre = data["hkpc"], data["centre"]
    service = f.service("IP advice", provider=hkpc, programme=centre)
    event = f.event("InnoEX 2025", organisations=[hkpc])
    for record in (hkpc, service, event):
        f.cite(record, data["dated"], "launched the Cradle centre", supports="name", facts=["name"])
        html = page(client, record.get_absolute_url())
        assert 'class="key-facts"' in html and 'id="ref-1"' in html, record
        assert "Ask about this" in facts_of(html)


def test_an_organisation_shows_its_public_email_and_phone(client, data):
    facts = facts_of(page(client, data["hkpc"].get_absolute_url()))
    assert 'href="mailto:enquiry@example.org"' in facts
    assert 'href="tel:+85200000000"' in facts and "+852 0000 0000" in facts
    assert "https://www.example.org" in facts
    # The staff contact is never public.
    data["hkpc"].staff_contact_email = "staff@example.org"
    data["hkpc"].save()
    assert "staff@example.org" not in page(client, data["hkpc"].get_absolute_url())


def test_without_how_to_get_involved_a_programme_gives_its_runners_contact(client, data):
    involved = facts_of(page(client, data["centre"].get_absolute_url()))
    involved = involved.split("<dt>How to get involved</dt>")[1]
    assert "Contact Hong Kong Productivity Council, which runs it:" in involved
    assert "enquiry@example.org" in involved and "+852 0000 0000" in involved
    data["centre"].how_to_get_involved = "Apply through the centre's partner hubs."
    data["centre"].save()
    involved = facts_of(page(client, data["centre"].get_absolute_url()))
    assert "Apply through the centre" in involved and "enquiry@example.org" not in involved


def test_a_service_gives_its_providers_contact(client, data):
    service = f.service("IP advice", provider=data["hkpc"], programme=data["centre"])
    facts = facts_of(page(client, service.get_absolute_url()))
    assert "enquiry@example.org" in facts.split("<dt>How to get involved</dt>")[1]
    # Its programme's status, as of the programme's own source.
    assert "Its programme: Active as reported on 2 December 2020" in facts


def test_a_service_whose_provider_gives_no_contact_gives_its_programmes(client, data):
    silent = f.organisation("Quiet Provider")
    service = f.service("Market advice", provider=silent, programme=data["centre"])
    involved = facts_of(page(client, service.get_absolute_url()))
    involved = involved.split("<dt>How to get involved</dt>")[1]
    assert "Contact Hong Kong Productivity Council, which runs it:" in involved
    assert "enquiry@example.org" in involved


def test_chinese_pages_label_everything_new(client, data):
    html = page(client, f"/zh-hans/programmes/{data['centre'].slug}/")
    for label in ("要点", "负责机构", "服务对象", "显示引文", "查询此项", "电邮", "电话"):
        assert label in html, label
    assert "进行中（据2020年12月2日的报道）" in html
    hant = page(client, f"/zh-hant/programmes/{data['centre'].slug}/")
    for label in ("要點", "負責機構", "服務對象", "顯示引文", "查詢此項", "電郵", "電話"):
        assert label in hant, label


def test_record_pages_keep_a_fixed_number_of_queries(client, data, django_assert_max_num_queries):
    service = f.service("IP advice", provider=data["hkpc"], programme=data["centre"])
    event = f.event("InnoEX 2025", organisations=[data["hkpc"]])
    for record in (data["centre"], data["hkpc"], service, event):
        with django_assert_max_num_queries(5):
            page(client, record.get_absolute_url())
