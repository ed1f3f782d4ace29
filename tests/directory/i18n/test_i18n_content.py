"""Public pages show records in the page's language, and say when they cannot."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from directory.models import Organisation, Region, Sector, ServiceCategory
from tests import factories as f


@pytest.fixture(autouse=True)
def english_afterwards():
    # A request to a /zh-hans/ page leaves Chinese active in this thread, and
    # later tests would reverse() to Chinese URLs.
    yield
    translation.activate(settings.LANGUAGE_CODE)


ENGLISH_ONLY = '<span class="english-only">'


@pytest.fixture
def data(db):
    sichuan = f.region("Sichuan", slug="sichuan", name_zh_hans="四川", name_zh_hant="四川")
    fintech = f.sector(
        "Financial technology", slug="fintech", name_zh_hans="金融科技", name_zh_hant="金融科技"
    )
    ip = f.category(
        "Intellectual property guidance",
        name_zh_hans="知识产权指导",
        name_zh_hant="知識產權指導",
    )
    hkpc = f.organisation(
        short_name="HKPC",
        slug="hkpc",
        region=sichuan,
        sectors=[fintech],
        description="Helps SMEs.",
        name_zh_hans="香港生产力促进局",
        name_zh_hant="香港生產力促進局",
    )
    centre = f.programme(
        "Going Global Service Centre",
        slug="centre",
        summary="One-stop help for firms going global.",
        description="Opened in 2025.",
        regions=[sichuan],
        sectors=[fintech],
        organisations=[hkpc],
    )
    advice = f.service(
        "Patent advice", slug="advice", provider=hkpc, category_=ip, programme=centre
    )
    expo = f.event("InnoEX", slug="innoex", city=sichuan, programmes=[centre], organisations=[hkpc])
    f.index(hkpc, centre, advice, expo)
    return locals()


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def test_it_shows_chinese_names_on_the_simplified_organisation_page(client, data):
    html = page(client, "/zh-hans/organisations/hkpc/")
    assert "<h1>香港生产力促进局 (HKPC)</h1>" in html
    assert ">四川</a>" in html  # based in
    assert ">金融科技</a>" in html  # sectors
    assert '<span lang="en">Going Global Service Centre</span>' in html  # programmes
    # The description has no Chinese version: English, tagged and marked.
    assert ENGLISH_ONLY in html
    assert '<div lang="en"><p>Helps SMEs.</p></div>' in html


def test_it_shows_traditional_names_on_traditional_pages(client, data):
    html = page(client, "/zh-hant/organisations/hkpc/")
    assert "香港生產力促進局" in html
    assert "香港生产力促进局" not in html


def test_english_pages_are_unchanged(client, data):
    html = page(client, "/organisations/hkpc/")
    assert "<h1>Hong Kong Productivity Council (HKPC)</h1>" in html
    assert ENGLISH_ONLY not in html
    assert 'lang="en"><p>' not in html
    assert "香港" not in html.split("<main")[1]


def test_a_programme_without_chinese_texts_is_marked_english_only(client, data):
    html = page(client, "/zh-hans/programmes/centre/")
    assert '<h1><span lang="en">Going Global Service Centre</span> ' + ENGLISH_ONLY in html
    assert '<span lang="en">One-stop help for firms going global.</span>' in html
    assert html.count(ENGLISH_ONLY) >= 3  # name, summary, description
    assert ">四川</a>" in html and ">金融科技</a>" in html
    assert ">香港生产力促进局 (HKPC)</a>" in html  # lead organisation
    assert "知识产权指导" in html  # the service's kind of help


def test_a_translated_programme_shows_no_marker(client, data):
    centre = data["centre"]
    centre.name_zh_hans = "出海服务中心"
    centre.summary_zh_hans = "一站式出海服务。"
    centre.description_zh_hans = "2025年启用。"
    centre.save()
    html = page(client, "/zh-hans/programmes/centre/")
    assert "<h1>出海服务中心</h1>" in html
    assert "一站式出海服务。" in html
    assert ENGLISH_ONLY not in html.split("<main")[1].split('class="sources"')[0]


def test_lists_facets_and_chips_use_chinese_names(client, data):
    html = page(client, "/zh-hans/programmes/", region="sichuan", sector="fintech")
    assert "> 四川 <span" in html  # region facet option
    assert "> 金融科技 <span" in html  # sector facet option
    assert ": 四川 <span" in html  # chip
    assert "知识产权指导" in html  # kind-of-help facet
    assert "> 香港生产力促进局 (HKPC) <span" in html  # organisation facet
    assert '<span lang="en">Going Global Service Centre</span>' in html


def test_organisation_event_and_service_pages_use_chinese_names(client, data):
    html = page(client, "/zh-hant/organisations/")
    assert "香港生產力促進局" in html and "四川" in html
    html = page(client, "/zh-hant/events/innoex/")
    assert "香港生產力促進局" in html and ">四川</a>" in html
    html = page(client, "/zh-hant/services/advice/")
    assert ">知識產權指導</a>" in html
    assert "香港生產力促進局 (HKPC)" in html
    html = page(client, "/zh-hant/services/")
    assert "知識產權指導" in html


def test_the_home_page_uses_chinese_names(client, data):
    html = page(client, "/zh-hans/")
    assert "四川" in html and "金融科技" in html and "知识产权指导" in html


def test_source_pages_link_records_by_their_chinese_name(client, data):
    source = f.article("The Hong Kong Productivity Council launched the centre.")
    f.cite(data["hkpc"], source, "The Hong Kong Productivity Council launched the centre.")
    html = page(client, f"/zh-hans/sources/{source.slug}/")
    assert ">香港生产力促进局</a>" in html


def test_chinese_pages_take_no_more_queries_than_english_ones(client, data):
    for url in (
        "/programmes/?region=sichuan",
        "/organisations/hkpc/",
        "/programmes/centre/",
        "/events/innoex/",
        "/search/?q=HKPC",
        "/",
    ):
        counts = []
        for prefix in ("", "/zh-hans"):
            client.get(prefix + url)  # warm caches
            with CaptureQueriesContext(connection) as queries:
                client.get(prefix + url)
            counts.append(len(queries))
        assert counts[0] == counts[1], url


@pytest.mark.django_db
def test_every_seeded_region_sector_and_kind_of_help_has_chinese_names(client):
    call_command("load_seeds", verbosity=0)
    for model in (Region, Sector, ServiceCategory):
        assert not model.objects.filter(name_zh_hans="").exists(), model
        assert not model.objects.filter(name_zh_hant="").exists(), model
    for model in (Sector, ServiceCategory):
        assert not model.objects.exclude(description="").filter(description_zh_hant="").exists()
    hkpc = Organisation.objects.get(slug="hkpc")
    assert (hkpc.name_zh_hans, hkpc.name_zh_hant) == ("香港生产力促进局", "香港生產力促進局")
    # Every name has Chinese; official names are marked as such, the others
    # are the directory's translations.
    assert not Organisation.objects.filter(name_zh_hans="").exists()
    assert "name" in hkpc.zh_official
    assert "香港生产力促进局" in page(client, "/zh-hans/organisations/hkpc/")


@pytest.mark.django_db
def test_a_second_load_leaves_translations_unchanged_and_keeps_staff_edits(client):
    call_command("load_seeds", verbosity=0)
    sichuan = Region.objects.get(slug="sichuan")
    sichuan.name_zh_hant = "四川省"
    sichuan.save()
    call_command("load_seeds", verbosity=0)
    sichuan.refresh_from_db()
    assert sichuan.name_zh_hant == "四川省"
    assert Region.objects.get(slug="chengdu").name_zh_hant == "成都"


@pytest.mark.django_db
def test_records_loaded_before_the_translations_receive_them():
    from directory import seeding

    call_command("load_seeds", verbosity=0)
    # As a database loaded by the English-only seeds was: no Chinese, and a
    # fingerprint of what that load wrote.
    Region.objects.update(name_zh_hans="", name_zh_hant="")
    entries, _texts = seeding.read_seeds(seeding.DEFAULT_SEEDS_DIR)
    by_key = {entry.seed_key: entry for entry in entries}
    for record in Region.objects.all():
        entry = by_key[record.seed_key]
        record.seed_fingerprint = seeding._fingerprint(seeding._snapshot_of(entry, record))
        record.save()
    call_command("load_seeds", verbosity=0)
    assert Region.objects.get(slug="sichuan").name_zh_hans == "四川"
