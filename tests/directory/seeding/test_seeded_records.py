"""What the seed loader writes, checked on one load of the seeds for the
whole module (the tests of loading itself, in test_seed_loader.py, each load
into an empty database)."""

from directory.models import Citation, DatePrecision, Organisation, Region, SourceArticle
from programmes.models import Event, Programme, ProgrammeOrganisation, Service


def test_it_loads_the_cradle_with_hkpc_as_lead_and_three_partner_hubs(seeded):
    cradle = Programme.objects.get(slug="cradle-going-global-service-centre")
    roles = dict(cradle.organisation_roles.values_list("organisation__short_name", "role"))
    assert roles["HKPC"] == ProgrammeOrganisation.Role.LEAD
    partners = cradle.organisation_roles.filter(role=ProgrammeOrganisation.Role.PARTNER)
    assert sorted(p.organisation.region.name for p in partners) == [
        "Guangzhou",
        "Shanghai",
        "Zhongguancun",
    ]
    assert sorted(cradle.services.values_list("category__slug", flat=True)) == [
        "government-funding",
        "intellectual-property",
        "standards-compliance",
        "technical-validation",
    ]
    assert Organisation.objects.get(slug="the-cradle").parent.short_name == "HKPC"


def test_it_dates_smarthk_sichuan_to_the_month_the_article_allows(seeded):
    edition = Event.objects.get(slug="smarthk-2020-sichuan")
    assert (edition.start_date.year, edition.start_date.month) == (2020, 11)
    assert edition.start_precision == DatePrecision.MONTH
    assert edition.series.name == "SmartHK"
    assert edition.attendance == 26000
    assert edition.attendance_text.startswith("more than 26,000")
    assert edition.sessions.filter(kind=Event.Kind.SEMINAR).count() == 5
    smarthk = Programme.objects.get(slug="smarthk")
    assert (smarthk.launch_date.year, smarthk.launch_precision) == (2011, DatePrecision.YEAR)
    guangzhou = Event.objects.get(slug="smarthk-2019-guangzhou")
    assert guangzhou.start_precision == DatePrecision.YEAR
    assert guangzhou.attendance_text.startswith("more than 1,400")


def test_it_links_offices_to_the_government_and_places_to_their_province(seeded):
    assert Organisation.objects.get(short_name="CDETO").parent.slug == "hksar-government"
    assert Organisation.objects.get(slug="hksar-beijing-office").parent.slug == "hksar-government"
    xian = Region.objects.get(slug="xian")
    assert "Xian" in xian.alternative_names
    shaanxi = Region.objects.get(slug="shaanxi")
    below_shaanxi = set(
        Region.objects.filter(pk__in=Region.descendant_ids([shaanxi.pk])).values_list(
            "slug", flat=True
        )
    )
    assert below_shaanxi == {"shaanxi", "xian", "xian-high-tech-zone", "xixian-new-area"}


def test_it_stores_raw_and_cleaned_article_text_and_only_the_stated_metadata(seeded):
    hkmb = SourceArticle.objects.get(slug="hkmb-smarthk-plugs-into-sichuan")
    assert "SAVE FOR LATER" in hkmb.raw_text
    assert "SAVE FOR LATER" not in hkmb.cleaned_text
    assert hkmb.cleaned_text.startswith("SmartHK plugs into Sichuan")
    assert hkmb.published_on.isoformat() == "2020-12-02"
    yicai = SourceArticle.objects.get(slug="yicai-hkpc-cradle-going-global-service-centre")
    assert yicai.published_on is None
    assert yicai.dateline == "April 21"
    assert yicai.publisher == "Yicai"
    assert SourceArticle.objects.get(slug="investhk-xian-high-tech-zone-memorandum").publisher == ""


def test_every_citation_quotes_its_article(seeded):
    assert all(citation.quote_found for citation in Citation.objects.select_related("article"))
    for model in (Organisation, Programme, Service, Event):
        assert not model.objects.filter(citations__isnull=True).exists()


def test_it_makes_the_records_searchable(seeded):
    cradle = Programme.objects.get(slug="cradle-going-global-service-centre")
    assert "cradle" in cradle.search_document.lower()
