import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bench import sample_data
from directory.models import Organisation, PublicationStatus, Region
from programmes.models import Event, Programme, ProgrammeOrganisation, Service

pytestmark = pytest.mark.django_db

PROGRAMMES = 60


def first_word(name):
    return re.split(r"\W+", name)[0].lower()


@pytest.fixture
def generated():
    call_command("generate_sample_data", programmes=PROGRAMMES, seed=7)


def test_it_loads_the_agreed_proportions(generated):
    assert Programme.objects.count() == PROGRAMMES
    assert Organisation.objects.count() == PROGRAMMES // 5
    assert Event.objects.count() == PROGRAMMES // 2
    assert Service.objects.count() == PROGRAMMES * 2


def test_it_marks_every_record_synthetic(generated):
    for model in (Organisation, Programme, Service, Event):
        for seed_key, description in model.objects.values_list("seed_key", "description"):
            assert seed_key.startswith("synthetic:")
            assert "[Synthetic record]" in description


def test_it_gives_each_programme_one_to_four_organisations_with_a_lead(generated):
    for programme in Programme.objects.prefetch_related("organisation_roles"):
        roles = [r.role for r in programme.organisation_roles.all()]
        assert 1 <= len(roles) <= 4
        assert ProgrammeOrganisation.Role.LEAD in roles


def test_it_builds_a_region_tree_when_the_database_has_none(generated):
    provinces = Region.objects.filter(kind=Region.Kind.PROVINCE)
    assert provinces.exists()
    province = provinces.first()
    below = Region.descendant_ids([province.pk]) - {province.pk}
    assert Region.objects.filter(pk__in=below, kind=Region.Kind.CITY).exists()
    assert Region.objects.filter(pk__in=below, kind__in=["district", "zone"]).exists()
    assert Programme.objects.filter(regions__isnull=False).distinct().count() == PROGRAMMES


def test_it_mixes_published_drafts_and_archived_records(generated):
    statuses = set(Service.objects.values_list("status", flat=True))
    assert statuses == {
        PublicationStatus.PUBLISHED,
        PublicationStatus.DRAFT,
        PublicationStatus.ARCHIVED,
    }
    published = Service.objects.published().count()
    assert 0.75 * Service.objects.count() < published < 0.95 * Service.objects.count()


def test_it_splits_some_events_into_sessions_and_spreads_dates(generated):
    assert Event.objects.filter(part_of__isnull=False).exists()
    years = {d.year for d in Event.objects.values_list("start_date", flat=True) if d}
    assert min(years) >= 2010 and max(years) <= 2028
    assert len(years) > 5
    assert set(Event.objects.values_list("start_precision", flat=True)) > {"day"}


def test_it_fills_the_search_text_with_related_names(generated):
    role = ProgrammeOrganisation.objects.select_related("programme", "organisation").first()
    document = role.programme.search_document
    assert f" {first_word(role.programme.name)} " in document
    assert f" {first_word(role.organisation.name)} " in document
    if connection.vendor == "postgresql":
        assert not Programme.objects.filter(search_vector__isnull=True).exists()


def test_it_knows_every_word_of_the_names_for_the_misspelling_match(generated):
    # As `refresh_search_index` would have added them record by record.
    from directory.models import NameWord

    words = set()
    for model in (Organisation, Programme, Service, Event):
        for names in model.objects.values_list("search_names", flat=True):
            words.update(names.split())
    known = set(NameWord.objects.values_list("word", flat=True))
    if connection.vendor == "postgresql":
        assert words and words <= known
    else:
        assert not known


def search_columns(record):
    columns = [record.search_document, record.search_names]
    if connection.vendor == "postgresql":
        columns.append(str(record.search_vector))
    return columns


def test_it_writes_the_same_search_columns_as_the_per_record_refresh(generated):
    # The generator computes the search columns from the records it has just
    # made; they must be what `refresh_search_index` writes for the same
    # record, or search results on the load-test data would differ from real
    # records.
    from directory.search import refresh_search_index

    sessions = Event.objects.filter(part_of__isnull=False).order_by("pk")[:3]
    assert sessions
    for model in (Organisation, Programme, Service, Event):
        records = [*model.objects.order_by("pk")[:5], *(sessions if model is Event else [])]
        for record in records:
            bulk = search_columns(record)
            assert bulk[0] and bulk[1], record
            refresh_search_index([record])
            record.refresh_from_db()
            assert search_columns(record) == bulk, record


