from pathlib import Path

import pytest

from directory.sources.cleaning import clean_article_text

ARTICLES = Path(__file__).resolve().parents[2] / "seeds" / "articles"


def article(name):
    return (ARTICLES / f"{name}.txt").read_text(encoding="utf-8")


def paragraphs(text):
    return text.split("\n\n")


@pytest.fixture(scope="module")
def smarthk():
    return clean_article_text(article("hkmb-smarthk-plugs-into-sichuan"))


def test_it_starts_the_web_page_article_at_its_title(smarthk):
    assert paragraphs(smarthk)[:3] == [
        "SmartHK plugs into Sichuan",
        "Hong Kong’s innovation and technology knowhow, financial acumen and global links can "
        "boost this pivotal province.",
        "02 December 2020",
    ]


@pytest.mark.parametrize(
    "furniture",
    [
        "Hong Kong Means Business",
        "Search form",
        "Languages",
        "SUBSCRIBE",
        "Section Menu",
        "• multimedia",
        "hkmb.hktdc.com",
        "inside china",
        "SAVE FOR LATER",
        "SHARE / SEND",
        "Scan QR Code",
        "Related link",
        "SmartHK portal",
        "BACK TO TOP",
        "ARTICLE TOPICS",
        "I acknowledge that",
        "non-EU/EEA",
        "YOU MAY BE INTERESTED IN",
        "Interzoo 2021",
        "Copyright",
        "All rights reserved",
        "WHATSAPP",
        "successfully added",
    ],
)
def test_it_drops_the_page_around_the_article(smarthk, furniture):
    assert furniture.casefold() not in smarthk.casefold()


def test_it_drops_image_captions_that_repeat_the_body(smarthk):
    kept = paragraphs(smarthk)
    assert "Li Yunze" not in kept
    assert "Li Yunze, Vice Governor of Sichuan Provincial People's Government" not in kept
    assert (
        "Margaret Fong, Executive Director of the Hong Kong Trade Development Council" not in kept
    )
    assert "Meishan Mayor Hu Yuankun" not in kept
    assert "cooperation agreement" not in kept
    # …while the sentences they repeat stay in the body.
    assert "At the opening ceremony, Li Yunze, Vice Governor" in smarthk
    assert "Leading speakers included Meishan Mayor Hu Yuankun" in smarthk


def test_it_keeps_every_body_paragraph_and_subheading(smarthk):
    raw = article("hkmb-smarthk-plugs-into-sichuan")
    above_footer = raw[: raw.index("Related link")].splitlines()
    # Body paragraphs are long and end a sentence; the caption of the signing
    # photo is long too, but is not a sentence.
    body = [line for line in above_footer if len(line.split()) > 25 and line[-1] in ".”"]
    assert len(body) == 17
    assert all(line.strip() in paragraphs(smarthk) for line in body)
    for subheading in ["SmartHK forum", "Topical seminars", "5G growth driver"]:
        assert subheading in paragraphs(smarthk)
    assert paragraphs(smarthk)[-1].startswith("Andrew Young, Co-Director of Innovation")


def test_it_drops_stray_code_and_keeps_the_dateline_and_editors():
    cleaned = clean_article_text(article("yicai-hkpc-cradle-going-global-service-centre"))

    assert "?>" not in cleaned
    assert cleaned.startswith("(Yicai) April 21 -- Hong Kong is intensifying efforts")
    assert cleaned.endswith("Editors: Tang Shihua, Emmi Laine")


def test_it_drops_also_read_teasers_and_nothing_else():
    raw = article("investhk-xian-high-tech-zone-memorandum")

    cleaned = clean_article_text(raw)

    assert "ALSO READ" not in cleaned
    prose = [line for line in raw.splitlines() if not line.startswith("ALSO READ")]
    assert paragraphs(cleaned) == prose


def test_it_leaves_an_article_without_page_furniture_as_it_is():
    raw = article("beijing-hong-kong-new-productivity-seminar")

    assert paragraphs(clean_article_text(raw)) == raw.splitlines()


def test_it_turns_the_hangzhou_dateline_spacing_into_plain_spaces():
    cleaned = clean_article_text(article("ehangzhou-hangzhou-hong-kong-mutual-resources"))

    assert "en.hangzhou.com.cn 2024-07-01 11:19 Source: ehangzhou" in paragraphs(cleaned)
    assert "\u00a0" not in cleaned


@pytest.mark.parametrize("path", sorted(ARTICLES.glob("*.txt")), ids=lambda p: p.stem)
def test_cleaning_twice_changes_nothing(path):
    once = clean_article_text(path.read_text(encoding="utf-8"))

    assert clean_article_text(once) == once


LONG_SENTENCE = (
    "The centre helps small and medium-sized firms from the mainland find buyers, partners "
    "and investors overseas."
)


def test_it_strips_nul_bytes_and_normalises_line_endings():
    raw = f"Title\r\n\r\n{LONG_SENTENCE}\x00\rSecond paragraph of the story.\r\n"

    assert clean_article_text(raw) == (
        f"Title\n\n{LONG_SENTENCE}\n\nSecond paragraph of the story."
    )


def test_it_drops_buttons_teasers_consent_and_copyright_lines():
    raw = "\n".join(
        [
            "Skip to main content",
            "SHARE",
            "A headline about going global",
            LONG_SENTENCE,
            "Read more: Another story entirely",
            "We use cookies to improve your experience on this website.",
            "Copyright © 2024 Example News. All rights reserved.",
            "Another paragraph that belongs to the article itself.",
        ]
    )

    assert paragraphs(clean_article_text(raw)) == [
        "A headline about going global",
        LONG_SENTENCE,
        "Another paragraph that belongs to the article itself.",
    ]


def test_it_stops_at_related_articles():
    raw = "\n".join(
        [
            LONG_SENTENCE,
            "The last sentence of the article.",
            "Related Articles",
            "Some other headline",
            "A third headline nobody asked for",
        ]
    )

    assert paragraphs(clean_article_text(raw)) == [
        LONG_SENTENCE,
        "The last sentence of the article.",
    ]


def test_it_keeps_a_related_heading_that_comes_before_the_story():
    raw = "\n".join(["Related Articles", "A headline", LONG_SENTENCE])

    assert paragraphs(clean_article_text(raw))[-2:] == ["A headline", LONG_SENTENCE]


def test_it_drops_short_menu_bullets_but_keeps_bulleted_sentences():
    raw = "\n".join(
        [
            "• Home",
            "• Markets",
            "• Technology",
            LONG_SENTENCE,
            "• The Cradle offers intellectual property guidance to mainland firms.",
        ]
    )

    assert paragraphs(clean_article_text(raw)) == [
        LONG_SENTENCE,
        "• The Cradle offers intellectual property guidance to mainland firms.",
    ]


def test_it_removes_html_tags_and_decodes_entities():
    raw = f"<p>{LONG_SENTENCE}</p>\n<p>R&amp;D space in <b>Hong Kong</b>.</p>\n<?php echo $x; ?>"

    assert paragraphs(clean_article_text(raw)) == [LONG_SENTENCE, "R&D space in Hong Kong."]


def test_it_keeps_text_without_prose_apart_from_furniture():
    assert clean_article_text("SHARE\nHKPC\nThe Cradle\n} ?>") == "HKPC\n\nThe Cradle"


def test_it_returns_nothing_for_empty_input():
    assert clean_article_text("") == ""
    assert clean_article_text("\x00\r\n  \n") == ""
