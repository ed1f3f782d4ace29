"""From a new source article to draft entries a person confirms.

`find_mentions` spots records the directory already holds; `propose_records`
spots names it does not know that look like organisations, programmes or
events. Both are pure functions over the article's cleaned text. The few
functions at the end write: they create citations and DRAFT records only, never
published ones.
"""

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from directory.models import Citation, KeyFact, Organisation, PublicationStatus
from directory.models.slugs import RESERVED_SLUGS
from directory.search import refresh_search_index

# A token is a run of letters or digits; names and text are compared token by
# token, so "Cradle – Going Global" matches "Cradle - Going Global" and a name
# never matches inside a longer word.
_TOKEN = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
MAX_NAME_TOKENS = 15

# Words that end a name, longest first, and what kind of record they suggest.
ENDINGS = [
    ("Chamber of Commerce", "organisation", Organisation.Kind.CHAMBER),
    ("Service Centre", "programme", "service_centre"),
    ("Service Center", "programme", "service_centre"),
    ("Service Plan", "programme", "service_plan"),
    ("Council", "organisation", Organisation.Kind.OTHER),
    ("Committee", "organisation", Organisation.Kind.OTHER),
    ("Commission", "organisation", Organisation.Kind.OTHER),
    ("Bureau", "organisation", Organisation.Kind.OTHER),
    ("Office", "organisation", Organisation.Kind.OTHER),
    ("Department", "organisation", Organisation.Kind.OTHER),
    ("Authority", "organisation", Organisation.Kind.OTHER),
    ("Centre", "organisation", Organisation.Kind.OTHER),
    ("Center", "organisation", Organisation.Kind.OTHER),
    ("Institute", "organisation", Organisation.Kind.UNIVERSITY),
    ("University", "organisation", Organisation.Kind.UNIVERSITY),
    ("Academy", "organisation", Organisation.Kind.UNIVERSITY),
    ("Association", "organisation", Organisation.Kind.CHAMBER),
    ("Federation", "organisation", Organisation.Kind.CHAMBER),
    ("Park", "organisation", Organisation.Kind.INNOVATION_HUB),
    ("Fund", "programme", "fund"),
    ("Platform", "programme", "platform"),
    ("Scheme", "programme", "initiative"),
    ("Programme", "programme", "initiative"),
    ("Program", "programme", "initiative"),
    ("Initiative", "programme", "initiative"),
    ("Fair", "event", "expo"),
    ("Expo", "event", "expo"),
    ("Exhibition", "event", "expo"),
    ("Forum", "event", "forum"),
    ("Conference", "event", "conference"),
    ("Summit", "event", "conference"),
    ("Week", "event", "conference"),
    ("Seminar", "event", "seminar"),
    ("Workshop", "event", "seminar"),
]

_ENDING_NAMES = {ending for ending, _model, _kind in ENDINGS}

_CAP_WORD = r"(?:[A-Z][\w’'&/-]*)"
_LINK_WORD = r"(?:of|and|for|the|on|in|de|&|–|—|-)"
_PHRASE = re.compile(rf"{_CAP_WORD}(?:[ \t]+(?:{_LINK_WORD}[ \t]+)*{_CAP_WORD})*")
_LEADING_WORDS = {"The", "A", "An", "This", "That", "Its", "Their", "Our", "At", "In", "On"}
# Job titles that run into the organisation they belong to ("Deputy Director of
# the Beijing Municipal Commerce Bureau"): dropped from the front of a name.
_TITLE_WORDS = {
    "Director", "Deputy", "Assistant", "Member", "Senior", "Executive", "Chairman",
    "Chairwoman", "Chair", "President", "Vice", "Secretary", "Head", "Chief", "Minister",
    "Party", "Leadership", "Group", "General", "Officer", "Manager", "Board", "Commissioner",
    "Principal", "Permanent", "Under", "of", "the", "and",
}  # fmt: skip
# Two names joined in one run of capitals: "InnoEX and the Hong Kong Electronics Fair".
_JOINS = re.compile(r"\s+(?:and|in|at|with|of|by)\s+the\s+")


@dataclass(frozen=True)
class Mention:
    key: object
    matched: str
    sentence: str


@dataclass(frozen=True)
class Proposal:
    name: str
    model: str
    kind: str
    sentence: str


def _unwrap(text):
    """Join lines a paste wrapped mid-sentence; keep headings and paragraphs apart."""
    lines = [line.strip() for line in text.splitlines()]
    joined = []
    for line in lines:
        previous = joined[-1] if joined else ""
        wrapped = (
            previous
            and line
            and previous[-1] not in '.!?:;"”)。！？'
            and (line[0].islower() or len(previous) > 60)
        )
        if wrapped:
            joined[-1] = f"{previous} {line}"
        else:
            joined.append(line)
    return joined


def split_sentences(text):
    sentences = []
    for line in _unwrap(text):
        for sentence in _SENTENCE_END.split(line.strip()):
            if sentence.strip():
                sentences.append(sentence.strip())
    return sentences


def _tokens(text):
    return _TOKEN.findall(text)


