import shutil
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from directory.models import (
    Citation,
    Organisation,
    PublicationStatus,
)
from directory.seeding import DEFAULT_SEEDS_DIR, SEED_USERNAME
from programmes.models import Event, Programme, ProgrammeOrganisation, Service
from tests.support.seeding import SEEDED_MODELS

pytestmark = pytest.mark.django_db


def load(*args):
    out = StringIO()
    call_command("load_seeds", *args, stdout=out)
    return out.getvalue()


def row_counts():
    return {model.__name__: model.objects.count() for model in SEEDED_MODELS}


@pytest.fixture
def seeds_copy(tmp_path):
    """A private copy of the seed files that a test may break."""
    target = tmp_path / "seeds"
    shutil.copytree(DEFAULT_SEEDS_DIR, target)
    return target


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_it_loads_every_curated_record():
    output = load()

    assert row_counts() == {
        "SourceArticle": 5,
        "Region": 24,
        "Sector": 14,
        "ServiceCategory": 13,
        "Organisation": 51,
        "Programme": 14,
        "Service": 12,
        "Event": 18,
        "Citation": Citation.objects.count(),
    }
    assert Citation.objects.count() > 150
    assert "151 created, 0 updated, 0 unchanged, 0 skipped" in output
    for model in (Organisation, Programme, Service, Event):
        assert not model.objects.exclude(status=PublicationStatus.PUBLISHED).exists()


def test_it_reports_nothing_to_do_on_a_second_run():
    load()
    before = (row_counts(), Programme.history.count(), Citation.history.count())

    output = load()

    assert "0 created, 0 updated, 151 unchanged, 0 skipped" in output
    assert (row_counts(), Programme.history.count(), Citation.history.count()) == before


def test_it_records_history_as_the_inactive_seed_loader():
    load()

    user = get_user_model().objects.get(username=SEED_USERNAME)
    assert not user.is_active
    assert not user.has_usable_password()
    smarthk = Programme.objects.get(slug="smarthk")
    first = smarthk.history.earliest()
    assert first.history_user == user
    assert first.history_change_reason == "load_seeds"
    assert not Citation.history.exclude(history_user=user).exists()
    assert not ProgrammeOrganisation.history.exclude(history_user=user).exists()


@pytest.mark.parametrize(
    "file, seeded, broken, named",
    [
        pytest.param(
            "programmes.yaml",
            "played host last month to the SmartHK forum showcasing",
            "played host last year to the SmartHK forum showcasing",
            ["programmes.yaml", "'smarthk'", "played host last year to the SmartHK forum"],
            id="quote-not-in-its-article",
        ),
        pytest.param(
            "events.yaml",
            "  kind: signing\n  part_of: shaanxi",
            "  kind: party\n  part_of: shaanxi",
            ["events.yaml", "investhk-xian-high-tech-zone-memorandum-signing", "kind"],
            id="late-record-invalid",
        ),
        pytest.param(
            "organisations.yaml",
            "  region: wuxi\n",
            "  region: atlantis\n",
            ["organisations.yaml", "'jicui-huake'", "'region'", "atlantis"],
            id="unknown-region",
        ),
        pytest.param(
            "programmes.yaml",
            "{organisation: hkpc, role: lead}",
            "{organisation: hkpcc, role: lead}",
            ["programmes.yaml", "cradle-going-global-service-centre", "hkpcc"],
            id="unknown-organisation-in-a-role",
        ),
    ],
)
def test_a_bad_record_stops_the_load_naming_file_record_and_value(
    seeds_copy, file, seeded, broken, named
):
    edit(seeds_copy / file, seeded, broken)

    with pytest.raises(CommandError) as error:
        load("--seeds-dir", str(seeds_copy))

    message = str(error.value)
    for words in named:
        assert words in message
    # One transaction: nothing is written, not even the seed user.
    assert sum(row_counts().values()) == 0
    assert not get_user_model().objects.filter(username=SEED_USERNAME).exists()


def test_it_keeps_a_staff_edit_and_reports_it_until_forced():
    load()
    smarthk = Programme.objects.get(slug="smarthk")
    seeded_summary = smarthk.summary
    smarthk.summary = "Edited by staff in the admin."
    smarthk.save()

    output = load()

    assert "skipped programmes 'SmartHK'" in output
    assert "0 created, 0 updated, 150 unchanged, 1 skipped" in output
    assert Programme.objects.get(slug="smarthk").summary == "Edited by staff in the admin."

    output = load("--force")

    assert "1 updated" in output
    assert Programme.objects.get(slug="smarthk").summary == seeded_summary


def test_it_treats_a_staff_change_of_partners_as_an_edit():
    load()
    cradle = Programme.objects.get(slug="cradle-going-global-service-centre")
    cradle.organisation_roles.filter(role=ProgrammeOrganisation.Role.PARTNER).first().delete()

    output = load()

    assert "skipped programmes 'The Cradle – Going Global Service Centre'" in output
    assert cradle.organisation_roles.count() == 4


def test_it_updates_untouched_records_when_the_seeds_change(seeds_copy):
    load("--seeds-dir", str(seeds_copy))
    edit(seeds_copy / "services.yaml", "audience: Mainland firms", "audience: Mainland SMEs")
    edit(
        seeds_copy / "services.yaml",
        "supports: the service, provider, for mainland enterprises (the plan's name)",
        "supports: service",
    )

    output = load("--seeds-dir", str(seeds_copy))

    assert "services: 0 created, 1 updated, 11 unchanged, 0 skipped" in output
    service = Service.objects.get(slug="meisp-going-global-via-hong-kong")
    assert service.audience == "Mainland SMEs"
    assert sorted(service.citations.values_list("supports", flat=True)) == [
        "service",
        "who it is for",
    ]


def test_it_writes_nothing_on_a_dry_run():
    output = load("--dry-run")

    assert "Dry run, nothing was written: 151 created" in output
    assert sum(row_counts().values()) == 0
    assert not get_user_model().objects.filter(username=SEED_USERNAME).exists()


def test_it_reports_changes_on_a_dry_run_without_making_them():
    load()
    smarthk = Programme.objects.get(slug="smarthk")
    smarthk.summary = "Edited by staff in the admin."
    smarthk.save()

    output = load("--dry-run", "--force")

    assert "programmes: 0 created, 1 updated" in output
    assert Programme.objects.get(slug="smarthk").summary == "Edited by staff in the admin."


def test_it_leaves_a_record_staff_created_with_a_seeded_slug_alone():
    staff_record = Organisation.objects.create(
        name="HKPC as staff wrote it", slug="hkpc", kind=Organisation.Kind.OTHER
    )

    output = load()

    assert "skipped organisations 'Hong Kong Productivity Council'" in output
    staff_record.refresh_from_db()
    assert staff_record.name == "HKPC as staff wrote it"
    cradle = Programme.objects.get(slug="cradle-going-global-service-centre")
    assert cradle.organisation_roles.get(role="lead").organisation == staff_record
