"""Searching in Chinese (either script) and in English from Chinese pages."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from directory import search
from tests import factories as f
from tests.support.search import found_names


@pytest.fixture(autouse=True)
def english_afterwards():
    # A request to a /zh-hans/ page leaves Chinese active in this thread, and
    # later tests would reverse() to Chinese URLs.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def data(db):
    sichuan = f.region("Sichuan", name_zh_hans="四川", name_zh_hant="四川")
    guangdong = f.region("Guangdong", name_zh_hans="广东", name_zh_hant="廣東")
    hkpc = f.organisation(
        short_name="HKPC", name_zh_hans="香港生产力促进局", name_zh_hant="香港生產力促進局"
    )
    tdc = f.organisation(
        "Hong Kong Trade Development Council",
        name_zh_hans="香港贸易发展局",
        name_zh_hant="香港貿易發展局",
    )
    in_sichuan = f.programme("Chengdu landing support", regions=[sichuan], organisations=[tdc])
    in_guangdong = f.programme("Bay Area matching", regions=[guangdong])
    led = f.programme("Cradle Going Global", organisations=[hkpc])
    f.index(hkpc, tdc, in_sichuan, in_guangdong, led)
    return locals()


def test_it_finds_the_council_by_part_of_its_simplified_name(client, data):
    found = found_names(client, "生产力", "organisations", path="/zh-hans/search/")
    assert found == ["Hong Kong Productivity Council"]


def test_it_finds_the_council_by_part_of_its_traditional_name(client, data):
    found = found_names(client, "生產力", "organisations", path="/zh-hant/search/")
    assert found == ["Hong Kong Productivity Council"]


def test_the_chinese_name_is_shown_on_the_chinese_results_page(client, data):
    response = client.get("/zh-hans/search/", {"q": "生产力"})
    assert "香港生产力促进局" in response.content.decode()


def test_it_finds_the_council_by_its_english_name_from_a_chinese_page(client, data):
    for path in ("/zh-hans/search/", "/zh-hant/search/"):
        found = found_names(client, "Hong Kong Productivity Council", "organisations", path=path)
        assert found[0] == "Hong Kong Productivity Council"


def test_it_finds_programmes_led_by_an_organisation_named_in_chinese(client, data):
    assert found_names(client, "生产力促进局", "programmes", path="/zh-hans/search/") == [
        "Cradle Going Global"
    ]


def test_a_chinese_query_needs_every_character_pair(client, data):
    # 生产 and 发展 are each in some name, but no name has both.
    assert found_names(client, "生产发展", "organisations", path="/zh-hans/search/") == []


def test_it_finds_a_name_by_a_single_character(client, data):
    assert found_names(client, "貿", "organisations", path="/zh-hant/search/") == [
        "Hong Kong Trade Development Council"
    ]


def test_it_finds_records_of_a_region_by_its_chinese_name(client, data):
    assert found_names(client, "四川", "programmes", path="/zh-hans/search/") == [
        "Chengdu landing support"
    ]


def test_the_programme_list_keyword_filter_accepts_a_chinese_region_name(client, data):
    response = client.get("/zh-hans/programmes/", {"q": "四川"})
    names = [p.name for p in response.context["results"]]
    assert names == ["Chengdu landing support"]


def test_a_region_filter_on_a_chinese_page_shows_the_chinese_region_name(client, data):
    response = client.get("/zh-hant/programmes/", {"region": data["sichuan"].slug})
    assert [p.name for p in response.context["results"]] == ["Chengdu landing support"]
    facet = next(f for f in response.context["facets"] if f.name == "region")
    assert [str(o.label) for o in facet.options if o.selected] == ["四川"]


def test_english_search_still_ignores_chinese_pairs(client, data):
    assert found_names(client, "Trade Development", "organisations", path="/search/") == [
        "Hong Kong Trade Development Council"
    ]


def test_the_document_holds_character_pairs_and_characters():
    pairs_then_characters = ["香港", "港生", "生产", "香", "港", "生", "产"]
    assert search.index_text("香港生产").split() == pairs_then_characters
    assert search.query_text("生产力 fund").split() == ["生产", "产力", "fund"]


@pytest.mark.django_db
def test_it_finds_seeded_records_by_chinese_names(client):
    call_command("load_seeds", verbosity=0)
    assert "Hong Kong Productivity Council" in found_names(
        client, "生产力", "organisations", path="/zh-hans/search/"
    )
    assert "Hong Kong Productivity Council" in found_names(
        client, "生產力", "organisations", path="/zh-hant/search/"
    )
    assert found_names(client, "四川", "programmes", path="/zh-hans/search/")
    response = client.get("/zh-hans/programmes/", {"region": "sichuan"})
    assert response.context["results"]
    assert "四川" in response.content.decode()