def is_acronym(name):
    """HKPC, CDETO, InvestHK: one word with two capitals or more."""
    tokens = _tokens(name)
    return len(tokens) == 1 and sum(c.isupper() for c in name) >= 2


def name_key(name):
    """The lookup key of a name: its tokens, lower-cased unless it is an acronym."""
    tokens = _tokens(name)
    if not tokens:
        return None
    if is_acronym(name):
        return ("exact", tokens[0])
    return ("folded", " ".join(t.casefold() for t in tokens))


def split_names(*fields):
    names = []
    for field in fields:
        names.extend(part.strip() for part in (field or "").split(",") if part.strip())
    return names


def build_index(candidates):
    """candidates: (key, [names]) pairs → a lookup from name key to record keys."""
    index = {}
    for key, names in candidates:
        for name in names:
            lookup = name_key(name)
            if lookup and len(_tokens(name)) <= MAX_NAME_TOKENS:
                index.setdefault(lookup, []).append(key)
    return index


def _matches_in(sentence, index):
    """Longest known names in a sentence, left to right, as (start, end, keys)."""
    tokens = _tokens(sentence)
    found, i = [], 0
    while i < len(tokens):
        for n in range(min(MAX_NAME_TOKENS, len(tokens) - i), 0, -1):
            window = tokens[i : i + n]
            keys = []
            if n == 1:
                keys = index.get(("exact", window[0]), [])
            keys = keys or index.get(("folded", " ".join(t.casefold() for t in window)), [])
            if keys:
                found.append((i, i + n, keys, " ".join(window)))
                i += n
                break
        else:
            i += 1
    return found


def find_mentions(text, candidates):
    """Records named in the text, each with the first sentence that names it."""
    index = build_index(candidates)
    mentions, seen = [], set()
    for sentence in split_sentences(text):
        for _start, _end, keys, matched in _matches_in(sentence, index):
            for key in keys:
                if key not in seen:
                    seen.add(key)
                    mentions.append(Mention(key=key, matched=matched, sentence=sentence))
    return mentions


def _classify(phrase):
    for ending, model, kind in ENDINGS:
        if phrase == ending or phrase.endswith(" " + ending):
            return model, kind
    return None


def _trim(phrase):
    """Cut the phrase after its last name ending, and drop a leading article."""
    words = phrase.split()
    while words and words[0] in _LEADING_WORDS:
        words = words[1:]
    if words and words[0] in _TITLE_WORDS:
        while words and words[0] in _TITLE_WORDS:
            words = words[1:]
    for end in range(len(words), 0, -1):
        candidate = " ".join(words[:end])
        classified = _classify(candidate)
        if classified and end > 1 and candidate not in _ENDING_NAMES:
            return candidate, classified
    return None, None


def propose_records(text, known_candidates=()):
    """Names that look like an organisation, programme or event and that no
    record in `known_candidates` already carries."""
    index = build_index(known_candidates)
    proposals, seen = [], set()
    for sentence in split_sentences(text):
        for match in _PHRASE.finditer(sentence):
            for part in _JOINS.split(match.group(0)):
                name, classified = _trim(part)
                if not name:
                    continue
                key = name_key(name)
                if key in index or key in seen:
                    continue
                seen.add(key)
                model, kind = classified
                proposals.append(
                    Proposal(name=name, model=model, kind=str(kind), sentence=sentence)
                )
    return proposals


# Writing: citations and draft records, each saved one by one so history
# records who made them.


def record_candidates(models):
    """(key, names) pairs for every record of the given models, where key is
    (model label, pk). Reads names only, so it stays light on big tables."""
    candidates = []
    for model in models:
        label = model._meta.label_lower
        columns = ["pk", "name"]
        for optional in ("short_name", "alternative_names"):
            if any(f.name == optional for f in model._meta.fields):
                columns.append(optional)
        for row in model.objects.values_list(*columns):
            candidates.append(((label, row[0]), split_names(*row[1:])))
    return candidates


def cite(record, article, sentence, user, supports="", facts=()):
    existing = Citation.objects.filter(
        article=article,
        quote=sentence,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
    ).first()
    if existing:
        return existing, False
    citation = Citation(
        article=article, quote=sentence, supports=supports, facts=list(facts), record=record
    )
    citation.full_clean()
    citation._history_user = user
    citation.save()
    return citation, True


def unique_slug(model, name):
    base = slugify(name)[:190] or "record"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_draft(model, proposal, article, user, kind=None):
    """A DRAFT record named as in the article, citing the sentence it came from."""
    record = model(
        name=proposal.name,
        slug=unique_slug(model, proposal.name),
        kind=kind or proposal.kind,
        status=PublicationStatus.DRAFT,
    )
    record.full_clean()
    record._history_user = user
    record._change_reason = _("Proposed from the article “%(article)s”") % {"article": article}
    record.save()
    # The sentence names the record: it backs the name, nothing more yet.
    cite(record, article, proposal.sentence, user, supports=_("name"), facts=[KeyFact.NAME])
    refresh_search_index([record])
    return record
