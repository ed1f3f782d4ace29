"""Record and page URLs reversed once per language and script prefix
(directory/record_urls.py) are the URLs `reverse` gives, in every language,
under a script prefix, and for slugs that take the slow way."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from directory.record_urls import page_url, record_url
from tests.factories import organisation, programme

LANGUAGES = ("en", "zh-hans", "zh-hant", "en")


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_urls_as_reverse_in_each_language(language):
    with translation.override(language):
        assert record_url("directory:organisation_detail", "hkpc") == reverse(
            "directory:organisation_detail", args=["hkpc"]
        )
        assert page_url("programmes:event_list") == reverse("programmes:event_list")
        assert page_url("programmes:event_list").startswith(
            "/events/" if language == "en" else f"/{language}/"
        )


def test_under_a_script_prefix(script_prefix):
    before = record_url("programmes:programme_detail", "smarthk")
    script_prefix("/directory/")
    assert record_url("programmes:programme_detail", "smarthk") == ("/directory" + before)
    assert page_url("directory:home") == "/directory/"


def test_a_slug_that_needs_quoting_is_reversed_as_before():
    with pytest.raises(NoReverseMatch):
        record_url("programmes:programme_detail", "two words")
    with pytest.raises(NoReverseMatch):
        record_url("programmes:programme_detail", "")


@pytest.mark.django_db
def test_a_chinese_record_page_links_its_organisations_in_chinese(client):
    hkpc = organisation("Hong Kong Productivity Council", slug="hkpc")
    record = programme("Going Global Service Centre", organisations=[hkpc])
    page = client.get(f"/zh-hans{record.get_absolute_url()}").content.decode()
    assert 'href="/zh-hans/organisations/hkpc/"' in page
    assert 'href="/organisations/hkpc/"' not in page
