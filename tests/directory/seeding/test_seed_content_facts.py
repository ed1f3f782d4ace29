"""The curated seed content (issue 21): every public text in both Chinese
scripts, the fact corrections kept corrected, Chinese search aliases, and the
"translated by the directory" note. Runs on the real seeds."""

import pytest

from directory.i18n.translation import TRANSLATED_FIELDS, field_for
from directory.models import Organisation, Sector, SourceArticle
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service
from tests.support.search import found_names
from tests.support.seeding import TRANSLATED_MODELS

pytestmark = pytest.mark.django_db


def roles(record):
    return dict(record.organisation_roles.values_list("organisation__slug", "role"))


# (a) Chinese for every public text


def test_every_seeded_public_text_has_both_chinese_versions(seeded):
    missing = []
    for model in TRANSLATED_MODELS:
        fields = TRANSLATED_FIELDS[model._meta.label_lower]
        for record in model.objects.all():
            for name in fields:
                if not getattr(record, name):
                    continue
                for language in ("zh-hans", "zh-hant"):
                    if not getattr(record, field_for(name, language)):
                        missing.append(f"{model._meta.label_lower}:{record.slug}.{name} {language}")
    assert missing == [], "\n".join(missing)


def test_official_names_are_marked_only_on_translated_fields(seeded):
    for model in TRANSLATED_MODELS:
        fields = set(TRANSLATED_FIELDS[model._meta.label_lower])
        for record in model.objects.exclude(zh_official=[]):
            assert set(record.zh_official) <= fields, record
    assert "name" in Organisation.objects.get(slug="hkpc").zh_official


# (b) the fact corrections stay corrected


def test_no_smarthk_2020_session_is_placed_in_chengdu(seeded):
    edition = Event.objects.get(slug="smarthk-2020-sichuan")
    assert edition.city is None
    assert not edition.sessions.filter(city__slug="chengdu").exists()
    assert set(edition.regions.values_list("slug", flat=True)) >= {"chengdu", "meishan", "mianyang"}


def test_services_the_articles_credit_to_no_provider_have_none(seeded):
    for slug in Service.objects.filter(
        programme__slug="hangzhou-hong-kong-technology-collaborative-innovation-platform"
    ).values_list("slug", flat=True):
        assert Service.objects.get(slug=slug).provider is None, slug


def test_the_hangzhou_platform_and_fund_have_no_sci_tech_company_operator(seeded):
    company = "hangzhou-hong-kong-sci-tech-innovation-services"
    assert not ProgrammeOrganisation.objects.filter(organisation__slug=company).exists()
    assert not Service.objects.filter(provider__slug=company).exists()
    description = Organisation.objects.get(slug=company).description
    assert "led by Hangzhou Industrial Investment Group" in description
    assert "including the Hangzhou-Hong Kong Technology Collaborative" not in description


def test_the_business_week_does_not_list_the_cradle_among_its_programmes(seeded):
    week = Event.objects.get(slug="international-innovation-technology-business-week")
    programmes = set(week.programmes.values_list("slug", flat=True))
    assert "cradle-going-global-service-centre" not in programmes
    assert "innoex" in programmes


def test_attendance_figures_say_how_they_are_meant(seeded):
    qualifiers = dict(
        Event.objects.exclude(attendance=None).values_list("slug", "attendance_qualifier")
    )
    assert qualifiers["international-innovation-technology-business-week"] == "about"
    assert qualifiers["smarthk-2020-sichuan"] == "at_least"
    assert qualifiers["smarthk-2019-guangzhou"] == "at_least"
    assert qualifiers["developing-new-productivity-seminar"] == "nearly"
    assert "" not in qualifiers.values()


