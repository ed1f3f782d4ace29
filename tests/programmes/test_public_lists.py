import datetime
import re

import pytest

from directory import search
from tests import factories as f


@pytest.fixture
def data(db):
    guangdong = f.region("Guangdong")
    shenzhen = f.region("Shenzhen", parent=guangdong)
    sichuan = f.region("Sichuan")
    ai = f.sector("Artificial intelligence")
    bio = f.sector("Biotech")
    ip = f.category("Intellectual property", alternative_names="IP")
    hkpc = f.organisation(short_name="HKPC", region=shenzhen)
    in_shenzhen = f.programme("Shenzhen Bridge", regions=[shenzhen], sectors=[ai])
    in_sichuan = f.programme("Chengdu Link", regions=[sichuan], sectors=[bio], organisations=[hkpc])
    f.programme("Hidden draft", regions=[shenzhen], status="draft")
    f.service(provider=hkpc, category_=ip, programme=in_sichuan)
    f.index(hkpc, in_shenzhen, in_sichuan)
    return locals()


def results(response):
    html = response.content.decode()
    found = re.search(r'<ol id="results".*?</ol>', html, re.S)
    return found.group(0) if found else ""


def test_it_lists_only_published_programmes(client, data):
    response = client.get("/programmes/")
    assert "Shenzhen Bridge" in results(response)
    assert "Hidden draft" not in response.content.decode()
    assert 'id="result-count"' in response.content.decode()


def test_it_includes_a_provinces_cities_in_a_region_filter(client, data):
    response = client.get("/programmes/", {"region": data["guangdong"].slug})
    assert "Shenzhen Bridge" in results(response)
    assert "Chengdu Link" not in results(response)


def test_it_combines_several_regions_with_or(client, data):
    response = client.get("/programmes/", {"region": [data["shenzhen"].slug, data["sichuan"].slug]})
    assert "Shenzhen Bridge" in results(response)
    assert "Chengdu Link" in results(response)


def test_it_counts_each_option_under_the_other_filters(client, data):
    response = client.get("/programmes/", {"sector": data["ai"].slug})
    html = response.content.decode()
    # The region facet follows the sector filter: only Guangdong/Shenzhen remain.
    assert f'value="{data["ai"].slug}" checked' in html
    assert re.search(r"Guangdong <span class=\"count\">\(1\)", html)
    assert f'value="{data["sichuan"].slug}"' not in html
    # The sector facet ignores its own selection, so Biotech is still offered.
    assert re.search(r"Biotech <span class=\"count\">\(1\)", html)


def test_it_keeps_a_selected_option_visible_when_its_count_is_zero(client, data):
    response = client.get(
        "/programmes/", {"sector": data["bio"].slug, "region": data["guangdong"].slug}
    )
    html = response.content.decode()
    assert f'value="{data["bio"].slug}" checked' in html
    assert f'value="{data["guangdong"].slug}" checked' in html
    assert "Nothing matches these filters." in html


def test_it_shows_removable_chips_for_active_filters(client, data):
    response = client.get("/programmes/", {"sector": data["ai"].slug, "q": "bridge"})
    html = response.content.decode()
    chips = re.search(r'<ul id="active-filters".*?</ul>', html, re.S).group(0)
    assert "Sector: Artificial intelligence" in chips
    assert "Search: bridge" in chips
    assert 'href="?q=bridge"' in chips
    assert 'href="/programmes/">Reset' in html


def test_it_filters_by_organisation_and_kind_of_help(client, data):
    by_org = client.get("/programmes/", {"organisation": data["hkpc"].slug})
    assert "Chengdu Link" in results(by_org)
    assert "Shenzhen Bridge" not in results(by_org)
    by_help = client.get("/programmes/", {"help": data["ip"].slug})
    assert "Chengdu Link" in results(by_help)
    assert "Shenzhen Bridge" not in results(by_help)


def test_it_pages_results_keeping_the_filters(client, db):
    region = f.region("Beijing")
    for i in range(25):
        f.programme(f"Programme {i:02}", regions=[region])
    response = client.get("/programmes/", {"region": region.slug, "sort": "name"})
    html = response.content.decode()
    assert f'href="?region={region.slug}&amp;sort=name&amp;page=2"' in html
    second = client.get("/programmes/", {"region": region.slug, "sort": "name", "page": 2})
    assert "Programme 24" in results(second)
    assert "Programme 00" not in results(second)


