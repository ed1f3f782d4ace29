"""Renaming a region, sector or kind of help in the admin: a search for the
new name (in any language) finds, at once, every record whose search text
repeats it, through whichever relation repeats it."""

import threading
import time
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from directory.caching import bump_content_version
from directory.models import PendingSearchText
from directory.search import documents
from programmes.models import Programme
from tests import factories as f
from tests.support.admin import post_data, superuser  # noqa: F401 (a fixture)


@pytest.fixture(autouse=True)
def english_afterwards():
    # A request to a /zh-hans/ page leaves Chinese active in this thread.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def staff(superuser):  # noqa: F811
    signed_in = Client()
    signed_in.force_login(superuser)
    return signed_in


def rename(staff, term, **names):
    meta = term._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[term.pk])
    response = staff.post(url, post_data(staff.get(url), **names, _save="Save"))
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def found(client, q, language="/zh-hans"):
    """The search results page for `q`, as a reader finds it."""
    return client.get(f"{language}/search/", {"q": q}).content.decode()


def test_a_sector_given_a_chinese_name_finds_what_it_tags(client, staff):
    ai = f.sector("Artificial intelligence")
    tagged = [
        f.programme("Pearl Programme", sectors=[ai]),
        f.organisation("Alpha Council", sectors=[ai]),
        f.event("Delta Expo", sectors=[ai]),
    ]
    untagged = f.programme("Unrelated Programme")
    f.index(*tagged, untagged)
    assert "Pearl Programme" not in found(client, "人工智能")

    rename(staff, ai, name_zh_hans="人工智能", name_zh_hant="人工智能")

    html = found(client, "人工智能")
    for record in tagged:
        assert record.name in html, record.name
    assert "Unrelated Programme" not in html


def test_a_renamed_region_finds_services_through_their_programme_and_provider(client, staff):
    xian = f.region("Xian")
    programme = f.programme("Silk Road Programme", regions=[xian])
    through_programme = f.service("Landing Advice", programme=programme)
    through_provider = f.service(
        "Patent Clinic", provider=f.organisation("Western Council", region=xian)
    )
    elsewhere = f.service("Unrelated Clinic")
    f.index(programme, through_programme, through_provider, elsewhere)

    rename(staff, xian, name="Xi'an Hi-Tech Zone")

    html = found(client, "Hi-Tech Zone", language="")
    for name in ("Silk Road Programme", "Landing Advice", "Patent Clinic", "Western Council"):
        assert name in html, name
    assert "Unrelated Clinic" not in html


def test_a_renamed_kind_of_help_finds_the_programmes_offering_it(client, staff):
    help_ = f.category("Market entry")
    programme = f.programme("Harbour Programme")
    f.service("Landing Advice", programme=programme, category_=help_)
    f.index(programme, *programme.services.all())

    rename(staff, help_, alternative_names="soft landing")

    html = found(client, "soft landing", language="")
    assert "Harbour Programme" in html
    assert "Landing Advice" in html


def test_a_save_that_leaves_the_names_redoes_no_search_text(staff):
    ai = f.sector("Artificial intelligence")
    f.index(f.programme("Pearl Programme", sectors=[ai]))
    with CaptureQueriesContext(connection) as queries:
        rename(staff, ai, description="Machine learning and robotics.")
    programmes = Programme._meta.db_table
    assert not [q for q in queries if q["sql"].startswith("UPDATE") and programmes in q["sql"]]


def test_restoring_a_terms_earlier_name_finds_its_records_by_it_again(client, staff):
    ai = f.sector("Artificial intelligence", name_zh_hans="人工智能")
    f.index(f.programme("Pearl Programme", sectors=[ai]))
    original = ai.history.earliest()
    rename(staff, ai, name_zh_hans="智能科技")
    assert "Pearl Programme" not in found(client, "人工智能")

    revert = reverse("admin:directory_sector_simple_history", args=[ai.pk, original.history_id])
    response = staff.post(revert, post_data(staff.get(revert)))
    assert response.status_code == 302

    assert "Pearl Programme" in found(client, "人工智能")
    assert "Pearl Programme" not in found(client, "智能科技")


