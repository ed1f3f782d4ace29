"""Loading the curated seed records (YAML under `seeds/`) into the database.

The contract, relied on by `manage.py load_seeds` and the admin team:

* Everything is checked before anything is written: unknown keys, bad values,
  references to slugs no seed file defines, and every citation's quote against
  its article's cleaned text. A problem raises `SeedError` naming the file, the
  record and the field (or quote).
* The writes run in one transaction; `dry_run` runs them and rolls back.
* Each record remembers which seed entry wrote it (`seed_key`) and a hash of
  what was written, relations and citations included (`seed_fingerprint`). On a
  later load a record whose current values no longer hash to that fingerprint
  was edited by staff: it is skipped and reported, unless `force`.
* Writes go through `save()`/`delete()` so django-simple-history records them
  as the `seed-loader` user with the reason "load_seeds".
"""

import copy
import datetime
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from directory import facets
from directory.i18n.translation import note_translation_edits
from directory.models import (
    Citation,
    DatePrecision,
    Organisation,
    PublicationStatus,
    Region,
    Sector,
    ServiceCategory,
    SourceArticle,
)
from directory.search import refresh_search_index
from directory.sources.cleaning import clean_article_text
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service

# LibYAML's loader is ten times faster than the pure-Python one where it is built.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SEED_USERNAME = "seed-loader"
CHANGE_REASON = "load_seeds"
DEFAULT_SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"


class SeedError(Exception):
    """A seed file is wrong; the message names the file, record and field."""

    def __init__(self, file, record, problem):
        self.file, self.record, self.problem = file, record, problem
        where = f"{file}, record '{record}'" if record else file
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Spec:
    """How one seed file maps onto one model."""

    file: str
    model: type
    fields: tuple = ()
    # YAML key -> the spec (by file) whose slugs it refers to.
    foreign_keys: dict = field(default_factory=dict)
    many_to_many: dict = field(default_factory=dict)
    # Date fields stored with a precision field beside them: `launch_date`
    # accepts 2011 (year), "2020-11" (month) or 2020-11-05 (day).
    dates: dict = field(default_factory=dict)
    list_fields: tuple = ()  # YAML lists stored as comma-separated text
    roles: tuple = ()  # (through model, its FK to the record) for organisations + roles
    citations: bool = False
    publishable: bool = False

    @property
    def label(self):
        return self.model._meta.verbose_name_plural

    @property
    def allowed_keys(self):
        keys = {"slug", *self.fields, *self.foreign_keys, *self.many_to_many, *self.dates}
        if self.roles:
            keys.add("organisations")
        if self.citations:
            keys.add("citations")
        if self.publishable:
            keys.add("status")
        return keys