def test_beijing_platform_services_are_credited_to_all_three_partners(seeded):
    platform = Service.objects.filter(
        programme__organisation_roles__organisation__slug="zhongguancun-administrative-committee"
    ).distinct()
    assert platform.count() == 2
    for service in platform:
        assert service.provider is None, service.slug
        assert {
            "beijing-science-and-technology-commission",
            "zhongguancun-administrative-committee",
            "hktdc",
        } <= set(roles(service.programme))
        assert service.open_to_scope == "region"
        assert set(service.open_to_regions.values_list("slug", flat=True)) == {
            "beijing",
            "hong-kong",
        }


def test_the_delegation_to_innoex_includes_the_zhongguancun_hub(seeded):
    delegation = Event.objects.get(slug="beijing-delegation-to-innoex")
    assert roles(delegation).get("zhongguancun-technology-hub") == "organiser"
    assert roles(delegation).get("beijing-science-and-technology-commission") == "organiser"
    assert delegation.city is None
    commission = Organisation.objects.get(slug="beijing-science-and-technology-commission")
    assert "Zhongguancun technology hub" in commission.description


def test_the_new_organisations_are_merged(seeded):
    office = Organisation.objects.get(slug="hk-liaison-office-beijing")
    assert office.region.slug == "beijing"
    seminar = Event.objects.get(slug="developing-new-productivity-seminar")
    assert roles(seminar)["hk-liaison-office-beijing"] == EventOrganisation.Role.DELEGATE
    assert Organisation.objects.get(slug="sino-creative-rd-office").parent.slug == "sino-group"
    assert Organisation.objects.filter(slug="shaanxi-innovation-center").exists()


def test_the_two_xian_industrial_clusters_exist(seeded):
    clusters = Programme.objects.filter(kind=Programme.Kind.INDUSTRIAL_CLUSTER)
    assert set(clusters.values_list("slug", flat=True)) == {
        "xian-high-tech-zone-automotive-cluster",
        "xian-high-tech-zone-electronic-information-cluster",
    }
    for cluster in clusters:
        assert list(cluster.regions.values_list("slug", flat=True)) == ["xian-high-tech-zone"]


def test_intelligent_manufacturing_is_not_on_the_shaanxi_conference(seeded):
    conference = Event.objects.get(slug="shaanxi-hong-kong-going-global-exchange-conference")
    assert not conference.sectors.filter(slug="intelligent-manufacturing").exists()
    sector = Sector.objects.get(slug="intelligent-manufacturing")
    assert "equipment manufacturing" not in sector.description


def test_sino_group_spoke_at_the_supply_chain_seminar_not_at_smarthk_2020(seeded):
    seminar = Event.objects.get(slug="smarthk-2020-smart-supply-chain-seminar")
    assert roles(seminar).get("sino-group") == EventOrganisation.Role.SPEAKER
    assert "sino-group" not in roles(Event.objects.get(slug="smarthk-2020-sichuan"))
    assert "Supply Chain" in Organisation.objects.get(slug="sino-group").description


def test_innoex_is_not_placed_in_hong_kong_by_the_series(seeded):
    assert not Programme.objects.get(slug="innoex").regions.exists()


def test_the_science_park_is_not_filed_under_biomedicine(seeded):
    assert not Programme.objects.get(slug="hong-kong-science-park").sectors.exists()


def test_open_to_and_all_sectors_are_cited(seeded):
    memorandum = Programme.objects.get(all_sectors=True, open_to_scope="region")
    assert list(memorandum.open_to_regions.values_list("slug", flat=True)) == ["shaanxi"]
    supports = " | ".join(memorandum.citations.values_list("supports", flat=True))
    assert "who it is for" in supports and "all sectors" in supports
    cradle = Programme.objects.get(slug="cradle-going-global-service-centre")
    assert (cradle.open_to_scope, cradle.all_sectors) == ("mainland", True)


def test_articles_without_a_headline_carry_a_given_title(seeded):
    for article in SourceArticle.objects.all():
        assert article.title or article.given_title, article.slug
    yicai = SourceArticle.objects.get(slug="yicai-hkpc-cradle-going-global-service-centre")
    assert yicai.title == "" and yicai.dateline == "April 21"


