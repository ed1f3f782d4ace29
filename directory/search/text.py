"""Text as search sees it: normalised, with Chinese split into pairs."""

import re
import unicodedata

from django.db import connection

# Ranking sorts its candidates; capping them keeps a term that matches most
# records (say "Hong Kong") as fast as a rare one. Counts above it show "1,000+".
CANDIDATE_CAP = 1000
MAX_QUERY_LENGTH = 200
SEARCH_CONFIG = "english"

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_APOSTROPHES = re.compile(r"['’‘`]")
CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Han characters (and kana, hangul) written without spaces; CJK punctuation
# (U+3000-U+303F) separates runs instead of joining them.
_CJK_RUN = re.compile(r"[\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff]+")


def is_postgresql():
    return connection.vendor == "postgresql"


def normalise(text):
    """Lower-cased words separated by single spaces, padded with a space at
    each end so that a word-prefix match is a plain `LIKE '% word%'`.

    Apostrophes are dropped *and* split on ("Xi'an" gives "xian xi an"), so
    both spellings people type find the record.
    """
    text = unicodedata.normalize("NFKC", text or "").casefold()
    joined = _NON_WORD.sub(" ", _APOSTROPHES.sub("", text)).split()
    split = _NON_WORD.sub(" ", text).split()
    words = list(dict.fromkeys(joined + split)) if joined != split else joined
    return f" {' '.join(words)} " if words else ""


def clean_query(raw):
    """The query as searched, and whether it had to be shortened."""
    text = (raw or "").replace("\x00", "")
    text = " ".join(text.split())
    truncated = len(text) > MAX_QUERY_LENGTH
    return text[:MAX_QUERY_LENGTH], truncated


def _cjk_runs(text, *, with_characters):
    def expand(match):
        run = match.group()
        if len(run) == 1:
            return f" {run} "
        pairs = [run[i : i + 2] for i in range(len(run) - 1)]
        return " " + " ".join(pairs + (list(run) if with_characters else [])) + " "

    return _CJK_RUN.sub(expand, text or "")


def index_text(text):
    """Text as indexed: Chinese runs as their character pairs and characters."""
    return _cjk_runs(text, with_characters=True)


def query_text(q):
    """A query as matched: Chinese runs as their character pairs only (all must match)."""
    return _cjk_runs(q, with_characters=False)


def tokens(q):
    return normalise(query_text(q)).split()[:12]
