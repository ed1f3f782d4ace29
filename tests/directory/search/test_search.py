import pytest
from django.db import connection

from directory import search
from directory.models import Organisation
from programmes.models import Programme
from tests import factories as f
from tests.support.search import found_names


@pytest.fixture
def data(db):
    xian = f.region("Xi'an", alternative_names="Xian")
    ip = f.category("Intellectual property", alternative_names="IP")
    hkpc = f.organisation(short_name="HKPC")
    zgc = f.organisation("Zhongguancun Youth Innovation Center")
    led = f.programme("Cradle Going Global", organisations=[hkpc, (zgc, "partner")])
    other = f.programme("Unrelated fund", kind="fund", regions=[xian])
    advice = f.service("Patent and trademark advice", provider=zgc, category_=ip)
    f.index(hkpc, zgc, led, other, advice)
    return locals()


def test_it_finds_an_organisation_by_its_acronym(client, data):
    assert found_names(client, "HKPC", "organisations") == ["Hong Kong Productivity Council"]


def test_it_finds_programmes_led_by_an_organisation_named_in_full(client, data):
    assert found_names(client, "Hong Kong Productivity Council", "programmes") == [
        "Cradle Going Global"
    ]


def test_it_finds_programmes_by_a_partners_name(client, data):
    assert found_names(client, "Zhongguancun", "programmes") == ["Cradle Going Global"]


def test_it_finds_services_by_a_category_abbreviation(client, data):
    assert found_names(client, "IP", "services") == ["Patent and trademark advice"]


def test_it_finds_records_by_a_regions_other_spelling(client, data):
    assert found_names(client, "Xian", "programmes") == ["Unrelated fund"]
    assert found_names(client, "Xi'an", "programmes") == ["Unrelated fund"]


def test_it_groups_results_by_kind_with_counts(client, data):
    response = client.get("/search/", {"q": "HKPC"})
    html = response.content.decode()
    assert 'id="group-organisations"' in html and 'id="group-programmes"' in html
    assert "Organisations 1" in html


def test_it_ranks_a_name_match_above_a_related_match(client, data):
    f.index(f.programme("HKPC Innovation Fund", kind="fund"))
    assert found_names(client, "HKPC", "programmes")[0] == "HKPC Innovation Fund"


def test_it_hides_unpublished_records_from_search(client, data):
    f.index(f.programme("Draft HKPC plan", status="draft"))
    assert "Draft HKPC plan" not in found_names(client, "HKPC", "programmes")


def test_it_says_so_when_nothing_matches(client, data):
    html = client.get("/search/", {"q": "qwertyuiop"}).content.decode()
    assert "Nothing found for" in html


def test_it_caps_counts_for_a_term_that_matches_many(db):
    records = [f.programme(f"Common programme {i}") for i in range(12)]
    search.refresh_search_index(records)
    found = search.search(Programme.objects.published(), "common", cap=10)
    assert found.count() == 10
    assert search.count_label(10, cap=10) == "10+"


def test_it_counts_every_match_not_only_the_ten_shown(client, db):
    f.index(*[f.programme(f"Common programme {i}") for i in range(12)])
    response = client.get("/search/", {"q": "common"})
    (programmes,) = response.context["groups"]
    assert len(programmes["results"]) == 10
    assert programmes["count"] == 12
    html = response.content.decode()
    assert '<span class="count">(12)</span>' in html
    assert "All matching Programmes" in html


def test_it_shows_the_best_ranked_candidates_with_how_many_there_are(db):
    f.index(*[f.programme(f"Common programme {i}") for i in range(12)], f.programme("Common"))
    published = Programme.objects.published()
    best = list(search.best(published, "common", limit=3))
    # The exact name first, then by rank and name; the count covers all 13.
    assert [p.name for p in best] == ["Common", "Common programme 0", "Common programme 1"]
    assert [p.candidates for p in best] == [13, 13, 13]
    assert [p.candidates for p in search.best(published, "common", limit=3, cap=5)] == [5, 5, 5]
    assert list(search.best(published, "nothing like it", limit=3)) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram matching is PostgreSQL's")
def test_it_finds_a_misspelt_name_with_the_look_alikes_looked_up_once_on_postgresql(data):
    alikes = search.look_alikes("Productivty")
    assert "'productivity':A" in alikes
    found = search.best(Organisation.objects.published(), "Productivty", limit=10, alikes=alikes)
    assert [o.name for o in found] == ["Hong Kong Productivity Council"]
    # A word like no word of any name: no look-alikes, and nothing found by them.
    assert search.look_alikes("Productivty qwertyuiop") == ""
    found = search.best(Organisation.objects.published(), "Productivty qwertyuiop", 10, "")
    assert list(found) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage")