def test_it_sorts_by_newest(client, data):
    response = client.get("/programmes/", {"sort": "newest"})
    body = results(response)
    assert body.index("Chengdu Link") < body.index("Shenzhen Bridge")


def test_it_searches_within_a_list(client, data):
    response = client.get("/programmes/", {"q": "HKPC"})
    assert "Chengdu Link" in results(response)
    assert "Shenzhen Bridge" not in results(response)
    assert 'value="relevance" selected' in response.content.decode()


def test_a_search_counts_its_facets_over_the_candidates_it_lists(client, data, monkeypatch):
    f.index(*[f.programme(f"Common programme {i}", regions=[data["sichuan"]]) for i in range(5)])
    response = client.get("/programmes/", {"q": "common"})
    assert re.search(r"Sichuan <span class=\"count\">\(5\)", response.content.decode())
    # A term matching more records than the cap: the list holds the capped
    # candidates, and each facet counts among them, not among every match.
    monkeypatch.setattr(search.capped, "__defaults__", (3,))
    response = client.get("/programmes/", {"q": "common"})
    assert results(response).count("Common programme") == 3
    assert re.search(r"Sichuan <span class=\"count\">\(3\)", response.content.decode())


def test_it_lists_organisations_services_and_events_with_filters(client, data):
    orgs = client.get("/organisations/", {"region": data["guangdong"].slug})
    assert "Hong Kong Productivity Council" in results(orgs)
    services = client.get("/services/", {"help": data["ip"].slug})
    assert "Patent filing advice" in results(services)
    services = client.get("/services/", {"region": data["sichuan"].slug})
    assert "Patent filing advice" in results(services)
    f.event("Future Expo", start_date=datetime.date(2999, 1, 1))
    f.event("Old Expo", start_date=datetime.date(2001, 5, 1), start_precision="month")
    upcoming = client.get("/events/", {"when": "upcoming"})
    assert "Future Expo" in results(upcoming)
    assert "Old Expo" not in results(upcoming)
    by_year = client.get("/events/", {"year": "2001"})
    assert "Old Expo" in results(by_year)
    assert "May 2001" in results(by_year)
    by_range = client.get("/events/", {"from": "2000-01-01", "to": "2002-01-01"})
    assert "Old Expo" in results(by_range)
    assert "Future Expo" not in results(by_range)


def test_it_offers_only_the_top_options_with_a_more_link(client, db):
    for i in range(12):
        f.programme(f"P{i}", sectors=[f.sector(f"Sector {i:02}")])
    html = client.get("/programmes/").content.decode()
    assert html.count('name="sector"') == 8
    assert "more=sector" in html
    html = client.get("/programmes/", {"more": "sector"}).content.decode()
    assert html.count('name="sector"') == 12


def test_it_labels_the_home_page_entry_points_with_counts(client, data):
    html = client.get("/").content.decode()
    assert f'?region={data["guangdong"].slug}">Guangdong <span class="count">(1)' in html
    assert f'?help={data["ip"].slug}">Intellectual property <span class="count">(1)' in html
    assert "2 programmes" in html


@pytest.mark.parametrize(
    "query",
    [
        "region={city}",
        "region={province}&sector={sector}",
        "region={city}&sector={sector}&help={help}",
        "region={city}&region={other_city}&sector={sector}&kind=service_centre",
        "region={city}&sector={sector}&help={help}&organisation={organisation}",
        "region={province}&sector={sector}&page=2",
    ],
)
def test_listing_matching_ids_shows_what_the_subqueries_show(client, db, monkeypatch, query):
    # Up to a limit, the records matching the region, sector and kind-of-help
    # filters are listed once and reused; above it the database works them out
    # in each query. Either way the reader sees the same rows, counts and total.
    catalogue = f.catalogue(30)
    cities, sectors = catalogue["cities"], catalogue["sectors"]
    url = "/programmes/?" + query.format(
        city=cities[0].slug,
        other_city=cities[1].slug,
        province=catalogue["province"].slug,
        sector=sectors[0].slug,
        help=catalogue["categories"][0].slug,
        organisation=catalogue["organisations"][0].slug,
    )
    listed = client.get(url)
    monkeypatch.setattr("directory.filters.base.ENTRY_ID_LIMIT", 0)
    computed = client.get(url)
    assert listed.status_code == computed.status_code == 200
    assert "Programme" in results(listed)
    assert listed.content == computed.content


