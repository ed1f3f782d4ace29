"""Reading the seed files and checking every record and quote before
anything is written."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from directory.i18n.translation import TRANSLATED_FIELDS
from directory.models import (
    DatePrecision,
    KeyFact,
    PublicationStatus,
    SourceArticle,
    unknown_facts,
)
from directory.seeding.audience import _check_open_to, _merged
from directory.seeding.errors import SeedError
from directory.seeding.specs import ARTICLES, Spec, specs, whole_load_checks
from directory.sources.cleaning import clean_article_text

# LibYAML's loader is ten times faster than the pure-Python one where it is built.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _parse_date(value):
    """(date, precision) from 2011, "2020-11" or 2020-11-05."""
    if value is None or value == "":
        return None, DatePrecision.DAY
    if isinstance(value, datetime.date):
        return value, DatePrecision.DAY
    if isinstance(value, int) and 1000 <= value <= 9999:
        return datetime.date(value, 1, 1), DatePrecision.YEAR
    if isinstance(value, str):
        if value.isdigit() and len(value) == 4:
            return datetime.date(int(value), 1, 1), DatePrecision.YEAR
        if match := _MONTH.match(value):
            return datetime.date(int(match[1]), int(match[2]), 1), DatePrecision.MONTH
        return datetime.date.fromisoformat(value), DatePrecision.DAY
    raise ValueError(f"{value!r} is not a year, a YYYY-MM month or a YYYY-MM-DD date")


def _read_yaml(path, spec_file):
    if not path.exists():
        raise SeedError(spec_file, None, "file is missing")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or []
    except yaml.YAMLError as error:
        raise SeedError(spec_file, None, f"is not valid YAML: {error}") from error
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise SeedError(spec_file, None, "must be a list of records (mappings)")
    return data


@dataclass
class Entry:
    """One seed record, checked and turned into values ready to write."""

    spec: Spec
    slug: str
    values: dict  # model field -> python value (FKs still as slugs)
    foreign_keys: dict  # model field -> slug or None
    many_to_many: dict  # field -> sorted slugs
    roles: list  # sorted [organisation slug, role]
    citations: list  # sorted [article slug, quote, supports, key facts]
    # Bodies credited jointly (`providers`): checked against the programme's
    # organisations, not stored on the record.
    joint_providers: list = field(default_factory=list)

    @property
    def seed_key(self):
        return f"{self.spec.model._meta.label_lower}:{self.slug}"

    def snapshot(self):
        """What the loader writes, in the form `_snapshot_of` reads back."""
        values = {name: _canonical(self.spec.model, name, v) for name, v in self.values.items()}
        return {
            "values": _without_empty_translations(values),
            "foreign_keys": self.foreign_keys,
            "many_to_many": _without_empty_later_relations(self.many_to_many),
            "roles": self.roles,
            "citations": self.citations,
        }


# Fields added to the seeds later than the others: left at their empty value
# they are left out of the fingerprint, so records loaded before they existed
# are not mistaken for staff edits and still receive them.
LATER_FIELDS = {
    "zh_official",
    "given_title",
    "open_to_scope",
    "all_sectors",
    "attendance_qualifier",
}
LATER_RELATIONS = {"open_to_regions"}


def _without_empty_translations(values):
    # An absent translation leaves the fingerprint as it was before Chinese
    # fields were seeded, so records loaded earlier are not mistaken for staff
    # edits and still receive their translations.
    return {
        name: value
        for name, value in values.items()
        if not (
            value in ("", [], False)
            and (
                name in LATER_FIELDS
                or any(name.endswith(f"_{code}") for code in ("zh_hans", "zh_hant"))
            )
        )
    }


def _without_empty_later_relations(many_to_many):
    return {
        key: slugs
        for key, slugs in many_to_many.items()
        if not (key in LATER_RELATIONS and not slugs)
    }


def _canonical(model, name, value):
    if value is None:
        return None
    model_field = model._meta.get_field(name)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if model_field.get_internal_type() == "DecimalField":
        return f"{Decimal(value):.{model_field.decimal_places}f}"
    return value


def _check_record(spec, raw, all_slugs, cleaned_articles):
    slug = raw.get("slug")
    if not isinstance(slug, str) or not slug:
        raise SeedError(spec.file, None, f"a record has no slug: {raw!r:.80}")

    def fail(problem):
        raise SeedError(spec.file, slug, problem)

    unknown = (
        set(raw) - spec.allowed_keys - ({"file", "original_file"} if spec is ARTICLES else set())
    )
    if unknown:
        fail(f"unknown field(s) {', '.join(sorted(unknown))}")

    values = {}
    for name in spec.fields:
        model_field = spec.model._meta.get_field(name)
        value = raw.get(name)
        if value is None and model_field.has_default():
            value = model_field.get_default()
        if name in spec.list_fields:
            if value is None:
                value = []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                fail(f"field '{name}' must be a list of strings")
            value = ", ".join(value)
        elif name in spec.decimals:
            try:
                value = None if value is None else Decimal(str(value))
            except InvalidOperation:
                fail(f"field '{name}' must be a number")
        elif name in spec.integers:
            if value is not None and (not isinstance(value, int) or value < 0):
                fail(f"field '{name}' must be a whole number")
        elif name in spec.booleans:
            if not isinstance(value, bool):
                fail(f"field '{name}' must be true or false")
        elif name in spec.json_lists:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                fail(f"field '{name}' must be a list of strings")
            if name == "zh_official":
                translated = TRANSLATED_FIELDS.get(spec.model._meta.label_lower, ())
                wrong = sorted(set(value) - set(translated))
                if wrong:
                    fail(
                        f"field 'zh_official' names {', '.join(wrong)}, which are not "
                        f"translated fields (those are {', '.join(translated)})"
                    )
                value = sorted(set(value))
        else:
            value = "" if value is None else value
            if not isinstance(value, str):
                fail(f"field '{name}' must be text, not {value!r}")
            value = value.strip()
        values[name] = value
    if spec.publishable:
        values["status"] = raw.get("status", PublicationStatus.PUBLISHED)

    for key, prefix in spec.dates.items():
        try:
            date, precision = _parse_date(raw.get(key))
        except ValueError as error:
            fail(f"field '{key}': {error}")
        date_field = key if key != "date" else f"{prefix}_on"
        values[date_field] = date
        values[f"{prefix}_precision"] = precision

    def resolve(key, target_file, value):
        if value not in all_slugs[target_file]:
            fail(f"field '{key}' refers to '{value}', which {target_file} does not define")
        return value

    foreign_keys = {}
    for key, target in spec.foreign_keys.items():
        value = raw.get(key)
        foreign_keys[key] = None if value in (None, "") else resolve(key, target, value)
        if value == slug:
            fail(f"field '{key}' refers to the record itself")

    extra_citations = []
    if spec.open_to:
        open_to_regions = _check_open_to(raw, fail, resolve, values, extra_citations)

    many_to_many = {}
    for key, target in spec.many_to_many.items():
        if spec.open_to and key == "open_to_regions":
            many_to_many[key] = open_to_regions
            continue
        items = raw.get(key) or []
        if not isinstance(items, list):
            fail(f"field '{key}' must be a list of slugs")
        many_to_many[key] = sorted({resolve(key, target, item) for item in items})

    roles = []
    if spec.roles:
        through, _ = spec.roles
        valid_roles = {choice for choice, _label in through.Role.choices}
        seen = set()
        for item in raw.get("organisations") or []:
            if not isinstance(item, dict) or set(item) != {"organisation", "role"}:
                fail("each of 'organisations' needs exactly 'organisation' and 'role'")
            org = resolve("organisations", "organisations.yaml", item["organisation"])
            if item["role"] not in valid_roles:
                fail(f"role '{item['role']}' of '{org}' is not one of {sorted(valid_roles)}")
            if org in seen:
                fail(f"organisation '{org}' is listed twice (one role per organisation)")
            seen.add(org)
            roles.append([org, item["role"]])
        roles.sort()

    joint_providers = []
    if spec.joint_providers and "providers" in raw:
        items = raw.get("providers")
        if not isinstance(items, list) or not items:
            fail("field 'providers' must be a list of organisation slugs")
        if foreign_keys.get("provider"):
            fail("give either 'provider' or 'providers', not both")
        joint_providers = sorted({resolve("providers", "organisations.yaml", s) for s in items})

    citations = []
    if spec.citations:
        items = raw.get("citations") or []
        if not items:
            fail("has no citations: every fact needs a quote from an article")
        for item in [*items, *extra_citations]:
            citations.append(_check_citation(item, fail, cleaned_articles))
        citations = _merged(citations)

    return Entry(spec, slug, values, foreign_keys, many_to_many, roles, citations, joint_providers)


CITATION_KEYS = {"article", "quote", "supports", "facts"}


def _check_citation(item, fail, cleaned_articles):
    """[article slug, quote, supports, key facts] of one citation, its quote
    found in the article and its `facts` all `KeyFact` values."""
    if not isinstance(item, dict) or not {"article", "quote", "facts"} <= set(item):
        fail("each citation needs 'article', 'quote' and 'facts' (and 'supports')")
    extra = set(item) - CITATION_KEYS
    if extra:
        fail(f"citation has unknown field(s) {', '.join(sorted(extra))}")
    article = item["article"]
    if article not in cleaned_articles:
        fail(f"citation refers to article '{article}', which articles.yaml does not define")
    quote = " ".join(str(item["quote"]).split())
    if not SourceArticle(cleaned_text=cleaned_articles[article]).contains_quote(quote):
        fail(f"quote not found in article '{article}': “{quote}”")
    facts = item["facts"] if item["facts"] is not None else []
    if wrong := unknown_facts(facts):
        fail(
            f"citation of '{article}' names unknown key fact(s) {', '.join(map(str, wrong))} "
            f"in 'facts' (the key facts are {', '.join(KeyFact.values)})"
        )
    supports = " ".join(str(item.get("supports") or "").split())
    return [article, quote, supports, [f for f in KeyFact.values if f in facts]]


def _read_articles(seeds_dir):
    """Article entries plus their texts, keyed by slug."""
    raws = _read_yaml(seeds_dir / ARTICLES.file, ARTICLES.file)
    texts = {}
    for raw in raws:
        slug, file = raw.get("slug"), raw.get("file")
        if not file:
            raise SeedError(ARTICLES.file, slug, "field 'file' is missing")
        path = seeds_dir / file
        if not path.is_file():
            raise SeedError(ARTICLES.file, slug, f"field 'file': {file} does not exist")
        raw_text = path.read_text(encoding="utf-8")
        texts[slug] = (raw_text, clean_article_text(raw_text))
    return raws, texts


def read_seeds(seeds_dir):
    """Every seed entry, checked, in the order they must be written."""
    seeds_dir = Path(seeds_dir)
    article_raws, texts = _read_articles(seeds_dir)
    raws = {ARTICLES.file: article_raws}
    for spec in specs()[1:]:
        raws[spec.file] = _read_yaml(seeds_dir / spec.file, spec.file)

    all_slugs = {}
    for spec in specs():
        slugs = [raw.get("slug") for raw in raws[spec.file]]
        duplicates = sorted({s for s in slugs if s and slugs.count(s) > 1})
        if duplicates:
            raise SeedError(spec.file, duplicates[0], "slug is defined more than once")
        all_slugs[spec.file] = set(slugs)

    cleaned = {slug: text for slug, (_raw, text) in texts.items()}
    entries = []
    for spec in specs():
        checked = [_check_record(spec, raw, all_slugs, cleaned) for raw in raws[spec.file]]
        entries.extend(_parents_first(spec, checked))
    for check in whole_load_checks():
        check(entries)
    return entries, texts


def _parents_first(spec, entries):
    """Order a file's records so a record's parent (same file) is written before it."""
    own = [key for key, target in spec.foreign_keys.items() if target == spec.file]
    by_slug = {entry.slug: entry for entry in entries}
    ordered, placed, visiting = [], set(), set()

    def place(entry):
        if entry.slug in placed:
            return
        if entry.slug in visiting:
            raise SeedError(spec.file, entry.slug, "is part of a cycle of parents")
        visiting.add(entry.slug)
        for key in own:
            if entry.foreign_keys.get(key):
                place(by_slug[entry.foreign_keys[key]])
        placed.add(entry.slug)
        ordered.append(entry)

    for entry in entries:
        place(entry)
    return ordered


# --- writing -------------------------------------------------------------------------
