"""Translators' view of the admin: Chinese beside English, what is missing,
what may be outdated."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from directory.models import Organisation, Sector
from tests import factories as f
from tests.support.admin import many_rows, post_data


@pytest.fixture(autouse=True)
def english_afterwards():
    # A request to a /zh-hans/ page leaves Chinese active in this thread, and
    # later tests would reverse() to Chinese URLs.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def staff(client, superuser):
    client.force_login(superuser)
    return client


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change(record):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


def status_of(html, name):
    """The text of the translations column in the row of `name`."""
    rows = [r for r in html.split("<tr") if "translation-status" in r]
    row = next(r for r in rows if f">{name}<" in r)
    spans = re.findall(r'<span class="translation-status"[^>]*>([^<]*)</span>', row)
    return " ".join(spans)


def test_it_shows_which_languages_each_record_has(staff):
    f.organisation("Hong Kong Productivity Council", name_zh_hans="香港生产力促进局")
    f.organisation(
        "Invest Hong Kong",
        short_name="InvestHK",
        name_zh_hans="投资推广署",
        name_zh_hant="投資推廣署",
        # The short name is translated too (issue 21).
        short_name_zh_hans="投资推广署",
        short_name_zh_hant="投資推廣署",
    )
    html = staff.get(changelist(Organisation)).content.decode()
    assert status_of(html, "Hong Kong Productivity Council") == "EN ✓ 简 ✓ 繁 ✗"
    assert status_of(html, "Invest Hong Kong") == "EN ✓ 简 ✓ 繁 ✓"


def test_a_record_with_an_untranslated_description_is_not_complete(staff):
    Sector.objects.create(
        name="Fintech", slug="fintech", name_zh_hans="金融科技", description="Payments."
    )
    html = staff.get(changelist(Sector)).content.decode()
    assert status_of(html, "Fintech") == "EN ✓ 简 ✗ 繁 ✗"


def test_it_filters_records_missing_a_translation(staff):
    f.organisation("Hong Kong Productivity Council", name_zh_hans="香港生产力促进局")
    f.organisation("Invest Hong Kong", name_zh_hans="投资推广署", name_zh_hant="投資推廣署")
    f.organisation("Sino Group")
    url = changelist(Organisation)

    missing_traditional = staff.get(url, {"missing_translation": "zh-hant"}).content.decode()
    assert "Hong Kong Productivity Council" in missing_traditional
    assert "Sino Group" in missing_traditional
    assert "Invest Hong Kong" not in missing_traditional

    missing_simplified = staff.get(url, {"missing_translation": "zh-hans"}).content.decode()
    assert "Sino Group" in missing_simplified
    assert "Hong Kong Productivity Council" not in missing_simplified
    assert "Simplified Chinese" in missing_simplified  # the filter's choices


def test_the_filter_and_column_add_no_query(staff):
    many_rows(60)
    url = changelist(Organisation)
    staff.get(url)  # warm the content-type cache
    with CaptureQueriesContext(connection) as plain:
        staff.get(url)
    with CaptureQueriesContext(connection) as filtered:
        response = staff.get(url, {"missing_translation": "zh-hans"})
    assert response.status_code == 200
    assert len(filtered) <= len(plain)
    print(f"organisation changelist: {len(plain)} queries, filtered {len(filtered)}")


def test_it_puts_the_chinese_fields_beside_the_english(staff):
    record = f.organisation("Hong Kong Productivity Council")
    html = staff.get(change(record)).content.decode()
    row = next(r for r in html.split('class="form-row') if 'name="name"' in r)
    assert 'name="name_zh_hans"' in row and 'name="name_zh_hant"' in row


def test_editing_the_english_after_a_translation_flags_it_as_outdated(staff):
    record = f.organisation("Hong Kong Productivity Council", description="Helps SMEs.")
    page = staff.get(change(record))
    staff.post(
        change(record),
        post_data(
            page,
            name_zh_hans="香港生产力促进局",
            description_zh_hans="协助中小企业。",
            _save="Save",
        ),
    )
    html = staff.get(changelist(Organisation)).content.decode()
    assert status_of(html, "Hong Kong Productivity Council") == "EN ✓ 简 ✓ 繁 ✗"

    page = staff.get(change(record))
    response = staff.post(
        change(record),
        post_data(page, description="Helps SMEs go global through Hong Kong.", _save="Save"),
    )
    assert response.status_code == 302
    html = staff.get(changelist(Organisation)).content.decode()
    assert status_of(html, "Hong Kong Productivity Council") == "EN ✓ 简 ⚠ 繁 ✗"
    assert "possibly outdated" in html

    # Revising the translation clears the flag.
    page = staff.get(change(record))
    staff.post(
        change(record),
        post_data(page, description_zh_hans="协助中小企业经香港走向世界。", _save="Save"),
    )
    html = staff.get(changelist(Organisation)).content.decode()
    assert status_of(html, "Hong Kong Productivity Council") == "EN ✓ 简 ✓ 繁 ✗"
