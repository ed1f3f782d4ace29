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


# A full date in the page language; a month without inventing a day; a year alone.
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("precision", "language", "shown", "hidden"),
    [
        ("day", "en", "12 November 2020", ["Nov. 12"]),
        ("day", "zh-hans", "2020年11月12日", ["Nov. 12"]),
        ("month", "en", "November 2020", ["12 November"]),
        ("month", "zh-hans", "2020年11月", ["2020年11月12日"]),
        ("month", "zh-hant", "2020年11月", ["2020年11月12日"]),
        ("year", "en", "Took place in 2020</dd>", ["November", "11月"]),
        ("year", "zh-hans", "已于2020年举行</dd>", ["November", "11月"]),
    ],
)
def test_it_writes_a_date_as_precisely_as_its_source(client, precision, language, shown, hidden):
    html = event_page(client, language, start_precision=precision)
    assert shown in html
    for text in hidden:
        assert text not in html


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


@pytest.mark.django_db
def test_the_same_dates_are_written_anew_in_each_language(client):
    """Dates are formatted once per language and kept (directory_tags): a
    page in one language must not get the text written for another."""
    event = f.event("InnoEX 2020", start_date=NOVEMBER_12, end_date=datetime.date(2020, 11, 14))
    shown = {}
    for language in ["en", "zh-hans", "zh-hant", "en"]:
        with translation.override(language):
            url = event.get_absolute_url()
        html = client.get(url).content.decode()
        shown.setdefault(language, []).append(html)
    assert "Took place on 12 November 2020 – 14 November 2020" in shown["en"][0]
    assert "已于2020年11月12日至2020年11月14日举行" in shown["zh-hans"][0]
    assert "November" not in shown["zh-hans"][0].split("<main", 1)[1]
    assert "2020年11月12日" in shown["zh-hant"][0]
    assert "Took place on 12 November 2020" in shown["en"][1]
