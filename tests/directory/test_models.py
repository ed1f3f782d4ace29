import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from directory.models import Citation, Organisation, Region, SourceArticle
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation

pytestmark = pytest.mark.django_db


def make_region(slug, kind=Region.Kind.PROVINCE, parent=None):
    return Region.objects.create(name=slug.title(), slug=slug, kind=kind, parent=parent)


def make_organisation(slug="hkpc", **fields):
    fields.setdefault("kind", Organisation.Kind.STATUTORY_BODY)
    return Organisation.objects.create(name=slug.upper(), slug=slug, **fields)


def make_programme(slug="cradle", **fields):
    fields.setdefault("kind", Programme.Kind.SERVICE_CENTRE)
    return Programme.objects.create(name=slug.title(), slug=slug, **fields)


def make_article(text="The Cradle offers intellectual property guidance."):
    return SourceArticle.objects.create(slug="article", raw_text=text, cleaned_text=text)


def rejected_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_the_database_rejects_an_event_that_ends_before_it_starts():
    rejected_by_database(
        lambda: Event.objects.create(
            name="SmartHK",
            slug="smarthk",
            kind=Event.Kind.FORUM,
            start_date=datetime.date(2020, 11, 2),
            end_date=datetime.date(2020, 11, 1),
        )
    )


def test_an_event_may_end_on_its_start_day_or_have_no_end():
    Event.objects.create(
        name="One day",
        slug="one-day",
        kind=Event.Kind.FORUM,
        start_date=datetime.date(2020, 11, 2),
        end_date=datetime.date(2020, 11, 2),
    )
    Event.objects.create(name="Open", slug="open", kind=Event.Kind.FORUM)

    assert Event.objects.count() == 2


def test_the_form_check_explains_an_event_that_ends_before_it_starts():
    event = Event(
        name="SmartHK",
        slug="smarthk",
        kind=Event.Kind.FORUM,
        start_date=datetime.date(2020, 11, 2),
        end_date=datetime.date(2020, 11, 1),
    )

    with pytest.raises(ValidationError) as error:
        event.clean()

    assert "end_date" in error.value.message_dict


def test_an_organisation_has_one_role_per_programme():
    hkpc, cradle = make_organisation(), make_programme()
    ProgrammeOrganisation.objects.create(programme=cradle, organisation=hkpc, role="lead")

    rejected_by_database(
        lambda: ProgrammeOrganisation.objects.create(
            programme=cradle, organisation=hkpc, role="partner"
        )
    )


def test_an_organisation_has_one_role_per_event():
    hktdc = make_organisation("hktdc")
    event = Event.objects.create(name="InnoEX", slug="innoex", kind=Event.Kind.EXPO)
    EventOrganisation.objects.create(event=event, organisation=hktdc, role="organiser")

    rejected_by_database(
        lambda: EventOrganisation.objects.create(event=event, organisation=hktdc, role="speaker")
    )


def test_two_records_cannot_share_a_slug():
    make_organisation("hkpc")
    make_programme("cradle")

    rejected_by_database(lambda: make_organisation("hkpc"))
    rejected_by_database(lambda: make_programme("cradle"))


def test_an_organisation_cannot_be_its_own_parent():
    hkpc = make_organisation()
    hkpc.parent = hkpc

    rejected_by_database(hkpc.save)


def test_a_region_cannot_sit_outside_the_globe():
    rejected_by_database(
        lambda: Region.objects.create(
            name="Nowhere", slug="nowhere", kind=Region.Kind.CITY, latitude=91
        )
    )


def test_a_province_includes_its_cities_and_their_zones():
    shaanxi = make_region("shaanxi")
    xian = make_region("xian", Region.Kind.CITY, shaanxi)
    zone = make_region("xian-high-tech-zone", Region.Kind.ZONE, xian)
    sichuan = make_region("sichuan")
    chengdu = make_region("chengdu", Region.Kind.CITY, sichuan)

    assert Region.descendant_ids([shaanxi.pk]) == {shaanxi.pk, xian.pk, zone.pk}
    assert Region.descendant_ids([xian.pk, sichuan.pk]) == {
        xian.pk,
        zone.pk,
        sichuan.pk,
        chengdu.pk,
    }
    assert Region.descendant_ids([]) == set()


def test_a_region_cannot_be_placed_inside_itself():
    shaanxi = make_region("shaanxi")
    xian = make_region("xian", Region.Kind.CITY, shaanxi)
    shaanxi.parent = xian

    with pytest.raises(ValidationError):
        shaanxi.clean()


def citation(article, quote, record):
    return Citation(
        article=article,
        quote=quote,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
    )


def test_a_citation_must_quote_its_article():
    article, cradle = make_article(), make_programme()

    with pytest.raises(ValidationError) as error:
        citation(article, "The Cradle offers free money.", cradle).clean()

    assert "quote" in error.value.message_dict


def test_a_citation_may_reflow_the_quoted_text():
    article, cradle = make_article(), make_programme()
    quote = "The Cradle offers\n  intellectual property   guidance."

    citation(article, quote, cradle).clean()
    citation(article, quote, cradle).save()

    assert cradle.citations.get().quote_found


def test_a_record_cites_the_same_quote_only_once():
    article, cradle = make_article(), make_programme()
    citation(article, "The Cradle", cradle).save()

    rejected_by_database(citation(article, "The Cradle", cradle).save)


def test_only_staff_who_may_view_them_see_records_that_are_not_published():
    make_programme("draft", status="draft")
    make_programme("published", status="published")
    staff = get_user_model().objects.create_user("editor", is_staff=True)
    staff.groups.add(Group.objects.get(name="Editor"))
    no_group = get_user_model().objects.create_user("staff", is_staff=True)
    reader = get_user_model().objects.create_user("reader")

    def visible(user):
        return sorted(Programme.objects.visible_to(user).values_list("slug", flat=True))

    assert visible(AnonymousUser()) == ["published"]
    assert visible(reader) == ["published"]
    assert visible(no_group) == ["published"]
    assert visible(staff) == ["draft", "published"]
