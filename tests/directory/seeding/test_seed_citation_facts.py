"""The seed files mark each citation with the key facts its quote backs: the
loader stores them, refuses unknown keys, and tells staff edits of them from
records loaded before citations had them."""

import shutil

import pytest
from django.core.management import CommandError

from directory.models import Citation, KeyFact
from directory.seeding import DEFAULT_SEEDS_DIR, _fingerprint, _snapshot_of, read_seeds
from programmes.models import Event, Programme
from tests.directory.seeding.test_seed_loader import edit, load

pytestmark = pytest.mark.django_db

ATTENDANCE_QUOTE = (
    "The events drew around 88,000 visitors from both local and international markets."
)


@pytest.fixture
def seeds_copy(tmp_path):
    target = tmp_path / "seeds"
    shutil.copytree(DEFAULT_SEEDS_DIR, target)
    return target


def test_it_stores_each_citations_key_facts():
    load()

    week = Event.objects.get(slug="international-innovation-technology-business-week")
    assert week.citations.get(quote=ATTENDANCE_QUOTE).facts == ["attendance"]
    assert all(set(c.facts) <= set(KeyFact.values) for c in Citation.objects.all())
    # `open_to` and `all_sectors` quotes back who a programme is for and its sectors.
    memorandum = Programme.objects.get(slug="investhk-xian-high-tech-zone-memorandum")
    marked = {fact for c in memorandum.citations.all() for fact in c.facts}
    assert {"for_whom", "sectors"} <= marked


@pytest.mark.parametrize(
    ("broken", "named"),
    [
        ("      facts: [attendance, rumour]", ["rumour", "unknown key fact"]),
        ("      facts: attendance", ["attendance", "unknown key fact"]),
    ],
    ids=["unknown-key", "not-a-list"],
)
def test_an_unknown_fact_key_stops_the_load(seeds_copy, broken, named):
    edit(seeds_copy / "events.yaml", "      facts: [attendance]", broken)

    with pytest.raises(CommandError) as error:
        load("--seeds-dir", str(seeds_copy))

    message = str(error.value)
    for words in ["events.yaml", "international-innovation-technology-business-week", *named]:
        assert words in message
    assert not Citation.objects.exists()


def test_a_citation_without_facts_stops_the_load(seeds_copy):
    edit(
        seeds_copy / "events.yaml",
        "      supports: attendance (about)\n      facts: [attendance]\n",
        "      supports: attendance (about)\n",
    )

    with pytest.raises(CommandError) as error:
        load("--seeds-dir", str(seeds_copy))

    assert "'facts'" in str(error.value)


def test_it_updates_facts_changed_in_the_seeds(seeds_copy):
    load("--seeds-dir", str(seeds_copy))
    edit(seeds_copy / "events.yaml", "      facts: [attendance]", "      facts: []")

    output = load("--seeds-dir", str(seeds_copy))

    assert "events: 0 created, 1 updated" in output
    week = Event.objects.get(slug="international-innovation-technology-business-week")
    assert week.citations.get(quote=ATTENDANCE_QUOTE).facts == []


def test_a_staff_change_of_facts_is_kept_as_an_edit():
    load()
    week = Event.objects.get(slug="international-innovation-technology-business-week")
    citation = week.citations.get(quote=ATTENDANCE_QUOTE)
    citation.facts = ["date"]
    citation.save()

    output = load()

    assert "skipped events" in output
    assert Citation.objects.get(pk=citation.pk).facts == ["date"]


def test_a_record_loaded_before_citations_had_facts_takes_them(seeds_copy):
    load()
    week = Event.objects.get(slug="international-innovation-technology-business-week")
    # As the loader left it before facts existed: a fingerprint without them,
    # and the facts the migration guessed from the note.
    entries, _texts = read_seeds(DEFAULT_SEEDS_DIR)
    entry = next(e for e in entries if e.slug == week.slug)
    snapshot = _snapshot_of(entry, week)
    snapshot["citations"] = [c[:3] for c in snapshot["citations"]]
    Event.objects.filter(pk=week.pk).update(seed_fingerprint=_fingerprint(snapshot))
    Citation.objects.filter(quote=ATTENDANCE_QUOTE).update(facts=["attendance", "partners"])

    output = load()

    assert "events: 0 created, 1 updated, 17 unchanged, 0 skipped" in output
    assert week.citations.get(quote=ATTENDANCE_QUOTE).facts == ["attendance"]
