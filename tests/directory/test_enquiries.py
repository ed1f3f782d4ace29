"""Ask about this / Suggest a correction (issue 21 C): a short form on every
record page, stored as an Enquiry routed to the owning organisation's staff
contact (else the directory's inbox), emailed, rate limited per address in the
shared cache, CSRF protected, never page-cached, and purged after the
retention period. Bad input gets the form back, never a 500 or a half row."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from directory.models import Enquiry
from programmes.models import ProgrammeOrganisation
from tests import factories

pytestmark = pytest.mark.django_db

GOOD = {
    "kind": "question",
    "name": "Li Wei",
    "email": "li.wei@example.com",
    "company": "Wuxi AI Start-up",
    "message": "Can a firm registered in Wuxi apply?",
    "consent": "on",
}


@pytest.fixture(autouse=True)
def local_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def programme(db):
    owner = factories.organisation("Hong Kong Productivity Council")
    record = factories.programme("Going Global Service Centre")
    ProgrammeOrganisation.objects.create(programme=record, organisation=owner, role="lead")
    return record


def ask_url(record, kind="programme"):
    return f"/ask/{kind}/{record.slug}/"


def test_every_record_page_links_to_the_form(client, programme):
    service = factories.service(provider=programme.organisation_roles.get().organisation)
    event = factories.event()
    organisation = factories.organisation("InvestHK")
    for record, kind in [
        (programme, "programme"),
        (service, "service"),
        (event, "event"),
        (organisation, "organisation"),
    ]:
        page = client.get(record.get_absolute_url())
        assert ask_url(record, kind).encode() in page.content, kind
        assert client.get(ask_url(record, kind)).status_code == 200


def test_the_form_sets_the_csrf_cookie_and_is_not_cacheable(client, programme):
    response = client.get(ask_url(programme))
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert "no-store" in response["Cache-Control"]
    assert b"Privacy" in response.content
    assert b'name="website"' in response.content  # the honeypot


def test_a_post_without_the_csrf_token_is_refused(programme):
    client = Client(enforce_csrf_checks=True)
    assert client.post(ask_url(programme), GOOD).status_code == 403
    assert Enquiry.objects.count() == 0
    client.get(ask_url(programme))
    token = client.cookies["csrftoken"].value
    response = client.post(ask_url(programme), {**GOOD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Enquiry.objects.count() == 1


def test_an_enquiry_is_stored_routed_to_the_inbox_and_emailed(client, programme, settings):
    settings.DIRECTORY_INBOX = "inbox@directory.invalid"
    response = client.post(ask_url(programme), GOOD)
    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    enquiry = Enquiry.objects.get()
    assert enquiry.record == programme
    assert enquiry.routed_to == "inbox@directory.invalid"
    assert enquiry.status == Enquiry.Status.NEW and enquiry.consent
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["inbox@directory.invalid"]
    assert mail.outbox[0].reply_to == ["li.wei@example.com"]
    assert "Can a firm registered in Wuxi apply?" in mail.outbox[0].body
    assert b"Thank you" in client.get(response["Location"]).content


def test_it_goes_to_the_owning_organisations_staff_contact(client, programme):
    owner = programme.organisation_roles.get().organisation
    owner.staff_contact_email = "cradle-desk@example.org"
    owner.save()
    client.post(ask_url(programme), GOOD)
    assert Enquiry.objects.get().routed_to == "cradle-desk@example.org"
    assert mail.outbox[0].to == ["cradle-desk@example.org"]
    # Not public.
    assert b"cradle-desk@example.org" not in client.get(owner.get_absolute_url()).content
    assert b"cradle-desk@example.org" not in client.get(ask_url(programme)).content


@pytest.mark.parametrize(
    "changes",
    [
        {"email": "not an email"},
        {"name": "x" * 100_000},
        {"message": "y" * 100_000},
        {"name": "Li\x00Wei"},
        {"message": "\x00"},
        {"message": "   "},
        {"consent": ""},
        {"kind": "complaint"},
        {"email": "a@" + "b" * 300 + ".com"},
    ],
)
def test_bad_input_gets_the_form_back_with_messages(client, programme, changes):
    response = client.post(ask_url(programme), {**GOOD, **changes})
    assert response.status_code == 400
    assert b'id="enquiry-errors"' in response.content
    assert Enquiry.objects.count() == 0
    assert mail.outbox == []


def test_markup_is_stored_as_text_and_shown_escaped(client, programme, admin_client):
    client.post(ask_url(programme), {**GOOD, "message": "<script>alert(1)</script> hello"})
    enquiry = Enquiry.objects.get()
    assert enquiry.message == "<script>alert(1)</script> hello"
    page = admin_client.get(f"/admin/directory/enquiry/{enquiry.pk}/change/")
    assert b"<script>alert(1)</script>" not in page.content
    assert b"&lt;script&gt;" in page.content


def test_the_honeypot_stores_and_sends_nothing(client, programme):
    response = client.post(ask_url(programme), {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 302
    assert Enquiry.objects.count() == 0 and mail.outbox == []


def test_one_address_is_rate_limited_in_the_shared_cache(client, programme, settings):
    settings.ENQUIRY_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(ask_url(programme), GOOD).status_code == 302
    response = client.post(ask_url(programme), {**GOOD, "email": "LI.WEI@example.com"})
    assert response.status_code == 429
    assert Enquiry.objects.count() == 2
    # Another address is not held up; a new process (the cache is shared) is.
    assert (
        client.post(ask_url(programme), {**GOOD, "email": "other@example.com"}).status_code == 302
    )
    assert any(key for key in cache._cache if "enquiry-rate" in key)


def test_unknown_kinds_and_unpublished_records_are_not_found(client, programme):
    assert client.get(f"/ask/nonsense/{programme.slug}/").status_code == 404
    draft = factories.programme("Draft", status="draft")
    assert client.get(ask_url(draft)).status_code == 404


def test_the_admin_lists_them_and_marks_who_answered_when(
    client, programme, admin_client, admin_user
):
    client.post(ask_url(programme), GOOD)
    enquiry = Enquiry.objects.get()
    listing = admin_client.get("/admin/directory/enquiry/")
    assert listing.status_code == 200 and b"Li Wei" in listing.content
    admin_client.post(
        "/admin/directory/enquiry/",
        {"action": "mark_answered", "_selected_action": [enquiry.pk]},
    )
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.ANSWERED
    assert enquiry.answered_by == admin_user and enquiry.answered_at is not None


def test_purge_deletes_only_old_answered_or_closed_enquiries(client, programme, settings):
    settings.ENQUIRY_RETENTION_DAYS = 30
    for _ in range(4):
        client.post(ask_url(programme), {**GOOD, "email": f"{_}@example.com"})
    old = timezone.now() - datetime.timedelta(days=31)
    rows = list(Enquiry.objects.order_by("pk"))
    Enquiry.objects.filter(pk=rows[0].pk).update(status="answered", answered_at=old)
    Enquiry.objects.filter(pk=rows[1].pk).update(status="closed", answered_at=old)
    Enquiry.objects.filter(pk=rows[2].pk).update(status="new", created_at=old)
    Enquiry.objects.filter(pk=rows[3].pk).update(status="answered", answered_at=timezone.now())
    call_command("purge_enquiries", verbosity=0)
    assert set(Enquiry.objects.values_list("pk", flat=True)) == {rows[2].pk, rows[3].pk}


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "invisible NUL character"),
        ("zh-hans", "看不见的 NUL 字符"),
        ("zh-hant", "看不見的 NUL 字元"),
    ],
)
def test_a_nul_in_the_message_is_named_in_the_readers_language(client, programme, language, said):
    """Django's own Chinese message for it reads as if the message were empty."""
    url = ask_url(programme) if language == "en" else f"/{language}{ask_url(programme)}"
    response = client.post(url, {**GOOD, "message": "Can a firm in Wuxi apply?\x00"})
    assert response.status_code == 400
    html = response.content.decode()
    assert said in html
    assert "空字符串" not in html
