"""What search engines and link previews read: sitemap, robots.txt,
canonical links and noindex, descriptions, Open Graph, icons, JSON-LD."""

import datetime
import json
import re
from urllib.parse import urlsplit

import pytest
from defusedxml import ElementTree

from tests import factories

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def catalogue(db):
    return factories.catalogue(4)


def sitemap_urls(client):
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    urls = []
    for location in index.iter(f"{SITEMAP}loc"):
        response = client.get(urlsplit(location.text).path + "?" + urlsplit(location.text).query)
        assert response.status_code == 200
        section = ElementTree.fromstring(response.content)
        for url in section.findall(f"{SITEMAP}url"):
            alternates = {
                link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
            }
            urls.append((url.find(f"{SITEMAP}loc").text, alternates))
    return urls


def test_the_sitemap_lists_every_published_record_in_three_languages(client, catalogue):
    hidden = factories.programme("Hidden", status="draft")
    urls = sitemap_urls(client)
    locations = {urlsplit(loc).path for loc, _alternates in urls}
    record = catalogue["programmes"][0]
    for prefix in ("", "/zh-hans", "/zh-hant"):
        assert f"{prefix}/programmes/{record.slug}/" in locations
    assert not any(hidden.slug in loc for loc in locations)
    _loc, alternates = urls[0]
    assert {"en", "zh-hans", "zh-hant", "x-default"} <= set(alternates)
    for loc, _alternates in urls[:12]:
        assert client.get(urlsplit(loc).path).status_code == 200


def test_the_sitemap_splits_into_pages_when_large(client, db, settings):
    from directory import seo

    original = seo.RecordSitemap.limit
    seo.RecordSitemap.limit = 2
    try:
        factories.catalogue(3)
        index = ElementTree.fromstring(client.get("/sitemap.xml").content)
        pages = [loc.text for loc in index.iter(f"{SITEMAP}loc") if "programmes" in loc.text]
        assert len(pages) >= 2 and any("p=2" in page for page in pages)
    finally:
        seo.RecordSitemap.limit = original


