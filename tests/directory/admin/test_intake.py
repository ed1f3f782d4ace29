from django.urls import reverse

from directory.models import Citation, Organisation, PublicationStatus, SourceArticle
from directory.sources import intake
from programmes.models import Event, Programme

# Test input written for this suite, in the style of a trade-press report; not seed data.
SEMINAR_ARTICLE = """\
HONG KONG, March 6 -- The Hong Kong Productivity Council (HKPC) hosted a seminar on
cross-border data compliance for mainland manufacturers on Thursday.

More than 120 representatives of firms from Dongguan and Foshan attended the event,
organised with the Guangdong Provincial Department of Commerce.
Speakers from the Hong Kong Science and Technology Parks Corporation explained how the
new Smart Manufacturing Transformation Fund will support pilot lines in the Greater Bay Area.
HKPC said the next session of its Digital Trade Forum would take place in Shenzhen in June.
The hkpc website lists the dates.
"""


def candidates():
    return [
        (("org", 1), ["Hong Kong Productivity Council", "HKPC"]),
        (("org", 2), ["Shenzhen Productivity Centre", "SPC"]),
    ]


def test_it_finds_known_records_by_name_and_acronym_with_their_sentence():
    mentions = intake.find_mentions(SEMINAR_ARTICLE, candidates())
    assert [m.key for m in mentions] == [("org", 1)]
    assert mentions[0].sentence.startswith("HONG KONG, March 6 -- The Hong Kong Productivity")


def test_it_matches_acronyms_case_sensitively_and_whole_words_only():
    only_acronym = [(("org", 1), ["HKPC"])]
    text = "The hkpc website. HKPCs are not HKPC."
    mentions = intake.find_mentions(text, only_acronym)
    assert [m.sentence for m in mentions] == ["HKPCs are not HKPC."]
    assert intake.find_mentions("The hkpc website lists the dates.", only_acronym) == []


def test_it_proposes_unknown_names_by_their_ending():
    proposals = intake.propose_records(SEMINAR_ARTICLE, candidates())
    found = {(p.name, p.model, p.kind) for p in proposals}
    assert ("Smart Manufacturing Transformation Fund", "programme", "fund") in found
    assert ("Digital Trade Forum", "event", "forum") in found
    assert ("Guangdong Provincial Department of Commerce", "organisation", "other") not in found
    assert any(p.name == "Guangdong Provincial Department" for p in proposals)
    # Known names are not proposed again.
    assert not any("Productivity Council" in p.name for p in proposals)
    fund = next(p for p in proposals if p.model == "programme")
    assert fund.sentence.startswith("Speakers from the Hong Kong Science")


def _article(records):
    from directory.sources.cleaning import clean_article_text

    return SourceArticle.objects.create(
        slug="hkpc-seminar",
        title="HKPC seminar on data compliance",
        raw_text=SEMINAR_ARTICLE,
        cleaned_text=clean_article_text(SEMINAR_ARTICLE),
    )


def test_staff_link_a_mention_and_create_drafts_from_a_fresh_article(client, editor, records):
    article = _article(records)
    url = reverse("admin:directory_sourcearticle_propose", args=[article.pk])
    client.force_login(editor)

    change_page = client.get(reverse("admin:directory_sourcearticle_change", args=[article.pk]))
    assert url in change_page.content.decode()
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Hong Kong Productivity Council" in html
    assert "Smart Manufacturing Transformation Fund" in html

    hkpc = records["organisation"]
    response = client.post(url, {"link": f"directory.organisation:{hkpc.pk}"})
    assert response.status_code == 302
    citation = hkpc.citations.get(article=article)
    assert citation.quote_found
    assert "hosted a seminar" in citation.quote

    response = client.post(
        url,
        {
            "create": ["Smart Manufacturing Transformation Fund", "Digital Trade Forum"],
            "type:Digital Trade Forum": "event",
        },
    )
    assert response.status_code == 302
    fund = Programme.objects.get(name="Smart Manufacturing Transformation Fund")
    forum = Event.objects.get(name="Digital Trade Forum")
    for record in (fund, forum):
        assert record.status == PublicationStatus.DRAFT
        assert record.citations.get().article == article
        # The sentence names the new record: its number goes beside the name.
        assert record.citations.get().facts == ["name"]
        assert record.history.get().history_user == editor
    assert fund.kind == "fund" and forum.kind == "forum"
    assert not Organisation.objects.filter(name__contains="Department").exists()


def test_a_proposal_can_be_created_as_another_record_type(client, editor, records):
    article = _article(records)
    url = reverse("admin:directory_sourcearticle_propose", args=[article.pk])
    client.force_login(editor)
    client.post(
        url,
        {
            "create": ["Smart Manufacturing Transformation Fund"],
            "type:Smart Manufacturing Transformation Fund": "organisation",
        },
    )
    organisation = Organisation.objects.get(name="Smart Manufacturing Transformation Fund")
    assert organisation.status == PublicationStatus.DRAFT
    assert Citation.objects.filter(object_id=organisation.pk).count() == 1
