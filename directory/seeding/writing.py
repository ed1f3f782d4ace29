"""Writing the checked seed records in one transaction, skipping those staff
have edited since the last load."""

import copy
import hashlib
import json
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from directory import caching, facets
from directory.i18n.translation import note_translation_edits
from directory.models import (
    Citation,
    Searchable,
)
from directory.search import refresh_search_index
from directory.seeding.errors import SeedError
from directory.seeding.reading import (
    _canonical,
    _without_empty_later_relations,
    _without_empty_translations,
    read_seeds,
)
from directory.seeding.report import Report
from directory.seeding.specs import ARTICLES, ORGANISATIONS, specs

SEED_USERNAME = "seed-loader"
CHANGE_REASON = "load_seeds"
DEFAULT_SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"


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
            [slug, " ".join(quote.split()), supports, facts]
            for slug, quote, supports, facts in record.citations.values_list(
                "article__slug", "quote", "supports", "facts"
            )
        )
    return {
        "values": values,
        "foreign_keys": foreign_keys,
        "many_to_many": _without_empty_later_relations(many_to_many),
        "roles": roles,
        "citations": citations,
    }


def _without_facts(snapshot):
    """The snapshot as the loader took it before citations had key facts: a
    record loaded then, whose fingerprint matches it, was not edited (its
    facts were filled in by a migration) and takes the seeds' facts."""
    legacy = dict(snapshot)
    legacy["citations"] = [citation[:3] for citation in snapshot["citations"]]
    return legacy


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
            loaded_before_facts = record.seed_fingerprint == _fingerprint(_without_facts(current))
            if current_fingerprint == fingerprint and record.seed_fingerprint == fingerprint:
                self.objects[(spec.file, entry.slug)] = record
                self.report.count(label, "unchanged")
                return
            # A record already holding the seed's values has nothing to lose.
            edited = (
                current_fingerprint != fingerprint
                and record.seed_fingerprint
                and current_fingerprint != record.seed_fingerprint
                and not loaded_before_facts
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
        if isinstance(record, Searchable):
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
        wanted = {(a, q): (s, f) for a, q, s, f in entry.citations}
        for citation in list(record.citations.select_related("article")):
            key = (citation.article.slug, " ".join(citation.quote.split()))
            if key not in wanted:
                self._delete(citation)
                continue
            supports, facts = wanted.pop(key)
            if (citation.supports, citation.facts) != (supports, facts):
                citation.supports, citation.facts = supports, facts
                self._save(citation)
        content_type = ContentType.objects.get_for_model(record)
        for (article, quote), (supports, facts) in wanted.items():
            citation = Citation(
                article=self.objects[(ARTICLES.file, article)],
                quote=quote,
                supports=supports,
                facts=facts,
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
    for spec in specs():
        report.counts[spec.label] = Counter()
    try:
        # Facet counts are redone once per record at the end, not per save.
        with caching.coarse(replace=not dry_run), transaction.atomic(), facets.deferred():
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
