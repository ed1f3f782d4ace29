import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from directory import workflow
from directory.models import Organisation, PublicationStatus
from programmes.models import Programme

Status = PublicationStatus


def test_it_moves_records_through_the_lifecycle_with_history(publisher, records):
    programme = records["programme"]
    workflow.submit_for_review([programme], publisher)
    workflow.publish([programme], publisher)
    workflow.archive([programme], publisher)
    workflow.unpublish([programme], publisher)
    history = list(programme.history.order_by("history_date"))
    assert [h.status for h in history[-4:]] == ["in_review", "published", "archived", "draft"]
    assert [h.history_change_reason for h in history[-4:]] == [
        "Submitted for review",
        "Published",
        "Archived",
        "Unpublished (back to draft)",
    ]
    assert {h.history_user for h in history[-4:]} == {publisher}


def test_an_editor_cannot_call_publish_directly(editor, records):
    programme = records["programme"]
    with pytest.raises(PermissionDenied):
        workflow.publish([programme], editor)
    programme.refresh_from_db()
    assert programme.status == Status.DRAFT


def test_it_leaves_records_already_in_the_target_state_alone(publisher, records):
    organisation = records["organisation"]  # already published
    before = organisation.history.count()
    assert workflow.publish([organisation], publisher) == []
    assert organisation.history.count() == before


def test_it_marks_records_verified_by_whom_and_when(editor, client, records):
    client.force_login(editor)
    organisation = records["organisation"]
    client.post(
        reverse("admin:directory_organisation_changelist"),
        {"action": "mark_verified", "_selected_action": [organisation.pk]},
    )
    organisation.refresh_from_db()
    assert organisation.last_verified_on == timezone.localdate()
    assert organisation.verified_by == editor


def test_it_lists_published_records_that_need_review(publisher, records):
    today = timezone.localdate()
    programme, hkpc = records["programme"], records["organisation"]
    workflow.publish([programme], publisher)
    fresh = Programme.objects.create(
        name="Fresh", slug="fresh", kind="fund", status=Status.PUBLISHED, last_verified_on=today
    )
    stale = Programme.objects.create(
        name="Stale",
        slug="stale",
        kind="fund",
        status=Status.PUBLISHED,
        last_verified_on=today - datetime.timedelta(days=400),
    )
    Programme.objects.create(name="Draft", slug="draft", kind="fund")  # never reviewed, unpublished

    due = set(workflow.needs_review(Programme.objects.all()))
    assert due == {programme, stale}  # programme was never verified

    # Verified before its lead organisation changed: due again.
    Programme.objects.filter(pk=programme.pk).update(
        last_verified_on=today - datetime.timedelta(days=3)
    )
    assert programme in workflow.needs_review(Programme.objects.all())
    Organisation.objects.filter(pk=hkpc.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=10)
    )
    assert programme not in workflow.needs_review(Programme.objects.all())
    assert fresh not in workflow.needs_review(Programme.objects.all())


def test_the_needs_review_filter_is_on_each_changelist(client, superuser, records):
    client.force_login(superuser)
    response = client.get(
        reverse("admin:directory_organisation_changelist"), {"needs_review": "yes"}
    )
    assert "Hong Kong Productivity Council" in response.content.decode()
    workflow.mark_verified([records["organisation"]], superuser)
    response = client.get(
        reverse("admin:directory_organisation_changelist"), {"needs_review": "yes"}
    )
    assert "Hong Kong Productivity Council" not in response.content.decode()
