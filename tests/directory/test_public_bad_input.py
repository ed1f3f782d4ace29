"""Bad input never gives a server error: the page renders and says what it ignored."""

import pytest

from tests import factories as f

LISTS = ["/programmes/", "/organisations/", "/services/", "/events/"]


@pytest.fixture
def data(db):
    org = f.organisation(short_name="HKPC")
    for i in range(3):
        f.index(f.programme(f"Programme {i}", organisations=[org]))
    return org


BAD = [
    ({"region": "atlantis"}, "atlantis"),
    ({"sector": "nope", "help": "none"}, "sector"),
    ({"kind": "spaceship"}, "kind"),
    ({"organisation": "no-such-org"}, "organisation"),
    ({"page": "abc"}, "abc"),
    ({"page": "99999999999999999999999"}, "99999999999999999999999"),
    ({"page": "-1"}, "-1"),
    ({"from": "2024-13-45", "to": "yesterday"}, "from"),
    ({"year": "18446744073709551616"}, "year"),
    ({"bogus": "1"}, "bogus"),
    ({"region": "x\x00y"}, "xy"),
    ({"sort": "'; DROP TABLE programmes_programme; --"}, "DROP TABLE"),
    ({"kind": "<script>alert(1)</script>"}, "kind"),
]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(("params", "quoted"), BAD)
def test_it_ignores_bad_parameters_and_says_so(client, data, path, params, quoted):
    response = client.get(path, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "We ignored:" in html
    assert quoted in html
    assert "<script>alert" not in html


@pytest.mark.parametrize("path", LISTS)
def test_it_quotes_ignored_values_escaped(client, data, path):
    html = client.get(path, {"bogus<b>": "1", "region": "atlantis"}).content.decode()
    assert "bogus&lt;b&gt;" in html
    assert "atlantis" in html


def test_it_quotes_bad_values_escaped(client, data):
    html = client.get("/programmes/", {"kind": "<script>alert(1)</script>"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    html = client.get("/events/", {"from": "2024-13-45"}).content.decode()
    assert "2024-13-45" in html


def test_it_shows_the_last_page_for_a_page_past_the_end(client, data):
    response = client.get("/programmes/", {"page": "999"})
    assert response.status_code == 200
    assert "There is no page 999; this is the last page." in response.content.decode()
    assert "Programme 0" in response.content.decode()


def test_it_still_filters_by_the_valid_values_beside_bad_ones(client, data):
    region = f.region("Sichuan")
    f.programme("In Sichuan", regions=[region])
    html = client.get("/programmes/", {"region": [region.slug, "atlantis"]}).content.decode()
    assert "In Sichuan" in html
    assert "Programme 1" not in html


def test_it_ignores_an_unknown_organisation_instead_of_emptying_the_list(client, data):
    html = client.get("/programmes/", {"organisation": "no-such-org"}).content.decode()
    assert "Programme 1" in html
    assert "no-such-org" in html


@pytest.mark.parametrize("path", [*LISTS, "/search/"])
def test_it_truncates_a_very_long_query_and_says_so(client, data, path):
    response = client.get(path, {"q": "council " * 250})
    assert response.status_code == 200
    assert "shortened to its first 200 characters" in response.content.decode()


@pytest.mark.parametrize("path", [*LISTS, "/search/"])
@pytest.mark.parametrize(
    "q",
    [
        "HK\x00PC",
        "' OR 1=1; --",
        "<img src=x onerror=alert(1)>",
        "\"unbalanced 'quotes -not & | ! :*",
        "18446744073709551616",
        "   ",
        "%_\\",
    ],
)
def test_it_searches_safely_for_any_text(client, data, path, q):
    response = client.get(path, {"q": q})
    assert response.status_code == 200
    assert "<img src=x" not in response.content.decode()


def test_it_finds_records_despite_a_nul_byte(client, data):
    html = client.get("/search/", {"q": "HKPC\x00"}).content.decode()
    assert "Programme 1" in html
