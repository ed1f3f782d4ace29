"""Every string a user sees is marked for translation and translated, in both
Chinese catalogues, and the translated interface is what Chinese pages show."""

import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ["zh_Hans", "zh_Hant"]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
# What `makemessages` must not read: tests, generated and third-party files.
NOT_SOURCES = [".venv", ".git", "staticfiles", "screenshots", "bench-results", "tests"]

# Text left in a template once tags, variables, comments and translated blocks
# are removed may only be punctuation, symbols and digits.
ALLOWED_LEFTOVER = re.compile(r"^[\s\d.,:;!?()\[\]/|·•×→←↑↓–—\-+*&#%'\"“”‘’…✓✗✔✘=<>]*$")
USER_VISIBLE_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
ATTRIBUTE = re.compile(
    r"(?<![\w-])(" + "|".join(USER_VISIBLE_ATTRIBUTES) + r""")\s*=\s*(?:"([^"]*)"|'([^']*)')""",
    re.I,
)
# A button's label is its value attribute.
BUTTON_VALUE = re.compile(
    r"""<input\b(?=[^>]*\btype\s*=\s*["']?(?:submit|button|reset)\b)[^>]*?"""
    r"""\bvalue\s*=\s*(?:"([^"]*)"|'([^']*)')""",
    re.I,
)
PLACEHOLDERS = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


@pytest.fixture(autouse=True)
def language_restored():
    # A request to a Chinese page leaves Chinese active in this thread, and
    # later tests would build Chinese URLs with reverse().
    with translation.override(translation.get_language()):
        yield


