from directory.i18n.translation import (
    content_language,
    is_complete,
    is_outdated,
    note_translation_edits,
    translate,
)
from directory.models import Organisation


def council(**fields):
    return Organisation(name="Hong Kong Productivity Council", description="Helps SMEs.", **fields)


def test_it_shows_the_chinese_name_on_chinese_pages():
    record = council(name_zh_hans="香港生产力促进局", name_zh_hant="香港生產力促進局")
    assert str(translate(record, "name", "zh-hans")) == "香港生产力促进局"
    assert str(translate(record, "name", "zh-hant")) == "香港生產力促進局"
    assert translate(record, "name", "en").value == "Hong Kong Productivity Council"


def test_it_falls_back_to_english_and_says_so():
    text = translate(council(), "description", "zh-hant")
    assert text.value == "Helps SMEs."
    assert text.is_fallback is True
    assert text.language == "en"


def test_an_empty_english_text_is_not_a_fallback():
    assert translate(Organisation(name="X"), "description", "zh-hans").is_fallback is False


def test_it_maps_browser_language_codes_to_scripts():
    assert content_language("zh-hk") == "zh-hant"
    assert content_language("zh-cn") == "zh-hans"
    assert content_language("fr") == "en"


def test_it_knows_which_languages_are_complete():
    record = council(name_zh_hans="香港生产力促进局", description_zh_hans="协助中小企业。")
    assert is_complete(record, "zh-hans") is True
    assert is_complete(record, "zh-hant") is False


def test_it_flags_a_translation_whose_english_changed_afterwards():
    record = council(name_zh_hant="香港生產力促進局")
    note_translation_edits(record)
    assert is_outdated(record, "zh-hant") is False

    before = council(
        name_zh_hant="香港生產力促進局", translation_sources=record.translation_sources
    )
    record.description = "Helps small and medium enterprises go global."
    note_translation_edits(record, previous=before)
    assert is_outdated(record, "zh-hant") is True

    # Editing the translation itself after the change clears the flag.
    before = council(
        name_zh_hant="香港生產力促進局", translation_sources=record.translation_sources
    )
    record.description_zh_hant = "協助中小企業走出去。"
    note_translation_edits(record, previous=before)
    assert is_outdated(record, "zh-hant") is False