@pytest.mark.parametrize(
    "own_name, region_name",
    [
        ("Xi'an–Hong Kong Going Global Plan", "Xi'an"),
        ("Ｆｕｌｌｗｉｄｔｈ_Lab Plan", "Xi’an New Area"),
        ("Plain Plan", "Jinhai"),
        ("Ｆｕｌｌｗｉｄｔｈ_Lab Plan", "Jinhai"),
    ],
)
def test_its_search_text_matches_the_refresh_for_apostrophes_and_unicode(own_name, region_name):
    # The generator splits words its own faster way; names that real data may
    # hold (apostrophes, full-width letters, Chinese) must give the same text.
    from directory.search import refresh_search_index

    region = Region.objects.create(
        name=region_name, name_zh_hans="西安", slug="r", kind=Region.Kind.CITY
    )
    organisation = Organisation.objects.create(
        name="Jinhai Innovation_Centre (Ｆｕｌｌ)", name_zh_hans="创新中心", slug="o", kind="other"
    )
    programme = Programme.objects.create(
        name=own_name,
        name_zh_hans="西安出海计划",
        short_name="XHK",
        summary="Helps small-and-medium enterprises (SMEs) go_global.",
        description="Ｆｕｌｌ-width text, 中文说明 and plain words.",
        slug="p",
        kind=Programme.Kind.PLATFORM,
    )
    programme.regions.add(region)
    ProgrammeOrganisation.objects.create(
        programme=programme, organisation=organisation, role=ProgrammeOrganisation.Role.LEAD
    )

    document, names, texts = sample_data.SearchColumns()(programme, [organisation, region])

    refresh_search_index([programme])
    programme.refresh_from_db()
    assert (document, names) == (programme.search_document, programme.search_names)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setweight(to_tsvector('english', %s), 'A') "
                "|| setweight(to_tsvector('english', %s), 'B') "
                "|| setweight(to_tsvector('english', %s), 'C') "
                "|| setweight(to_tsvector('english', %s), 'D')",
                texts,
            )
            assert cursor.fetchone()[0] == str(programme.search_vector)


def indexes_and_foreign_keys():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "UNION ALL SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f'"
        )
        return sorted(definition for (definition,) in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY load is PostgreSQL only")
def test_it_leaves_every_index_and_foreign_key_as_it_found_them():
    # The load drops them to write faster; search and lists need them all back.
    before = indexes_and_foreign_keys()
    call_command("generate_sample_data", programmes=20)
    assert indexes_and_foreign_keys() == before
    assert Programme.objects.filter(search_vector__isnull=True).count() == 0


def test_a_second_run_with_the_same_size_changes_nothing(generated):
    call_command("generate_sample_data", programmes=PROGRAMMES, seed=7)
    assert Programme.objects.count() == PROGRAMMES


def test_a_second_run_with_another_size_is_refused(generated):
    with pytest.raises(CommandError, match="already holds"):
        call_command("generate_sample_data", programmes=PROGRAMMES + 10)
    assert Programme.objects.count() == PROGRAMMES


def test_it_refuses_a_database_with_real_published_records():
    Organisation.objects.create(
        name="Hong Kong Productivity Council",
        slug="hkpc",
        kind=Organisation.Kind.STATUTORY_BODY,
        status=PublicationStatus.PUBLISHED,
        seed_key="seeds:hkpc",
    )
    with pytest.raises(CommandError, match="not synthetic"):
        call_command("generate_sample_data", programmes=10)
    assert not Programme.objects.exists()


def test_it_accepts_a_database_with_only_real_drafts():
    # Drafts are not public, so loading next to them cannot mislead a reader.
    Organisation.objects.create(
        name="Draft body", slug="draft-body", kind=Organisation.Kind.OTHER, seed_key="x"
    )
    call_command("generate_sample_data", programmes=10)
    assert Programme.objects.count() == 10
    assert sample_data.existing_synthetic_programmes() == 10