def untranslated_text(source):
    """The user-visible text of a template that is not marked for translation."""
    source = re.sub(r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{#.*?#}", " ", source, flags=re.S)
    source = re.sub(
        r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}",
        " ",
        source,
        flags=re.S,
    )
    source = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", source, flags=re.S | re.I)
    source = re.sub(r"<!--.*?-->", " ", source, flags=re.S)
    source = re.sub(r"{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    leftovers = []
    for name, double, single in ATTRIBUTE.findall(source):
        value = double or single
        if not ALLOWED_LEFTOVER.match(value):
            leftovers.append(f'{name}="{value.strip()}"')
    for double, single in BUTTON_VALUE.findall(source):
        value = double or single
        if not ALLOWED_LEFTOVER.match(value):
            leftovers.append(f'value="{value.strip()}"')
    text = re.sub(r"<[^>]*>", "\n", source)
    text = re.sub(r"&[a-z]+;|&#\d+;|&#x[0-9a-f]+;", " ", text, flags=re.I)
    leftovers += [line.strip() for line in text.splitlines() if not ALLOWED_LEFTOVER.match(line)]
    return leftovers


def catalogue_problems(path):
    """Entries of a .po file a reader would see in English or garbled."""
    catalogue = polib.pofile(str(path))
    problems = {
        "untranslated": [entry.msgid for entry in catalogue.untranslated_entries()],
        "fuzzy": [entry.msgid for entry in catalogue.fuzzy_entries()],
        "placeholders": [],
    }
    for entry in catalogue.translated_entries():
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        expected = sorted(PLACEHOLDERS.findall(sources[-1]))
        if any(sorted(PLACEHOLDERS.findall(text)) != expected for text in translations):
            problems["placeholders"].append(entry.msgid)
    return {kind: msgids for kind, msgids in problems.items() if msgids}


@contextmanager
def working_directory(path):
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def updated_catalogues(project, languages=LANGUAGES):
    """Run makemessages in `project`, a copy of the sources with its own
    `locale/`, as a developer would before committing."""
    original = settings.LOCALE_PATHS
    settings.LOCALE_PATHS = [project / "locale"]
    try:
        with working_directory(project):
            call_command(
                "makemessages",
                locale=languages,
                ignore_patterns=NOT_SOURCES,
                no_obsolete=True,
                verbosity=0,
            )
    finally:
        settings.LOCALE_PATHS = original
    return project / "locale"


def copy_of_the_sources(destination):
    # makemessages writes next to the sources it reads, so it runs on a copy
    # and the committed catalogues stay as they are.
    def ignored(directory, names):
        skip = {"__pycache__", "db.sqlite3", *NOT_SOURCES} if Path(directory) == ROOT else set()
        return [name for name in names if name in skip or name.endswith((".mo", ".pyc"))]

    shutil.copytree(ROOT, destination, ignore=ignored)
    return destination


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """The committed catalogues merged with every string now in the code."""
    project = copy_of_the_sources(tmp_path_factory.mktemp("project") / "src")
    return updated_catalogues(project)


# The interface


def test_it_marks_every_visible_template_string_for_translation():
    problems = {}
    for directory in TEMPLATE_DIRS:
        for template in sorted(directory.rglob("*.html")):
            leftovers = untranslated_text(template.read_text())
            if leftovers:
                problems[str(template.relative_to(ROOT))] = leftovers
    assert problems == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_translates_every_string_of_the_interface(fresh_catalogues, language):
    problems = catalogue_problems(fresh_catalogues / language / "LC_MESSAGES" / "django.po")
    assert problems == {}, f"{language}: {problems}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_declares_the_single_plural_form_of_chinese(language):
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert catalogue.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert not catalogue.metadata_is_fuzzy


@pytest.mark.django_db
def test_it_shows_the_public_site_navigation_in_simplified_chinese(client):
    html = client.get("/zh-hans/programmes/").content.decode()
    assert 'lang="zh-Hans"' in html
    for label in ("项目", "机构", "服务", "活动", "搜索", "跳到主要内容", "应用筛选"):
        assert label in html
    assert ">Programmes<" not in html and "Apply filters" not in html


@pytest.mark.django_db
def test_it_shows_the_home_page_in_traditional_chinese(client):
    html = client.get("/zh-hant/").content.decode()
    assert 'lang="zh-Hant"' in html
    for label in ("計劃", "機構", "服務", "活動", "搜尋", "跨境創新名錄"):
        assert label in html
    assert "Skip to main content" not in html


@pytest.mark.django_db
def test_it_keeps_the_english_pages_in_english(client):
    html = client.get("/programmes/").content.decode()
    assert "Programmes" in html and "Apply filters" in html
    assert "项目" not in html


@pytest.fixture
def superuser_client(client, db):
    user = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(user)
    return client


def test_it_shows_the_admin_index_in_traditional_chinese(superuser_client):
    html = superuser_client.get("/zh-hant/admin/").content.decode()
    # The project's own labels (app and model names, the site's name, the
    # review queue) and Django's (the recent actions).
    for label in (
        "計劃、服務及活動",
        "名錄",
        "來源文章",
        "跨境創新名錄",
        "審核隊列",
        "待核實",
        "最近的動作",
    ):
        assert label in html, label
    assert "Programmes, services and events" not in html and "Source articles" not in html
    assert "Django" not in html


def test_it_shows_a_changelist_in_traditional_chinese(superuser_client):
    html = superuser_client.get("/zh-hant/admin/programmes/programme/").content.decode()
    for label in ("發佈所選記錄", "提交所選記錄以供審核", "發佈狀態", "運作狀態", "待核實"):
        assert label in html, label
    assert "Publish selected" not in html and "Due for verification" not in html


# The checkers catch what they should


def test_the_template_checker_catches_unmarked_text():
    assert untranslated_text("<p>Hello</p>") == ["Hello"]
    assert untranslated_text("<h1>{{ name }} programmes</h1>") == ["programmes"]
    assert untranslated_text("<title>Directory</title>") == ["Directory"]


def test_the_template_checker_catches_unmarked_attributes():
    assert untranslated_text('<input placeholder="Search">') == ['placeholder="Search"']
    assert untranslated_text("<img alt='Logo' src='x.png'>") == ['alt="Logo"']
    assert untranslated_text('<a title="More" href="/">{{ x }}</a>') == ['title="More"']
    assert untranslated_text('<nav aria-label="Main">') == ['aria-label="Main"']
    assert untranslated_text('<input type="submit" value="Go">') == ['value="Go"']


def test_the_template_checker_accepts_marked_text_and_machine_values():
    assert untranslated_text("<p>{% translate 'Hello' %} ({{ count }})</p>") == []
    assert untranslated_text("{% blocktranslate %}Hi {{ n }}{% endblocktranslate %}") == []
    assert untranslated_text("<p>{% blocktranslate trimmed %}\n Hi\n{% endblocktranslate %}") == []
    assert untranslated_text('<nav aria-label="{% translate "Main" %}">') == []
    assert untranslated_text('<input type="radio" name="when" value="upcoming">') == []
    assert untranslated_text('<a data-title="internal" href="/">·</a>') == []
    assert untranslated_text("{# Note #}<!-- why --><script>let a = 'b';</script>") == []
    assert untranslated_text("{% comment %}Draft{% endcomment %}&nbsp;&#x27;") == []


def write_catalogue(path, entries):
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for entry in entries:
        catalogue.append(entry)
    catalogue.save(str(path))
    return path


def test_the_catalogue_checker_catches_untranslated_fuzzy_and_broken_entries(tmp_path):
    path = write_catalogue(
        tmp_path / "django.po",
        [
            polib.POEntry(msgid="Programmes", msgstr="项目"),
            polib.POEntry(msgid="Events", msgstr=""),
            polib.POEntry(msgid="Services", msgstr="服务", flags=["fuzzy"]),
            polib.POEntry(
                msgid="%(n)s result",
                msgid_plural="%(n)s results",
                msgstr_plural={0: ""},
                flags=["python-format"],
            ),
            polib.POEntry(msgid="Page %(n)s", msgstr="第 %(page)s 页", flags=["python-format"]),
            polib.POEntry(msgid="Draft: {record}", msgstr="草稿：{record}"),
        ],
    )
    assert catalogue_problems(path) == {
        "untranslated": ["Events", "%(n)s result"],
        "fuzzy": ["Services"],
        "placeholders": ["Page %(n)s"],
    }


def test_the_catalogue_check_catches_a_new_string_missing_from_the_catalogue(tmp_path):
    project = tmp_path / "src"
    shutil.copytree(ROOT / "locale", project / "locale", ignore=shutil.ignore_patterns("*.mo"))
    (project / "templates").mkdir()
    (project / "templates" / "new.html").write_text(
        "{% load i18n %}<p>{% translate 'Programmes' %}</p>"
        "<p>{% translate 'A sentence nobody has translated yet' %}</p>"
    )
    locale = updated_catalogues(project, languages=["zh_Hans"])
    problems = catalogue_problems(locale / "zh_Hans" / "LC_MESSAGES" / "django.po")
    # msgmerge may offer a near match as a fuzzy guess: either way it fails.
    missing = problems.pop("untranslated", []) + problems.pop("fuzzy", [])
    assert missing == ["A sentence nobody has translated yet"]
    assert problems == {}