def test_search_vectors_are_kept_in_their_rows_on_postgresql(db):
    # Out of line, every candidate a search reads costs a TOAST lookup.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attstorage, c.reloptions FROM pg_attribute a "
            "JOIN pg_class c ON c.oid = a.attrelid WHERE a.attname = 'search_vector' "
            "AND c.relkind = 'r' ORDER BY c.relname"
        )
        rows = cursor.fetchall()
    assert [name for name, _storage, _options in rows] == [
        "directory_organisation",
        "programmes_event",
        "programmes_programme",
        "programmes_service",
    ]
    assert {(storage, tuple(options)) for _name, storage, options in rows} == {
        ("m", ("toast_tuple_target=4080",))
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram matching is PostgreSQL's")
def test_it_ranks_the_words_above_a_look_alike_on_postgresql(client, db):
    # "Productivity" is in the first's description only; the second's name
    # is one letter off it (a trigram match, not a word match).
    f.index(
        f.programme("Factory upgrade scheme", description="Raises productivity in factories."),
        f.programme("Productivty Awards"),
    )
    assert found_names(client, "Productivity", "programmes") == [
        "Factory upgrade scheme",
        "Productivty Awards",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram matching is PostgreSQL's")
def test_it_finds_a_misspelt_name_on_postgresql(client, data):
    assert found_names(client, "Productivty", "organisations") == ["Hong Kong Productivity Council"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram matching is PostgreSQL's")
def test_it_finds_a_name_with_one_of_several_words_misspelt_on_postgresql(client, data):
    # Each word is matched on its own: "Hong", "Kong" and "Council" as they
    # are, "Productivty" by its look-alike; the stop word "the" is left out.
    found = found_names(client, "the Hong Kong Productivty Council", "organisations")
    assert found == ["Hong Kong Productivity Council"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram matching is PostgreSQL's")
def test_a_word_like_no_name_finds_no_look_alike_on_postgresql(client, data):
    # Without it, "Productivty" alone would find the council.
    assert found_names(client, "Productivty qwertyuiop", "organisations") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram matching is PostgreSQL's")
def test_a_new_name_is_found_misspelt_as_soon_as_it_is_indexed_on_postgresql(client, data):
    assert found_names(client, "Shenzhen Robotcs Alliance", "organisations") == []
    f.index(f.organisation("Shenzhen Robotics Alliance"))
    assert found_names(client, "Shenzhen Robotcs Alliance", "organisations") == [
        "Shenzhen Robotics Alliance"
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram matching is PostgreSQL's")
def test_the_name_words_can_be_rebuilt_from_the_records_on_postgresql(client, data):
    # As the migration and the bulk loader fill them, from `search_names`.
    from directory.models import NameWord

    NameWord.objects.all().delete()
    assert found_names(client, "Productivty", "organisations") == []
    tables = ["directory_organisation", "programmes_programme"]
    with connection.cursor() as cursor:
        cursor.execute(search.name_words_from_tables_sql(tables))
    assert NameWord.objects.filter(word="productivity").exists()
    assert found_names(client, "Productivty", "organisations") == ["Hong Kong Productivity Council"]


def test_it_keeps_the_search_document_current_when_relations_change(client, data):
    new_partner = f.organisation("Qianhai Authority")
    data["led"].organisation_roles.create(organisation=new_partner, role="partner")
    assert found_names(client, "Qianhai", "programmes") == []
    search.refresh_search_index([data["led"]])
    assert found_names(client, "Qianhai", "programmes") == ["Cradle Going Global"]


def test_each_result_shows_what_its_kind_has_beside_its_name(client, db):
    """An acronym where the kind has one, a summary where it has one, and
    for a service its category and provider."""
    hkpc = f.organisation(short_name="HKPC")
    cradle = f.programme(
        "Cradle Going Global", short_name="CGG", summary="Landing help abroad", organisations=[hkpc]
    )
    fair = f.event("Cradle Fair", summary="Two days of pitches")
    advice = f.service("Cradle patent advice", provider=hkpc, category_=f.category("Patents"))
    f.index(hkpc, cradle, fair, advice)
    page = client.get("/search/", {"q": "Cradle"}).content.decode()
    assert "Cradle Going Global</a>" not in page  # followed by its acronym
    assert "Cradle Going Global (CGG)</a>" in page
    assert "<p>Landing help abroad</p>" in page
    assert "<p>Two days of pitches</p>" in page
    assert "Patents · Hong Kong Productivity Council" in page
    page = client.get("/search/", {"q": "HKPC"}).content.decode()
    assert "Hong Kong Productivity Council (HKPC)</a>" in page