def test_robots_txt_points_at_the_sitemap_and_keeps_filter_combinations_out(client, db):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /*?*&" in text and "Disallow: /admin/" in text


def head(client, url):
    page = client.get(url)
    assert page.status_code == 200, url
    return page.content.decode().split("</head>")[0]


def test_every_page_has_a_canonical_link_and_many_filters_are_noindex(client, catalogue):
    sector, city = catalogue["sectors"][0].slug, catalogue["cities"][0].slug
    one = head(client, f"/programmes/?sector={sector}&page=1&sort=name")
    assert f'<link rel="canonical" href="http://testserver/programmes/?sector={sector}">' in one
    assert "noindex" not in one
    two = head(client, f"/programmes/?sector={sector}&region={city}")
    assert '<link rel="canonical" href="http://testserver/programmes/">' in two
    assert '<meta name="robots" content="noindex, follow">' in two
    record = catalogue["programmes"][0]
    for url in ("/", record.get_absolute_url(), "/zh-hans" + record.get_absolute_url()):
        assert 'rel="canonical"' in head(client, url)


def test_details_describe_themselves_for_previews(client, catalogue):
    record = catalogue["programmes"][0]
    page = head(client, record.get_absolute_url())
    assert '<meta name="description" content="Summary 0">' in page
    assert '<meta property="og:title" content="Programme 0">' in page
    assert '<meta property="og:description" content="Summary 0">' in page
    assert 'property="og:url" content="http://testserver/programmes/' in page
    image = re.search(r'property="og:image" content="([^"]+)"', page).group(1)
    assert client.get(urlsplit(image).path).status_code == 200


def test_icons_are_served_locally(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"
    page = head(client, "/")
    for href in re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', page):
        assert href.startswith("/")
        found = client.get(href)
        assert found.status_code == 200
    assert "https://" not in "".join(re.findall(r'<link rel="icon[^>]+>', page))


def json_ld(client, url):
    page = client.get(url).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1, url
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org"
    return {item["@type"]: item for item in data["@graph"]}


def test_json_ld_describes_each_kind_of_record(client, catalogue):
    government = factories.organisation("ITC", kind="hk_government", short_name="ITC")
    graph = json_ld(client, government.get_absolute_url())
    assert graph["GovernmentOrganization"]["name"] == "ITC"
    graph = json_ld(client, catalogue["organisations"][1].get_absolute_url())
    assert graph["Organization"]["url"].startswith("http://testserver/organisations/")
    crumbs = graph["BreadcrumbList"]["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert all(isinstance(c["item"], str) and isinstance(c["name"], str) for c in crumbs)

    service = factories.service("Funding advice", provider=government)
    graph = json_ld(client, service.get_absolute_url())
    assert graph["GovernmentService"]["provider"]["@type"] == "GovernmentOrganization"
    graph = json_ld(client, catalogue["services"][0].get_absolute_url())
    assert graph["Service"]["name"] == "Service 0"
    graph = json_ld(client, catalogue["programmes"][0].get_absolute_url())
    assert isinstance(graph["Service"]["provider"], list)

    event = factories.event(
        "InnoEX",
        start_date=datetime.date(2026, 4, 13),
        venue="HKCEC",
        city=catalogue["cities"][0],
        organisations=[catalogue["organisations"][0]],
    )
    graph = json_ld(client, event.get_absolute_url())
    ld = graph["Event"]
    assert ld["startDate"] == "2026-04-13"
    assert ld["eventStatus"] == "https://schema.org/EventScheduled"
    assert ld["location"]["@type"] == "Place" and ld["location"]["name"] == "HKCEC"
    assert ld["organizer"][0]["name"] == "Organisation 0"
    month = factories.event("Later", start_date=datetime.date(2026, 9, 1), start_precision="month")
    assert json_ld(client, month.get_absolute_url())["Event"]["startDate"] == "2026-09"


def test_json_ld_escapes_markup_in_texts(client, db):
    record = factories.programme("</script><b>x</b>", summary="a & b")
    page = client.get(record.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "</script>" not in block and "\\u003C/script\\u003E" in block


def test_the_sitemap_leaves_out_unpublished_records_of_every_kind(client, catalogue):
    hidden = [
        factories.organisation("Hidden organisation", status="draft"),
        factories.programme("Hidden programme", status="in_review"),
        factories.service("Hidden service", status="archived"),
        factories.event("Hidden event", status="draft"),
    ]
    paths = {urlsplit(loc).path for loc, _alternates in sitemap_urls(client)}
    for key in ("organisations", "programmes", "services", "events"):
        assert catalogue[key][0].get_absolute_url() in paths, key
    for record in hidden:
        assert not any(f"/{record.slug}/" in path for path in paths), record


def test_json_ld_names_no_unpublished_record(client, catalogue):
    draft = factories.organisation("Hidden organisation", status="draft")
    shown = factories.organisation("Shown organisation")
    programme = factories.programme("Shared programme", organisations=[draft, shown])
    service = factories.service("Shared service", provider=draft)
    event = factories.event(
        "Shared event", start_date=datetime.date(2026, 4, 13), organisations=[draft, shown]
    )
    child = factories.organisation("Child organisation", parent=draft)
    for record in (programme, service, event, child):
        graph = json.dumps(json_ld(client, record.get_absolute_url()), ensure_ascii=False)
        assert "Hidden organisation" not in graph and draft.slug not in graph, record
    assert "Shown organisation" in json.dumps(json_ld(client, programme.get_absolute_url()))
    assert "Shown organisation" in json.dumps(json_ld(client, event.get_absolute_url()))
    # A page of its own neither: an unpublished record has no page to carry JSON-LD.
    for record in (draft, factories.programme("Hidden programme", status="draft")):
        assert client.get(record.get_absolute_url()).status_code == 404


def test_a_search_for_one_query_is_indexable_and_its_own_canonical(client, catalogue):
    found = head(client, "/search/?q=Programme")
    assert '<link rel="canonical" href="http://testserver/search/?q=Programme">' in found
    assert "noindex" not in found
    assert "Disallow: /search/" not in client.get("/robots.txt").content.decode()


def test_a_search_that_finds_nothing_or_is_narrowed_further_is_noindex(client, catalogue):
    nothing = head(client, "/search/?q=Zyxwvutsrq")
    assert '<meta name="robots" content="noindex, follow">' in nothing
    narrowed = head(client, "/search/?q=Programme&q=Summary")
    assert '<meta name="robots" content="noindex, follow">' in narrowed
    assert '<link rel="canonical" href="http://testserver/search/">' in narrowed
