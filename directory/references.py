"""A record page's sources as numbered references beside the facts they support.

Each citation says in its own words what it supports ("name, co-host of the
conference", "launch date"); the key facts a page shows are matched to those
words, so "[2]" sits beside the fact its quote backs. A citation that matches
no fact shown is placed beside the record's summary: every reference appears
at least once, and the numbered list below the page holds them all.
"""

import re

from django.utils.formats import date_format

from directory.templatetags.directory_tags import fuzzy_date

# The facts of a key-facts panel, and the words of `Citation.supports` that
# mean a quote backs them.
TOPICS = {
    "name": r"\bname|acronym|called",
    "runs": r"\blead|operat|provider|organis|organiz|\bhost|\bruns?\b|launched|set up|founded"
    r"|co-launch|guidance|joint",
    "partners": r"partner|signator|co-operat|cooperat|delegat|speaker|supporter|exhibitor",
    "for_whom": r"audience|\bfor\b|open to|firms|enterprises|sme|mainland|who it",
    "help": r"service|help|provides|offer|guidance|advice|support\b|what it",
    "where": r"place|region|city|cities|venue|zone|province|where|located|\bin [A-Z]|hub",
    "status": r"launch|establish|active|\bruns?\b|status|ended|planned|opened|started",
    "date": r"date|held|month|year|\b(19|20)\d\d\b|january|february|march|april|may\b|june"
    r"|july|august|september|october|november|december|edition",
    "attendance": r"attend|exhibitors|visitors|participants|figures",
    "sectors": r"sector|topic|industr|cluster|theme",
}
_PATTERNS = {topic: re.compile(words, re.IGNORECASE) for topic, words in TOPICS.items()}


def topics_of(supports):
    return {topic for topic, pattern in _PATTERNS.items() if pattern.search(supports or "")}


def number(citations):
    """Numbers the citations 1, 2, … (in place) and notes what each supports."""
    for n, citation in enumerate(citations, start=1):
        citation.number = n
        citation.topics = topics_of(citation.supports)
    return citations


def supporting(citations, *topics):
    """The citations that back any of `topics`; "other" is those backing no
    topic at all (placed beside the summary)."""
    wanted = set(topics)
    found = []
    for citation in citations:
        backed = getattr(citation, "topics", set())
        if backed & wanted or ("other" in wanted and not backed):
            found.append(citation)
    return found


def article_date(article):
    """The article's date as it prints it: a full date in the page's
    language, else its dateline word for word ("April 21": no year is
    invented), else None."""
    if article.published_on:
        return fuzzy_date(article.published_on, article.published_precision)
    return article.dateline or None


def as_of(record, citations):
    """(how, date text) for a lifecycle status: the last verification if
    staff verified the record, else the date of the newest dated article
    among the citations backing the status (all the record's, if none says
    so), else (None, None)."""
    if record.last_verified_on:
        return "verified", date_format(record.last_verified_on, "DATE_FORMAT")
    backing = supporting(citations, "status") or citations
    dated = [c.article for c in backing if article_date(c.article)]
    if not dated:
        return None, None
    # A full date beats a dateline without a year, which cannot be ordered.
    newest = max(dated, key=lambda a: (a.published_on is not None, a.published_on or 0))
    return "reported", article_date(newest)
