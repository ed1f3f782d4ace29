"""A committed write drops exactly the stored pages that show what it changed:
each kind of relation below is shown to reach every page that shows it on
the next request, and the pages of unrelated records stay stored."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from directory import caching, facets
from directory.caching import bump_content_version, invalidation
from programmes.models import ProgrammeOrganisation, Service
from tests import factories as f

LANGUAGES = ("", "/zh-hans", "/zh-hant")
ROOT = Path(__file__).resolve().parents[3]


def database_url():
    """The test database, for another process to write to."""
    database = django_settings.DATABASES["default"]
    return (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{connection.settings_dict['NAME']}"
    )


@pytest.fixture
def world(settings, db):
    settings.DIRECTORY_CACHING = True
    bump_content_version()
    shenzhen = f.region("Shenzhen", parent=f.region("Guangdong"))
    ai = f.sector("Artificial intelligence")
    alpha = f.organisation("Alpha Council", region=shenzhen)
    beta = f.organisation("Beta Agency")
    gamma = f.organisation("Gamma Unrelated")
    pearl = f.programme(
        "Pearl Programme",
        organisations=[alpha, (beta, "partner")],
        regions=[shenzhen],
        sectors=[ai],
    )
    other = f.programme("Unrelated Programme", organisations=[gamma])
    scout = f.service("Scout Service", provider=alpha, programme=pearl)
    joint = Service.objects.create(
        name="Joint Service",
        slug="joint-service",
        status="published",
        programme=pearl,
        category=f.category("Market entry"),
    )
    expo = f.event("Expo Event", organisations=[alpha], series=pearl, programmes=[pearl])
    edition = f.event("Second Edition", series=pearl)
    session = f.event("Opening Session", part_of=expo)
    source = f.article("Alpha Council runs the Pearl Programme.", title="Pearl launched")
    f.cite(pearl, source, "runs the Pearl Programme")
    f.cite(alpha, source, "Alpha Council")
    f.index(alpha, beta, gamma, pearl, other, scout, joint, expo, edition, session)
    return {
        "shenzhen": shenzhen,
        "ai": ai,
        "alpha": alpha,
        "beta": beta,
        "gamma": gamma,
        "pearl": pearl,
        "other": other,
        "scout": scout,
        "joint": joint,
        "expo": expo,
        "edition": edition,
        "session": session,
        "source": source,
    }


def on_another_app_server(script):
    """Runs `script` in a process of its own (another app server) on the test database."""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=dict(os.environ, DATABASE_URL=database_url()),
        check=True,
    )


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def warm(client, *urls):
    """Each page stored, as the next reader would get it."""
    for url in urls:
        page(client, url)
        assert page(client, url)["X-Page-Cache"] == "hit", url


def in_every_language(url):
    return [prefix + url for prefix in LANGUAGES]


def shows(client, text, *urls):
    for url in urls:
        assert text in page(client, url).content.decode(), url


def still_stored(client, *urls):
    for url in urls:
        assert page(client, url)["X-Page-Cache"] == "hit", url


def url(record):
    return record.get_absolute_url()


@pytest.fixture
def rename(client, django_capture_on_commit_callbacks):
    """Renames a record once every page is stored: the pages `naming` it show
    the new name at the next request, the `unrelated` ones are still stored."""

    def run(record, name, *, naming, unrelated):
        warm(client, *naming, *unrelated)
        with django_capture_on_commit_callbacks(execute=True):
            record.name = name
            record.save()
            f.index(record)
        shows(client, name, *naming)
        still_stored(client, *unrelated)

    return run


def test_renaming_an_organisation_shows_wherever_it_is_named(world, rename):
    w = world
    naming = [
        *in_every_language(url(w["alpha"])),
        url(w["pearl"]),  # runs it
        url(w["scout"]),  # its provider
        url(w["joint"]),  # its programme's organisation, no provider of its own
        url(w["expo"]),  # organises it
        url(w["beta"]),  # a partner
        url(w["source"]),  # cites it
        "/services/",
        "/programmes/",  # the organisation facet
        "/search/?q=alpha",
    ]
    unrelated = [*in_every_language(url(w["other"])), url(w["gamma"]), url(w["edition"])]
    rename(w["alpha"], "Alpha Renamed Council", naming=naming, unrelated=unrelated)


def test_a_programme_change_shows_on_its_organisations_services_events_and_lists(world, rename):
    w = world
    naming = [
        *in_every_language(url(w["pearl"])),
        url(w["alpha"]),
        url(w["beta"]),
        url(w["scout"]),
        url(w["expo"]),  # its series, and a related programme
        url(w["edition"]),
        url(w["source"]),
        "/",
        "/programmes/",
        "/services/",
        "/search/?q=pearl",
    ]
    # Events lists show no programme.
    unrelated = [
        url(w["gamma"]),
        *in_every_language(url(w["other"])),
        url(w["session"]),
        "/events/",
    ]
    rename(w["pearl"], "Pearl Programme Two", naming=naming, unrelated=unrelated)


def test_a_service_change_shows_on_its_programme_and_its_provider(world, rename):
    w = world
    naming = [*in_every_language(url(w["scout"])), url(w["pearl"]), url(w["alpha"]), "/services/"]
    unrelated = [url(w["expo"]), url(w["beta"]), url(w["other"]), "/events/"]
    rename(w["scout"], "Scout Service Plus", naming=naming, unrelated=unrelated)


def test_an_event_change_shows_on_its_series_organisers_sessions_and_editions(world, rename):
    w = world
    naming = [
        *in_every_language(url(w["expo"])),
        url(w["pearl"]),
        url(w["alpha"]),
        url(w["edition"]),
        url(w["session"]),
        "/events/",
    ]
    unrelated = [url(w["scout"]), url(w["beta"]), url(w["other"]), "/services/"]
    rename(w["expo"], "Expo Event Renamed", naming=naming, unrelated=unrelated)


@pytest.fixture
def edit(client, django_capture_on_commit_callbacks):
    """Changes fields of a record once every page is stored: the `changed`
    pages render again at the next request, the `kept` ones are still stored."""

    def run(record, *, changed, kept, **fields):
        warm(client, *changed, *kept)
        # As the admin edits it: read afresh (with its search text).
        record = type(record).objects.get(pk=record.pk)
        with django_capture_on_commit_callbacks(execute=True):
            for name, value in fields.items():
                setattr(record, name, value)
            record.save()
        for address in changed:
            assert page(client, address)["X-Page-Cache"] == "miss", address
        still_stored(client, *kept)

    return run


def test_lists_of_other_kinds_change_only_with_what_they_show_of_a_record(world, edit):
    w = world
    # Staff confirming it is still right: its page (last verified), its
    # list's feed and CSV (when each record changed) and home (latest
    # changes); the lists, search and the guided start show neither.
    edit(
        w["scout"],
        last_verified_on=datetime.date(2026, 12, 1),
        changed=[url(w["scout"]), "/services/feed/", "/services/results.csv", "/"],
        kept=["/services/", "/search/?q=scout", "/start/", "/programmes/"],
    )
    # Its description is on its own page, its list (found by search; its feed
    # by the time of the change), home (latest changed) and search; not on
    # the programme list, which finds programmes by their services' kinds of help.
    edit(
        w["scout"],
        description="Now with a scouting report.",
        changed=[url(w["scout"]), "/services/", "/", "/search/?q=scout"],
        kept=["/programmes/", "/organisations/", "/events/", url(w["other"])],
    )
    # Its kind of help is a facet of its programme on the programme list.
    edit(
        w["scout"],
        category=f.category("Financing"),
        changed=[url(w["scout"]), "/services/", "/programmes/", "/programmes/?help=financing"],
        kept=["/organisations/", "/events/"],
    )
    # An organisation's description shows on no list but its own.
    edit(
        w["alpha"],
        description="A council of councils.",
        changed=[url(w["alpha"]), "/organisations/"],
        kept=["/programmes/", "/services/", "/events/"],
    )
    # A programme unpublished leaves every list it was on, and the
    # organisations active where it serves.
    edit(
        w["pearl"],
        status="draft",
        changed=["/programmes/", "/services/", "/organisations/", "/"],
        kept=["/events/"],
    )
    # Where an event takes place makes its organisers active there.
    edit(
        w["expo"],
        city=w["shenzhen"],
        changed=[url(w["expo"]), "/events/", "/organisations/"],
        kept=["/services/"],
    )


def test_a_service_moved_to_another_programme_leaves_one_page_for_the_other(
    client, world, django_capture_on_commit_callbacks
):
    w = world
    warm(client, url(w["pearl"]), url(w["other"]))
    with django_capture_on_commit_callbacks(execute=True):
        w["scout"].programme = w["other"]
        w["scout"].save()
    assert "Scout Service" not in page(client, url(w["pearl"])).content.decode()
    shows(client, "Scout Service", url(w["other"]))


def test_a_role_added_and_removed_shows_on_both_ends(
    client, world, django_capture_on_commit_callbacks
):
    w = world
    warm(client, url(w["gamma"]), url(w["pearl"]), url(w["alpha"]), url(w["expo"]))
    with django_capture_on_commit_callbacks(execute=True):
        role = ProgrammeOrganisation.objects.create(
            programme=w["pearl"], organisation=w["gamma"], role="partner"
        )
    shows(client, "Pearl Programme", url(w["gamma"]))
    shows(client, "Gamma Unrelated", url(w["pearl"]), url(w["alpha"]))  # a new partner
    still_stored(client, url(w["expo"]))
    with django_capture_on_commit_callbacks(execute=True):
        role.delete()
    assert "Pearl Programme" not in page(client, url(w["gamma"])).content.decode()
    assert "Gamma Unrelated" not in page(client, url(w["pearl"])).content.decode()
    # The same through the relation's manager (no save of a role row).
    warm(client, url(w["alpha"]), url(w["other"]))
    with django_capture_on_commit_callbacks(execute=True):
        w["other"].organisations.add(w["alpha"], through_defaults={"role": "partner"})
    shows(client, "Unrelated Programme", url(w["alpha"]))
    shows(client, "Alpha Council", url(w["other"]))


@pytest.mark.parametrize("vocabulary", ["shenzhen", "ai"])
def test_renaming_a_region_or_sector_shows_wherever_it_is_a_label(
    client, world, vocabulary, django_capture_on_commit_callbacks
):
    w = world
    pages = [url(w["pearl"]), "/programmes/", "/", "/start/"]
    warm(client, *pages)
    with django_capture_on_commit_callbacks(execute=True):
        w[vocabulary].name = "Renamed Term"
        w[vocabulary].save()
    shows(client, "Renamed Term", url(w["pearl"]), "/programmes/")
    assert page(client, "/")["X-Page-Cache"] == "miss"


def test_tagging_a_programme_with_a_sector_changes_its_pages_not_everything(
    client, world, django_capture_on_commit_callbacks
):
    w = world
    warm(client, url(w["other"]), url(w["pearl"]), url(w["gamma"]))
    with django_capture_on_commit_callbacks(execute=True):
        w["other"].sectors.add(w["ai"])
    shows(client, "Artificial intelligence", url(w["other"]))
    still_stored(client, url(w["pearl"]))


def test_citations_and_articles_show_on_source_pages_and_record_pages(
    client, world, django_capture_on_commit_callbacks
):
    w = world
    warm(client, url(w["source"]), url(w["other"]), url(w["pearl"]), url(w["scout"]))
    with django_capture_on_commit_callbacks(execute=True):
        citation = f.cite(w["other"], w["source"], "the Pearl Programme")
    shows(client, "Unrelated Programme", url(w["source"]))
    shows(client, "Pearl launched", url(w["other"]))
    still_stored(client, url(w["pearl"]), url(w["scout"]))

    with django_capture_on_commit_callbacks(execute=True):
        w["source"].title = "Pearl relaunched"
        w["source"].save()
    shows(client, "Pearl relaunched", url(w["source"]), url(w["pearl"]), url(w["other"]))
    still_stored(client, url(w["scout"]))

    with django_capture_on_commit_callbacks(execute=True):
        citation.delete()
    assert "Unrelated Programme" not in page(client, url(w["source"])).content.decode()
    assert "Pearl relaunched" not in page(client, url(w["other"])).content.decode()


def test_editing_a_draft_leaves_the_lists_stored_until_it_is_published(
    client, world, django_capture_on_commit_callbacks
):
    w = world
    lists = ["/", "/programmes/", "/organisations/", "/search/?q=draft"]
    with django_capture_on_commit_callbacks(execute=True):
        draft = f.programme("Draft Programme", status="draft", organisations=[w["gamma"]])
    warm(client, *lists)
    with django_capture_on_commit_callbacks(execute=True):
        draft.name = "Draft Programme Edited"
        draft.save()
        f.index(draft)
    still_stored(client, *lists)
    with django_capture_on_commit_callbacks(execute=True):
        draft.status = "published"
        draft.save()
    assert page(client, "/search/?q=draft")["X-Page-Cache"] == "miss"
    shows(client, "Draft Programme Edited", "/", "/programmes/", url(w["gamma"]))


def test_a_new_slug_or_an_unpublished_record_is_not_served_from_old_copies(
    client, world, django_capture_on_commit_callbacks
):
    w = world
    old = url(w["pearl"])
    warm(client, old, url(w["alpha"]))
    with django_capture_on_commit_callbacks(execute=True):
        w["pearl"].slug = "pearl-renamed"
        w["pearl"].save()
    assert client.get(old).status_code == 404
    assert 'href="/programmes/pearl-renamed/"' in page(client, url(w["alpha"])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        w["scout"].status = "archived"
        w["scout"].save()
    assert client.get(url(w["scout"])).status_code == 404
    assert "Scout Service" not in page(client, url(w["alpha"])).content.decode()


def test_a_deleted_record_leaves_the_pages_that_showed_it(
    client, world, django_capture_on_commit_callbacks
):
    w = world
    warm(client, url(w["pearl"]), url(w["alpha"]), url(w["scout"]), url(w["expo"]))
    with django_capture_on_commit_callbacks(execute=True):
        w["joint"].delete()
    assert "Joint Service" not in page(client, url(w["pearl"])).content.decode()
    # Its services lose their programme without a signal of their own.
    with django_capture_on_commit_callbacks(execute=True):
        w["pearl"].delete()
    for showed in (url(w["alpha"]), url(w["scout"]), url(w["expo"])):
        assert "Pearl Programme" not in page(client, showed).content.decode(), showed


def test_bulk_writes_and_rebuilds_drop_every_page(
    client, world, django_capture_on_commit_callbacks
):
    w = world
    pages = [url(w["other"]), url(w["gamma"]), "/events/"]
    for bulk in (caching.coarse, facets.rebuild):
        warm(client, *pages)
        with django_capture_on_commit_callbacks(execute=True):
            if bulk is caching.coarse:
                with caching.coarse():
                    Service.objects.filter(pk=w["scout"].pk).update(name="Bulk Name")
            else:
                bulk()
        for stale in pages:
            assert page(client, stale)["X-Page-Cache"] == "miss", (bulk, stale)


def test_a_save_whose_pages_cannot_be_judged_is_kept_and_replaces_every_page(
    client, world, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    """Pages are judged after the commit: if that fails, the writer's save
    stands, no error reaches them, and no page is left stale."""
    w = world
    pages = [url(w["pearl"]), url(w["other"]), "/programmes/"]
    warm(client, *pages)

    def database_gone(*args):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(invalidation, "_tags_now", database_gone)
    with django_capture_on_commit_callbacks(execute=True):
        w["pearl"].name = "Pearl Renamed"
        w["pearl"].save()
    assert "Pearl Renamed" in page(client, url(w["pearl"])).content.decode()
    # Even the unrelated pages are rendered afresh.
    assert page(client, url(w["other"]))["X-Page-Cache"] == "miss"
    assert page(client, "/programmes/")["X-Page-Cache"] == "miss"
    assert "replacing all" in caplog.text


# Serialized rollback keeps a copy of the migration data, which the conftest
# puts back after this test's flush empties the tables.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="app servers share a PostgreSQL database"
)
def test_a_rename_on_another_app_server_shows_here_and_leaves_the_rest_stored(client, settings):
    """Another process (another app server) renames an organisation; this
    one serves the pages naming it afresh at once, and the others from the
    shared cache: the generations live there, not in either process."""
    settings.DIRECTORY_CACHING = True
    alpha = f.organisation("Alpha Council")
    pearl = f.programme("Pearl Programme", organisations=[alpha])
    other = f.programme("Unrelated Programme", organisations=[f.organisation("Gamma")])
    warm(client, url(pearl), url(alpha), url(other))
    script = (
        "from directory.models import Organisation; "
        f"o = Organisation.objects.get(pk={alpha.pk}); o.name = 'Alpha Renamed'; o.save()"
    )
    on_another_app_server(script)
    shows(client, "Alpha Renamed", url(pearl), url(alpha))
    still_stored(client, url(other))