ARTICLES = Spec(
    file="articles.yaml",
    model=SourceArticle,
    fields=("title", "publisher", "dateline", "url"),
    dates={"date": "published"},
)
REGIONS = Spec(
    file="regions.yaml",
    model=Region,
    fields=(
        "name",
        "name_zh_hans",
        "name_zh_hant",
        "kind",
        "alternative_names",
        "latitude",
        "longitude",
    ),
    foreign_keys={"parent": "regions.yaml"},
    list_fields=("alternative_names",),
)
VOCABULARY_TEXTS = (
    "name",
    "name_zh_hans",
    "name_zh_hant",
    "description",
    "description_zh_hans",
    "description_zh_hant",
)
SECTORS = Spec(file="sectors.yaml", model=Sector, fields=VOCABULARY_TEXTS)
CATEGORIES = Spec(
    file="categories.yaml",
    model=ServiceCategory,
    fields=(*VOCABULARY_TEXTS, "alternative_names"),
    list_fields=("alternative_names",),
)
ORGANISATIONS = Spec(
    file="organisations.yaml",
    model=Organisation,
    fields=(
        "name",
        "name_zh_hans",
        "name_zh_hant",
        "short_name",
        "alternative_names",
        "kind",
        "website",
        "description",
    ),
    foreign_keys={"parent": "organisations.yaml", "region": "regions.yaml"},
    many_to_many={"sectors": "sectors.yaml"},
    list_fields=("alternative_names",),
    citations=True,
    publishable=True,
)
PROGRAMMES = Spec(
    file="programmes.yaml",
    model=Programme,
    fields=(
        "name",
        "short_name",
        "alternative_names",
        "kind",
        "summary",
        "description",
        "lifecycle",
        "website",
        "how_to_get_involved",
    ),
    many_to_many={"regions": "regions.yaml", "sectors": "sectors.yaml"},
    dates={"launch_date": "launch"},
    list_fields=("alternative_names",),
    roles=(ProgrammeOrganisation, "programme"),
    citations=True,
    publishable=True,
)
SERVICES = Spec(
    file="services.yaml",
    model=Service,
    fields=("name", "audience", "description"),
    foreign_keys={
        "programme": "programmes.yaml",
        "provider": "organisations.yaml",
        "category": "categories.yaml",
    },
    citations=True,
    publishable=True,
)
EVENTS = Spec(
    file="events.yaml",
    model=Event,
    fields=(
        "name",
        "kind",
        "edition",
        "summary",
        "description",
        "venue",
        "attendance",
        "attendance_text",
    ),
    foreign_keys={"series": "programmes.yaml", "part_of": "events.yaml", "city": "regions.yaml"},
    many_to_many={
        "regions": "regions.yaml",
        "sectors": "sectors.yaml",
        "programmes": "programmes.yaml",
    },
    dates={"start_date": "start", "end_date": "end"},
    roles=(EventOrganisation, "event"),
    citations=True,
    publishable=True,
)
# Fields YAML hands over as numbers rather than text.
INTEGER_FIELDS = {"attendance"}
DECIMAL_FIELDS = {"latitude", "longitude"}

# In dependency order: a file only refers to files above it (or to itself).
SPECS = (ARTICLES, REGIONS, SECTORS, CATEGORIES, ORGANISATIONS, PROGRAMMES, SERVICES, EVENTS)
SEARCHABLE = (Organisation, Programme, Service, Event)


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    skipped: list = field(default_factory=list)  # (label, name, reason)
    dry_run: bool = False

    def count(self, label, outcome):
        self.counts.setdefault(label, Counter())[outcome] += 1

    def total(self, outcome):
        return sum(counter[outcome] for counter in self.counts.values())

    def lines(self):
        for label, counter in self.counts.items():
            yield (
                f"{label}: {counter['created']} created, {counter['updated']} updated, "
                f"{counter['unchanged']} unchanged, {counter['skipped']} skipped"
            )
        for label, name, reason in self.skipped:
            yield f"skipped {label} '{name}': {reason}"


