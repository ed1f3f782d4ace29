"""Two staff editing the same record in two real admin sessions: the second
save never silently overwrites the first, and a stale form cannot change a
status someone else has just changed."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from directory import workflow
from directory.models import Citation, Enquiry, PublicationStatus, StaffConfirmation
from programmes.models import Programme
from tests.support.admin import ADMIN_MODELS, PASSWORD, post_data, staff_user


def session(user):
    """A browser of its own, signed in through the admin's login form."""
    client = Client()
    login = {"username": user.username, "password": PASSWORD, "next": "/admin/"}
    assert client.post(reverse("admin:login"), login).status_code == 302
    return client


def change_url(record):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


@pytest.fixture
def two_editors(editor, records):
    return session(editor), session(staff_user("second-editor", "Editor"))


def conflict_rows(response):
    return response.context["edit_conflict"]["fields"]


def test_the_second_save_of_a_programme_is_refused_and_shows_both_versions(two_editors, records):
    first, second = two_editors
    programme = records["programme"]
    url = change_url(programme)
    form_a, form_b = first.get(url), second.get(url)

    assert first.post(url, post_data(form_a, name="Renamed by the first")).status_code == 302
    response = second.post(url, post_data(form_b, name="Renamed by the second", summary="New"))

    assert response.status_code == 200
    programme.refresh_from_db()
    assert programme.name == "Renamed by the first"
    assert programme.summary == ""
    html = response.content.decode()
    assert "Someone else saved this record after you opened it" in html
    # Field by field: what the second typed, beside what is stored.
    rows = {
        str(label): (str(typed), str(stored)) for label, typed, stored in conflict_rows(response)
    }
    assert rows["Name"] == ("Renamed by the second", "Renamed by the first")
    assert rows["Summary"] == ("New", "(empty)")
    assert "Last saved by editor" in html
    # Nothing the second typed is lost: it is still in the form.
    form = response.context["adminform"].form
    assert form["name"].value() == "Renamed by the second"
    assert form["summary"].value() == "New"

    # Saving the returned form again, having read it, keeps the second's version.
    assert second.post(url, post_data(response)).status_code == 302
    programme.refresh_from_db()
    assert (programme.name, programme.summary) == ("Renamed by the second", "New")


def _enquiry(records):
    return Enquiry.objects.create(
        record=records["organisation"],
        record_name="HKPC",
        name="Someone",
        email="someone@example.com",
        message="A question",
        routed_to="inbox@directory.invalid",
    )


def _confirmation(records):
    return StaffConfirmation.objects.create(
        record=records["programme"],
        confirmed_by=User.objects.get(username="editor"),
        confirmed_with="HKPC press office",
    )


# Every model staff edit in the admin, and a field each session changes.
EDITABLE = [
    (lambda r: r["programme"], "summary"),
    (lambda r: r["service"], "audience"),
    (lambda r: r["event"], "venue"),
    (lambda r: r["organisation"], "description"),
    (lambda r: r["region"], "alternative_names"),
    (lambda r: r["sector"], "description"),
    (lambda r: r["category"], "description"),
    (lambda r: r["article"], "publisher"),
    (lambda r: Citation.objects.get(article=r["article"]), "supports"),
    (_confirmation, "note"),
]


@pytest.mark.parametrize("make,field", EDITABLE)
def test_no_editable_model_lets_a_stale_form_overwrite(two_editors, records, make, field):
    first, second = two_editors
    record = make(records)
    url = change_url(record)
    form_a, form_b = first.get(url), second.get(url)
    assert first.post(url, post_data(form_a, **{field: "first"})).status_code == 302

    response = second.post(url, post_data(form_b, **{field: "second"}))

    assert response.status_code == 200, type(record).__name__
    record.refresh_from_db()
    assert getattr(record, field) == "first"
    typed_and_stored = [(str(t), str(s)) for _label, t, s in conflict_rows(response)]
    assert ("second", "first") in typed_and_stored


def test_an_enquiry_marked_by_two_people_keeps_the_first_answer(two_editors, records):
    first, second = two_editors
    enquiry = _enquiry(records)
    url = change_url(enquiry)
    form_a, form_b = first.get(url), second.get(url)
    assert first.post(url, post_data(form_a, status="answered")).status_code == 302
    response = second.post(url, post_data(form_b, status="closed"))
    assert response.status_code == 200
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.ANSWERED
    assert [(str(t), str(s)) for _l, t, s in conflict_rows(response)] == [("Closed", "Answered")]