def test_upcoming_events_count_their_facets_over_upcoming_events_only(client, data):
    # "Upcoming" is no facet: every facet counts what that filter leaves.
    f.event(
        "Future Expo",
        start_date=datetime.date(2999, 1, 1),
        regions=[data["shenzhen"]],
        sectors=[data["ai"]],
    )
    f.event(
        "Old Forum",
        kind="forum",
        start_date=datetime.date(2001, 5, 1),
        regions=[data["sichuan"]],
        sectors=[data["bio"]],
    )
    html = client.get("/events/", {"when": "upcoming"}).content.decode()
    for option in ("Guangdong", "Artificial intelligence", "Expo or fair", "2999"):
        assert re.search(rf"{option} <span class=\"count\">\(1\)", html), option
    for option in ("Sichuan", "Biotech", "Forum", "2001"):
        assert not re.search(rf"{option} <span class=\"count\">", html), option
    # Beside a facet's own filter, the others still count what both leave.
    html = client.get("/events/", {"when": "past", "kind": "expo"}).content.decode()
    assert re.search(r"Forum <span class=\"count\">\(1\)", html)
    assert not re.search(r"Sichuan <span class=\"count\">", html)


@pytest.mark.parametrize(
    "query",
    [
        "when=upcoming",
        "when=upcoming&region={city}",
        "when=upcoming&sector={sector}&region={province}",
        "when=upcoming&organisation={organisation}",
        "when=upcoming&kind=forum",
        "when=upcoming&year=2027",
    ],
)
def test_upcoming_facets_read_from_the_entries_last_days_as_from_the_events(
    client, db, monkeypatch, query
):
    # The entries carry each event's last day, so an upcoming list counts its
    # facets from them; looking the upcoming events up gives the same page.
    catalogue = f.catalogue(12)
    cities, orgs = catalogue["cities"], catalogue["organisations"]
    today = datetime.date.today()
    day = datetime.timedelta(days=1)
    f.event(
        "Ends Today",
        kind="forum",
        start_date=today - 3 * day,
        end_date=today,
        regions=[cities[1]],
        organisations=[orgs[2]],
    )
    f.event(
        "Ended Yesterday",
        kind="forum",
        start_date=today - 3 * day,
        end_date=today - day,
        regions=[cities[1]],
        organisations=[orgs[2]],
    )
    moved = f.event(
        "Moved Forward",
        kind="forum",
        start_date=today - 40 * day,
        regions=[cities[2]],
        sectors=catalogue["sectors"][1:],
        organisations=[orgs[3]],
    )
    moved.start_date = today + 5 * day
    moved.save()
    url = "/events/?" + query.format(
        city=cities[1].slug,
        province=catalogue["province"].slug,
        sector=catalogue["sectors"][0].slug,
        organisation=orgs[2].slug,
    )
    from_entries = client.get(url)
    monkeypatch.setattr("programmes.filters.EventFilterSet.entries_until", lambda self, *_: None)
    from_events = client.get(url)
    assert from_entries.status_code == from_events.status_code == 200
    assert 'class="count"' in from_entries.content.decode()
    assert from_entries.content == from_events.content


def test_upcoming_events_read_soonest_first_with_those_still_on_at_the_top(client, db):
    today = datetime.date.today()
    day = datetime.timedelta(days=1)
    f.event("Later Forum", start_date=today + 30 * day)
    f.event("Closing Date Only", end_date=today + 10 * day)
    f.event("Running Expo", start_date=today - 5 * day, end_date=today + 2 * day)
    f.event("Tomorrow Summit", start_date=today + day)
    f.event("Finished Fair", start_date=today - 9 * day, end_date=today - day)
    listed = results(client.get("/events/", {"when": "upcoming"}))
    names = re.findall(r"Later Forum|Closing Date Only|Running Expo|Tomorrow Summit", listed)
    assert names == ["Running Expo", "Tomorrow Summit", "Closing Date Only", "Later Forum"]
    assert "Finished Fair" not in listed