# --- reading and checking the files -------------------------------------------------


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
    citations: list  # sorted [article slug, quote, supports]

    @property
    def seed_key(self):
        return f"{self.spec.model._meta.label_lower}:{self.slug}"

    def snapshot(self):
        """What the loader writes, in the form `_snapshot_of` reads back."""
        values = {name: _canonical(self.spec.model, name, v) for name, v in self.values.items()}
        return {
            "values": _without_empty_translations(values),
            "foreign_keys": self.foreign_keys,
            "many_to_many": self.many_to_many,
            "roles": self.roles,
            "citations": self.citations,
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
        elif name in DECIMAL_FIELDS:
            try:
                value = None if value is None else Decimal(str(value))
            except InvalidOperation:
                fail(f"field '{name}' must be a number")
        elif name in INTEGER_FIELDS:
            if value is not None and (not isinstance(value, int) or value < 0):
                fail(f"field '{name}' must be a whole number")
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

    many_to_many = {}
    for key, target in spec.many_to_many.items():
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

    citations = []
    if spec.citations:
        items = raw.get("citations") or []
        if not items:
            fail("has no citations: every fact needs a quote from an article")
        for item in items:
            if not isinstance(item, dict) or not {"article", "quote"} <= set(item):
                fail("each citation needs 'article' and 'quote' (and 'supports')")
            extra = set(item) - {"article", "quote", "supports"}
            if extra:
                fail(f"citation has unknown field(s) {', '.join(sorted(extra))}")
            article = item["article"]
            if article not in cleaned_articles:
                fail(f"citation refers to article '{article}', which articles.yaml does not define")
            quote = " ".join(str(item["quote"]).split())
            if not SourceArticle(cleaned_text=cleaned_articles[article]).contains_quote(quote):
                fail(f"quote not found in article '{article}': “{quote}”")
            supports = " ".join(str(item.get("supports") or "").split())
            citations.append([article, quote, supports])
        citations.sort()

    return Entry(spec, slug, values, foreign_keys, many_to_many, roles, citations)


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
    for spec in SPECS[1:]:
        raws[spec.file] = _read_yaml(seeds_dir / spec.file, spec.file)

    all_slugs = {}
    for spec in SPECS:
        slugs = [raw.get("slug") for raw in raws[spec.file]]
        duplicates = sorted({s for s in slugs if s and slugs.count(s) > 1})
        if duplicates:
            raise SeedError(spec.file, duplicates[0], "slug is defined more than once")
        all_slugs[spec.file] = set(slugs)

    cleaned = {slug: text for slug, (_raw, text) in texts.items()}
    entries = []
    for spec in SPECS:
        checked = [_check_record(spec, raw, all_slugs, cleaned) for raw in raws[spec.file]]
        entries.extend(_parents_first(spec, checked))
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


def _without_empty_translations(values):
    # An absent translation leaves the fingerprint as it was before Chinese
    # fields were seeded, so records loaded earlier are not mistaken for staff
    # edits and still receive their translations.
    return {
        name: value
        for name, value in values.items()
        if not (value == "" and any(name.endswith(f"_{code}") for code in ("zh_hans", "zh_hant")))
    }


def _fingerprint(snapshot):
    encoded = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _snapshot_of(entry, record):
    """The record's current values in the form `Entry.snapshot` produces."""
    spec = entry.spec
    values = {name: _canonical(spec.model, name, getattr(record, name)) for name in entry.values}
    values = _without_empty_translations(values)
    foreign_keys = {}
    for key in spec.foreign_keys:
        related = getattr(record, key)
        foreign_keys[key] = related.slug if related is not None else None
    many_to_many = {
        key: sorted(getattr(record, key).values_list("slug", flat=True))
        for key in spec.many_to_many
    }
    roles = []
    if spec.roles:
        roles = sorted(
            [slug, role]
            for slug, role in record.organisation_roles.values_list("organisation__slug", "role")
        )
    citations = []
    if spec.citations:
        citations = sorted(
            [slug, " ".join(quote.split()), supports]
            for slug, quote, supports in record.citations.values_list(
                "article__slug", "quote", "supports"
            )
        )
    return {
        "values": values,
        "foreign_keys": foreign_keys,
        "many_to_many": many_to_many,
        "roles": roles,
        "citations": citations,
    }


class _Writer:
    def __init__(self, user, report, force):
        self.user, self.report, self.force = user, report, force
        self.objects = {}  # (file, slug) -> record
        self.written = []

    def _attribute(self, instance):
        instance._history_user = self.user
        instance._change_reason = CHANGE_REASON
        return instance

    def _save(self, instance):
        self._attribute(instance).save()

    def _delete(self, instance):
        self._attribute(instance).delete()

    def _find(self, entry):
        model = entry.spec.model
        record = model.objects.filter(seed_key=entry.seed_key).first()
        if record is None:
            record = model.objects.filter(slug=entry.slug).first()
            if record is not None and not self.force:
                return record, "a record with this slug exists that the seeds did not create"
        return record, None

    def write(self, entry, texts):
        spec, label = entry.spec, entry.spec.label
        record, conflict = self._find(entry)
        name = entry.values.get("name") or entry.values.get("title") or entry.slug
        if conflict:
            self.objects[(spec.file, entry.slug)] = record
            self.report.count(label, "skipped")
            self.report.skipped.append((label, name, conflict))
            return
        desired = entry.snapshot()
        fingerprint = _fingerprint(desired)
        if spec is ARTICLES:
            raw_text, cleaned_text = texts[entry.slug]
            desired["texts"] = [raw_text, cleaned_text]
            fingerprint = _fingerprint(desired)

        outcome = "created"
        if record is not None:
            current = _snapshot_of(entry, record)
            if spec is ARTICLES:
                current["texts"] = [record.raw_text, record.cleaned_text]
            current_fingerprint = _fingerprint(current)
            if current_fingerprint == fingerprint and record.seed_fingerprint == fingerprint:
                self.objects[(spec.file, entry.slug)] = record
                self.report.count(label, "unchanged")
                return
            # A record already holding the seed's values has nothing to lose.
            edited = (
                current_fingerprint != fingerprint
                and record.seed_fingerprint
                and current_fingerprint != record.seed_fingerprint
            )
            if edited and not self.force:
                self.objects[(spec.file, entry.slug)] = record
                self.report.count(label, "skipped")
                self.report.skipped.append(
                    (label, name, "edited since the last load (use --force to overwrite)")
                )
                return
            outcome = "updated"
        else:
            record = spec.model(slug=entry.slug)

        previous = copy.copy(record) if record.pk else None
        for field_name, value in entry.values.items():
            setattr(record, field_name, value)
        for key, slug in entry.foreign_keys.items():
            target = spec.foreign_keys[key]
            setattr(record, key, self.objects[(target, slug)] if slug else None)
        if spec is ARTICLES:
            record.raw_text, record.cleaned_text = texts[entry.slug]
        record.seed_key = entry.seed_key
        record.seed_fingerprint = fingerprint
        if hasattr(record, "translation_sources"):
            note_translation_edits(record, previous)
        try:
            record.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            raise SeedError(spec.file, entry.slug, problems) from error
        self._save(record)

        for key, slugs in entry.many_to_many.items():
            target = spec.many_to_many[key]
            getattr(record, key).set([self.objects[(target, slug)] for slug in slugs])
        if spec.roles:
            self._write_roles(entry, record)
        if spec.citations:
            self._write_citations(entry, record)

        self.objects[(spec.file, entry.slug)] = record
        self.report.count(label, outcome)
        if isinstance(record, SEARCHABLE):
            self.written.append(record)

    def _write_roles(self, entry, record):
        through, owner = entry.spec.roles
        wanted = dict(entry.roles)
        for link in list(record.organisation_roles.select_related("organisation")):
            role = wanted.pop(link.organisation.slug, None)
            if role is None:
                self._delete(link)
            elif link.role != role:
                link.role = role
                self._save(link)
        for slug, role in wanted.items():
            organisation = self.objects[(ORGANISATIONS.file, slug)]
            self._save(through(**{owner: record, "organisation": organisation, "role": role}))

    def _write_citations(self, entry, record):
        wanted = {(a, q): s for a, q, s in entry.citations}
        for citation in list(record.citations.select_related("article")):
            key = (citation.article.slug, " ".join(citation.quote.split()))
            if key in wanted and citation.supports == wanted[key]:
                del wanted[key]
            else:
                self._delete(citation)
        content_type = ContentType.objects.get_for_model(record)
        for (article, quote), supports in wanted.items():
            citation = Citation(
                article=self.objects[(ARTICLES.file, article)],
                quote=quote,
                supports=supports,
                content_type=content_type,
                object_id=record.pk,
            )
            self._save(citation)


def seed_user():
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=SEED_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


class _DryRunRollback(Exception):
    pass


def load_seeds(seeds_dir=DEFAULT_SEEDS_DIR, *, force=False, dry_run=False):
    """Check, then write, every seed record; returns a `Report`.

    Raises `SeedError` (nothing written) when a file is wrong."""
    entries, texts = read_seeds(seeds_dir)
    report = Report(dry_run=dry_run)
    for spec in SPECS:
        report.counts[spec.label] = Counter()
    try:
        # Facet counts are redone once per record at the end, not per save.
        with transaction.atomic(), facets.deferred():
            writer = _Writer(seed_user(), report, force)
            for entry in entries:
                writer.write(entry, texts)
            if writer.written:
                refresh_search_index(writer.written)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return report