def test_a_citation_added_meanwhile_shows_as_an_inline_difference(two_editors, records):
    first, second = two_editors
    programme = records["programme"]
    url = change_url(programme)
    form_a, form_b = first.get(url), second.get(url)
    prefix = "directory-citation-content_type-object_id"
    added = post_data(
        form_a,
        **{
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-1-article": str(records["article"].pk),
            f"{prefix}-1-quote": "the centre offers intellectual property guidance and testing.",
        },
    )
    assert first.post(url, added).status_code == 302
    assert Citation.objects.filter(object_id=programme.pk).count() == 2

    response = second.post(url, post_data(form_b, summary="Edited"))

    assert response.status_code == 200
    assert Citation.objects.filter(object_id=programme.pk).count() == 2
    [(label, typed, stored)] = response.context["edit_conflict"]["inlines"]
    assert len(typed) == 1 and len(stored) == 2
    assert any("and testing." in row for row in stored)


def test_a_stale_publisher_form_cannot_republish_what_another_unpublished(publisher, records):
    first, second = session(publisher), session(staff_user("second-publisher", "Publisher"))
    organisation = records["organisation"]  # published
    url = change_url(organisation)
    stale = first.get(url)
    # The other publisher unpublishes it from the changelist.
    second.post(
        reverse("admin:directory_organisation_changelist"),
        {"action": "unpublish", "_selected_action": [organisation.pk]},
    )
    organisation.refresh_from_db()
    assert organisation.status == PublicationStatus.DRAFT

    data = post_data(stale, status="published", description="Stale edit")
    refused = first.post(url, data)
    assert refused.status_code == 200
    organisation.refresh_from_db()
    assert organisation.status == PublicationStatus.DRAFT
    # Even saving the form again, deliberately, changes the text, not the status.
    assert first.post(url, post_data(refused, status="published")).status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == PublicationStatus.DRAFT
    assert organisation.description == "Stale edit"


def test_a_workflow_action_on_a_stale_record_keeps_the_other_edit(two_editors, publisher, records):
    first, _second = two_editors
    programme = records["programme"]
    stale = Programme.objects.get(pk=programme.pk)  # loaded before the edit below
    url = change_url(programme)
    assert first.post(url, post_data(first.get(url), name="Edited meanwhile")).status_code == 302

    workflow.publish([stale], publisher)
    workflow.mark_verified([stale], publisher)

    programme.refresh_from_db()
    assert programme.name == "Edited meanwhile"
    assert programme.status == PublicationStatus.PUBLISHED
    assert programme.verified_by == publisher


def test_an_unchanged_record_saves_without_a_conflict(two_editors, records):
    first, _second = two_editors
    for record in (records["event"], records["region"], records["article"]):
        url = change_url(record)
        assert first.post(url, post_data(first.get(url))).status_code == 302, url


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model.__name__)
def test_every_change_form_carries_a_version(two_editors, records, model):
    first, _second = two_editors
    record = model.objects.first() or (_enquiry(records) if model is Enquiry else None)
    record = record or _confirmation(records)
    html = first.get(change_url(record)).content.decode()
    assert 'name="record_version"' in html


def test_restoring_an_earlier_version_after_someone_else_saved_is_refused_first(
    two_editors, records
):
    first, second = two_editors
    programme = records["programme"]
    url = change_url(programme)
    assert first.post(url, post_data(first.get(url), name="Renamed by mistake")).status_code == 302
    earliest = programme.history.order_by("history_date")[0]
    restore_url = reverse(
        "admin:programmes_programme_simple_history", args=[programme.pk, earliest.history_id]
    )
    restore_page = first.get(restore_url)

    # Meanwhile the second editor fixes the summary.
    assert second.post(url, post_data(second.get(url), summary="Fixed")).status_code == 302
    response = first.post(restore_url, post_data(restore_page))

    assert response.status_code == 200
    assert "Someone else saved this record after you opened it" in response.content.decode()
    programme.refresh_from_db()
    assert (programme.name, programme.summary) == ("Renamed by mistake", "Fixed")
    rows = {str(label): str(stored) for label, _typed, stored in conflict_rows(response)}
    assert rows["Summary"] == "Fixed"

    # Restoring again, having read the comparison, is deliberate.
    assert first.post(restore_url, post_data(response)).status_code == 302
    programme.refresh_from_db()
    assert (programme.name, programme.summary) == ("Going Global Service Centre", "")