def test_a_rename_repeated_by_too_many_records_for_one_save_leaves_them_to_the_command(
    client, staff, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """A term named by more records than a save redoes (a sector at 100,000
    programmes: 17,663 records, over 30 s) is saved at once and its records
    listed; `refresh_search_text` redoes them, and no stored page keeps
    showing the search from before."""
    monkeypatch.setattr(documents, "IN_THE_SAVE", 1)
    settings.DIRECTORY_CACHING = True
    bump_content_version()
    ai = f.sector("Artificial intelligence")
    tagged = [f.programme("Pearl Programme", sectors=[ai]), f.event("Delta Expo", sectors=[ai])]
    f.index(*tagged)

    with django_capture_on_commit_callbacks(execute=True):
        response = rename(staff, ai, name_zh_hans="人工智能", name_zh_hant="人工智能")
    told = staff.get(response.url).content.decode()
    assert "2 records repeat this name" in told
    assert PendingSearchText.objects.count() == 2
    assert "Pearl Programme" not in found(client, "人工智能")  # now stored
    record_page = tagged[0].get_absolute_url()
    client.get(record_page)
    searched_list = "/zh-hans/programmes/?q=人工智能"
    assert "Pearl Programme" not in client.get(searched_list).content.decode()
    # The admin's front page says what is still to be redone, in each language.
    assert "2 records repeat a renamed region" in staff.get("/admin/").content.decode()
    assert "2 條記錄重複使用已改名的地區" in staff.get("/zh-hant/admin/").content.decode()

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("refresh_search_text", stdout=out)
    assert out.getvalue().startswith("2 records")

    html = found(client, "人工智能")
    for record in tagged:
        assert record.name in html, record.name
    assert "Pearl Programme" in client.get(searched_list).content.decode()
    # A record page shows no search text: it stays stored.
    assert client.get(record_page)["X-Page-Cache"] == "hit"
    assert not PendingSearchText.objects.exists()
    assert "repeat a renamed region" not in staff.get("/admin/").content.decode()
    # A record deleted while listed is passed over.
    PendingSearchText.objects.create(
        content_type=ContentType.objects.get_for_model(Programme), object_id=10**9
    )
    call_command("refresh_search_text", stdout=StringIO())
    assert not PendingSearchText.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
def test_runs_of_the_command_at_the_same_time_pass_over_each_others_records():
    programmes = [f.programme(f"Programme {n}") for n in range(3)]
    kind = ContentType.objects.get_for_model(Programme)
    listed = [
        PendingSearchText.objects.create(content_type=kind, object_id=p.pk) for p in programmes
    ]
    taken, release = threading.Event(), threading.Event()

    def another_run():
        # Holds the first record as a run in progress would.
        try:
            with transaction.atomic():
                PendingSearchText.objects.select_for_update().get(pk=listed[0].pk)
                taken.set()
                release.wait(10)
        finally:
            connections.close_all()

    other = threading.Thread(target=another_run)
    other.start()
    try:
        assert taken.wait(10)
        started = time.monotonic()
        assert documents.refresh_pending() == 2
        assert time.monotonic() - started < 5  # did not wait for the other run
        assert list(PendingSearchText.objects.values_list("pk", flat=True)) == [listed[0].pk]
    finally:
        release.set()
        other.join()
    assert documents.refresh_pending() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
def test_a_rename_while_a_run_redoes_the_same_record_lists_it_again():
    """A run of the command redoing a record with the names from before a
    second rename must not take the second rename's listing with it."""
    programme = f.programme("Pearl Programme")
    kind = ContentType.objects.get_for_model(Programme)
    listed = PendingSearchText.objects.create(content_type=kind, object_id=programme.pk)
    taken, release = threading.Event(), threading.Event()

    def a_run():
        # Takes the record, redoes it (here: waits), then deletes the listing.
        try:
            with transaction.atomic():
                PendingSearchText.objects.select_for_update().get(pk=listed.pk)
                taken.set()
                release.wait(10)
                PendingSearchText.objects.filter(pk=listed.pk).delete()
        finally:
            connections.close_all()

    def a_second_rename():
        try:
            with transaction.atomic():
                documents._list_pending([programme])
        finally:
            connections.close_all()

    run = threading.Thread(target=a_run)
    run.start()
    assert taken.wait(10)
    rename = threading.Thread(target=a_second_rename)
    rename.start()
    time.sleep(0.5)  # the rename lists the record while the run holds it
    release.set()
    run.join()
    rename.join()
    assert PendingSearchText.objects.filter(object_id=programme.pk).exists()
