"""Status moves only by the workflow (changelist actions and the change
form's buttons), and nothing is published without a source: a citation whose
quote is in its article, or a staff confirmation."""

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from tablib import Dataset

from directory import workflow
from directory.models import Citation, PublicationStatus, SourceArticle, StaffConfirmation
from programmes.models import Programme
from programmes.resources import ProgrammeResource
from tests.support.admin import post_data

Status = PublicationStatus
CHANGELIST = reverse("admin:programmes_programme_changelist")
ADD = reverse("admin:programmes_programme_add")


def change_url(record):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def unsourced(records):
    """A draft with no citation and no confirmation."""
    programme = records["programme"]
    Citation.objects.filter(object_id=programme.pk).delete()
    return programme


def test_a_quote_missing_from_its_article_is_no_source(publisher, records):
    programme = records["programme"]
    Citation.objects.filter(object_id=programme.pk).update(quote="Words not in the article")
    with pytest.raises(workflow.Unsourced):
        workflow.publish([programme], publisher)
    programme.refresh_from_db()
    assert programme.status == Status.DRAFT


def test_the_change_form_has_the_workflow_buttons_each_role_may_use(
    client,
    editor,
    publisher,
    records,
):
    url = change_url(records["programme"])
    client.force_login(editor)
    html = client.get(url).content.decode()
    assert 'name="_submit_for_review"' in html and 'name="_publish"' not in html
    client.force_login(publisher)
    html = client.get(url).content.decode()
    assert 'name="_submit_for_review"' in html and 'name="_publish"' in html
    assert 'name="status"' not in html


def test_an_editor_saves_and_submits_for_review(client, editor, records):
    client.force_login(editor)
    programme = records["programme"]
    url = change_url(programme)
    data = post_data(client.get(url), summary="Checked", _submit_for_review="1")
    assert client.post(url, data).status_code == 302
    programme.refresh_from_db()
    assert (programme.status, programme.summary) == (Status.IN_REVIEW, "Checked")
    assert programme.history.latest().history_change_reason == "Submitted for review"


def test_an_editor_posting_the_publish_button_saves_but_does_not_publish(client, editor, records):
    client.force_login(editor)
    programme = records["programme"]
    url = change_url(programme)
    response = client.post(url, post_data(client.get(url), _publish="1"), follow=True)
    programme.refresh_from_db()
    assert programme.status == Status.DRAFT
    assert any("permission" in m for m in messages_of(response))


def test_a_publisher_saves_and_publishes_through_the_workflow(client, publisher, records):
    client.force_login(publisher)
    programme = records["programme"]
    url = change_url(programme)
    assert client.post(url, post_data(client.get(url), _publish="1")).status_code == 302
    programme.refresh_from_db()
    assert programme.status == Status.PUBLISHED
    assert programme.history.latest().history_change_reason == "Published"


def test_a_new_record_added_with_a_posted_status_starts_as_a_draft(client, publisher, records):
    client.force_login(publisher)
    data = post_data(client.get(ADD), name="New fund", slug="new-fund", kind="fund")
    data["status"] = "published"
    assert client.post(ADD, data).status_code == 302
    assert Programme.objects.get(slug="new-fund").status == Status.DRAFT


def test_publishing_without_a_found_quote_is_refused_by_action_form_and_import(
    client,
    publisher,
    unsourced,
):
    client.force_login(publisher)
    # Action
    response = client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [unsourced.pk]}, follow=True
    )
    [message] = [m for m in messages_of(response) if "Not published" in m]
    assert "Going Global Service Centre" in message and "staff confirmation" in message
    # Form button: the edit is saved, the status is not, and the form stays open.
    url = change_url(unsourced)
    response = client.post(url, post_data(client.get(url), summary="Kept", _publish="1"))
    assert response.status_code == 302 and response.url == url
    # Import
    dataset = Dataset().load(
        "slug,name,kind,status\ngoing-global,Going Global,service_centre,published\n",
        format="csv",
    )
    result = ProgrammeResource().import_data(dataset, dry_run=False, user=publisher)
    assert result.has_validation_errors()
    errors = str(result.invalid_rows[0].error_dict)
    assert "Not published" in errors
    unsourced.refresh_from_db()
    assert (unsourced.status, unsourced.summary) == (Status.DRAFT, "Kept")


def test_a_new_record_cannot_be_published_by_import(publisher, records):
    dataset = Dataset().load("slug,name,kind,status\nnew-fund,New fund,fund,published\n", "csv")
    result = ProgrammeResource().import_data(dataset, dry_run=False, user=publisher)
    assert result.has_validation_errors()
    assert not Programme.objects.filter(slug="new-fund").exists()


def test_a_staff_confirmation_recorded_on_the_form_lets_it_be_published(
    client,
    publisher,
    unsourced,
):
    client.force_login(publisher)
    url = change_url(unsourced)
    prefix = "directory-staffconfirmation-content_type-object_id"
    data = post_data(
        client.get(url),
        _publish="1",
        **{
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-confirmed_with": "HKPC's press office, by phone",
            f"{prefix}-0-confirmed_on": "2026-11-30",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == CHANGELIST
    unsourced.refresh_from_db()
    assert unsourced.status == Status.PUBLISHED
    confirmation = StaffConfirmation.objects.get(object_id=unsourced.pk)
    assert confirmation.confirmed_by == publisher
    assert confirmation.confirmed_with == "HKPC's press office, by phone"
    # And it is listed, with who confirmed it, in its own admin.
    html = client.get(reverse("admin:directory_staffconfirmation_changelist")).content.decode()
    assert "HKPC&#x27;s press office, by phone" in html and "publisher" in html


def test_a_confirmation_stands_as_a_source_for_the_workflow(publisher, unsourced):
    with pytest.raises(workflow.Unsourced):
        workflow.publish([unsourced], publisher)
    StaffConfirmation.objects.create(
        content_type=ContentType.objects.get_for_model(Programme),
        object_id=unsourced.pk,
        confirmed_by=User.objects.get(username="publisher"),
        confirmed_with="The programme's manager",
    )
    assert workflow.publish([unsourced], publisher) == [unsourced]


def test_an_editor_adds_a_source_article_as_a_draft_a_publisher_publishes_it(
    client,
    editor,
    publisher,
    records,
):
    client.force_login(editor)
    add = reverse("admin:directory_sourcearticle_add")
    data = post_data(
        client.get(add), title="A new article", slug="a-new-article", raw_text="Some words."
    )
    data["status"] = "published"
    assert client.post(add, data).status_code == 302
    article = SourceArticle.objects.get(slug="a-new-article")
    assert article.status == Status.DRAFT
    changelist = reverse("admin:directory_sourcearticle_changelist")
    client.post(changelist, {"action": "publish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Status.DRAFT

    client.force_login(publisher)
    url = change_url(article)
    assert 'name="_publish"' in client.get(url).content.decode()
    client.post(changelist, {"action": "publish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