# (c) Chinese search aliases


@pytest.mark.parametrize(
    "query, key, name",
    [
        ("贸发局", "organisations", "Hong Kong Trade Development Council"),
        ("生产力局", "organisations", "Hong Kong Productivity Council"),
        ("科学园", "programmes", "Hong Kong Science Park"),
        ("貿發局", "organisations", "Hong Kong Trade Development Council"),
    ],
)
def test_everyday_chinese_names_find_their_records(client, seeded, query, key, name):
    assert name in found_names(client, query, key)


# (d) the note on the directory's own translations


def test_a_directory_translation_is_noted_and_an_official_name_is_not(client, seeded):
    note = '<p class="translated-note">由本目录翻译</p>'
    # The Liaison Office's Chinese name is the directory's translation.
    html = client.get("/zh-hans/organisations/hk-liaison-office-beijing/").content.decode()
    assert "<h1>香港驻北京联络处</h1>" + " " + note in html
    # HKPC's Chinese name is official: no note after the heading.
    html = client.get("/zh-hans/organisations/hkpc/").content.decode()
    heading = html.split("<h1>", 1)[1].split("</h1>", 1)
    assert "香港生产力促进局" in heading[0]
    assert not heading[1].lstrip().startswith('<p class="translated-note">')
    # Its description is translated by the directory.
    assert note in html
    # English pages carry no note.
    assert "translated-note" not in client.get("/organisations/hkpc/").content.decode()


def test_traditional_pages_say_it_in_traditional_chinese(client, seeded):
    html = client.get("/zh-hant/organisations/hk-liaison-office-beijing/").content.decode()
    assert "由本目錄翻譯" in html


def test_source_pages_show_the_given_title_marked_as_such(client, seeded):
    html = client.get("/sources/yicai-hkpc-cradle-going-global-service-centre/").content.decode()
    assert "(title given by the directory)" in html
    assert "April 21" in html
    html = client.get("/sources/hkmb-smarthk-plugs-into-sichuan/").content.decode()
    assert "<h1>SmartHK plugs into Sichuan</h1>" in html
    assert 'href="https://hkmb.hktdc.com/en/1X0AL2WY"' in html


def test_record_pages_show_open_to_all_sectors_attendance_and_joint_providers(client, seeded):
    html = client.get("/programmes/cradle-going-global-service-centre/").content.decode()
    assert "Firms registered anywhere on the mainland" in html
    assert "All technology sectors" in html
    html = client.get("/events/international-innovation-technology-business-week/").content
    assert "around 88,000" in html.decode()
    html = client.get("/events/smarthk-2020-sichuan/").content.decode()
    assert "more than 26,000" in html
    service = Service.objects.filter(
        provider=None, programme__organisation_roles__organisation__slug="hktdc"
    ).first()
    html = client.get(f"/services/{service.slug}/").content.decode()
    assert "Provided through" in html and "run by" in html
    assert "Hong Kong Trade Development Council" in html


PUBLIC_BODY_SITES = {
    "hkpc": "https://www.hkpc.org",
    "hktdc": "https://www.hktdc.com",
    "investhk": "https://www.investhk.gov.hk",
}


def test_public_bodies_link_to_their_own_sites_and_no_other_has_one_made_up(seeded, client):
    for slug, site in PUBLIC_BODY_SITES.items():
        organisation = Organisation.objects.get(slug=slug)
        assert organisation.website == site
        page = client.get(organisation.get_absolute_url()).content.decode()
        assert f'href="{site}"' in page
    # Only bodies of these kinds get an address; companies and mainland bodies
    # are left empty rather than guessed.
    kinds = set(Organisation.objects.exclude(website="").values_list("kind", flat=True).distinct())
    assert kinds <= {"hk_government", "statutory_body", "hksar_mainland_office", "university"}
