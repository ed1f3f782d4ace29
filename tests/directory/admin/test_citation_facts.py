"""Staff mark which key facts a citation backs, as labelled checkboxes in the
citation admin and in the citations beside a record; the public page moves the
reference number accordingly."""

import datetime
import re

import pytest
from django.urls import reverse

from directory.models import Citation
from tests import factories as f
from tests.support.admin import post_data, superuser  # noqa: F401 (fixtures)

TEXT = "The Hong Kong Productivity Council launched the Cradle centre in April 2025."
INLINE = "directory-citation-content_type-object_id"


@pytest.fixture
def staff_client(client, superuser):  # noqa: F811
    client.force_login(superuser)
    return client


@pytest.fixture
def cited(db):
    programme = f.programme(
        "Cradle",
        summary="The Cradle's services.",
        lifecycle="active",
        launch_date=datetime.date(2025, 4, 1),
        launch_precision="month",
    )
    citation = f.cite(programme, f.article(TEXT), "in April 2025", facts=["status"])
    return programme, citation


def beside(client, programme, label):
    html = client.get(programme.get_absolute_url()).content.decode()
    return 'href="#ref-1"' in html.split(f"<dt>{label}</dt>")[1].split("<dt>")[0]


def test_the_citation_form_shows_each_key_fact_as_a_labelled_checkbox(staff_client, cited):
    _programme, citation = cited
    url = reverse("admin:directory_citation_change", args=[citation.pk])

    html = staff_client.get(url).content.decode()

    boxes = re.findall(r'<input type="checkbox" name="facts" value="(\w+)"[^>]*id="(\w+)"', html)
    assert [value for value, _id in boxes][:3] == ["name", "runs", "partners"]
    assert len(boxes) == 10
    for _value, box_id in boxes:
        assert f'<label for="{box_id}">' in html
    assert re.search(r'value="status"[^>]*checked', html)
    assert "Runs it" in html and "Attendance" in html


def test_ticking_another_fact_in_the_citation_admin_moves_the_number(staff_client, cited):
    programme, citation = cited
    assert beside(staff_client, programme, "Status")
    url = reverse("admin:directory_citation_change", args=[citation.pk])

    data = post_data(staff_client.get(url), facts=["date"])
    assert staff_client.post(url, data).status_code == 302

    assert Citation.objects.get(pk=citation.pk).facts == ["date"]
    assert beside(staff_client, programme, "Launched")
    assert not beside(staff_client, programme, "Status")


def test_ticking_facts_beside_the_record_moves_the_number(staff_client, cited):
    programme, _citation = cited
    url = reverse("admin:programmes_programme_change", args=[programme.pk])

    data = post_data(staff_client.get(url), **{f"{INLINE}-0-facts": ["date", "runs"]})
    assert staff_client.post(url, data).status_code == 302

    # Stored in the panel's order, whatever order they were ticked in.
    assert programme.citations.get().facts == ["runs", "date"]
    assert beside(staff_client, programme, "Launched")
    assert not beside(staff_client, programme, "Status")


def test_an_unknown_fact_is_refused(staff_client, cited):
    _programme, citation = cited
    url = reverse("admin:directory_citation_change", args=[citation.pk])

    response = staff_client.post(url, post_data(staff_client.get(url), facts=["rumour"]))

    assert response.status_code == 200
    assert Citation.objects.get(pk=citation.pk).facts == ["status"]
