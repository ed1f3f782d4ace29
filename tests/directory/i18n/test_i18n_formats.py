"""Dates and numbers are written the way readers of each language write them."""

import datetime

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation

from tests import factories as f

NOVEMBER_12 = datetime.date(2020, 11, 12)


@pytest.fixture(autouse=True)
def language_restored():
    # A request to a Chinese page leaves Chinese active in this thread, and
    # later tests would build Chinese URLs with reverse().
    with translation.override(translation.get_language()):
        yield


def event_page(client, language, **fields):
    event = f.event("InnoEX 2020", start_date=NOVEMBER_12, **fields)
    with translation.override(language):
        url = event.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown"), [("en", "12 November 2020"), ("zh-hans", "2020年11月12日")]
)
def test_it_writes_a_full_date_in_the_page_language(client, language, shown):
    html = event_page(client, language, start_precision="day")
    assert shown in html
    assert "Nov. 12" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("en", "November 2020", "12 November"),
        ("zh-hans", "2020年11月", "2020年11月12日"),
        ("zh-hant", "2020年11月", "2020年11月12日"),
    ],
)
def test_it_writes_a_month_without_inventing_a_day(client, language, shown, hidden):
    html = event_page(client, language, start_precision="month")
    assert shown in html
    assert hidden not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown"), [("en", "<dd>2020</dd>"), ("zh-hans", "<dd>2020年</dd>")]
)
def test_it_writes_a_year_alone(client, language, shown):
    html = event_page(client, language, start_precision="year")
    assert shown in html
    assert "November" not in html and "11月" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_it_groups_the_attendance_in_thousands(client, language):
    html = event_page(client, language, attendance=26000)
    assert "26,000" in html


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_it_groups_large_numbers_by_thousands_in_every_language(language):
    # Django's own Chinese formats would write "1234567" (groups of four, no
    # separator), unlike the counts the list pages print.
    with translation.override(language):
        assert intcomma(1234567) == "1,234,567"
