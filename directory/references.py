"""A record page's sources as numbered references beside the facts they support.

Staff mark each citation with the key facts its quote backs
(`Citation.facts`: "name", "date", …), so "[2]" sits beside exactly those
facts. A citation marked with none (or with none the page shows) is placed
beside the record's summary; the numbered list below the page holds them all.
"""

import datetime
import re

from django.utils.formats import date_format

from directory.i18n.translation import SOURCE_LANGUAGE, content_language
from directory.models import KeyFact
from directory.templatetags.directory_tags import fuzzy_date


def number(citations):
    """Numbers the citations 1, 2, … (in place)."""
    for n, citation in enumerate(citations, start=1):
        citation.number = n
    return citations


def supporting(citations, *facts, shown=None):
    """The citations marked as backing any of `facts`. "other" is those
    marked with none, or, given the facts a page `shown` (shows), with none of
    them: placed beside the summary, so no number is left off the page."""
    wanted = set(facts)
    placed = set(KeyFact.values if shown is None else shown)
    found = []
    for citation in citations:
        backed = set(citation.facts or ())
        if backed & wanted or ("other" in wanted and not backed & placed):
            found.append(citation)
    return found


_MONTHS = {
    name: number
    for number, month in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
    for name in (month, month[:3], month[:4])
}
# "April 21", "21 April", "Apr. 21": a dateline that prints a day of a month
# and no year.
_MONTH_DAY = re.compile(
    r"^(?:(?P<day_first>\d{1,2})\s+)?(?P<month>[a-z]+)\.?(?:\s+(?P<day>\d{1,2}))?$",
    re.IGNORECASE,
)


def dateline_text(dateline):
    """A dateline as printed, except on a Chinese page, where a day of a month
    with no year ("April 21") is written the Chinese way ("4月21日"; still no
    year)."""
    if content_language() == SOURCE_LANGUAGE:
        return dateline
    match = _MONTH_DAY.match(dateline.strip())
    month = _MONTHS.get(match["month"].lower()) if match else None
    day = match and (match["day"] or match["day_first"])
    if month is None or not day or (match["day"] and match["day_first"]):
        return dateline
    try:
        # A leap year, so "February 29" is a date too; the year is not shown.
        when = datetime.date(2000, month, int(day))
    except ValueError:
        return dateline
    return date_format(when, "MONTH_DAY_FORMAT")


def article_date(article):
    """The article's date: a full date in the page's language, else its
    dateline ("April 21", "4月21日" on a Chinese page: no year is invented),
    else None."""
    if article.published_on:
        return fuzzy_date(article.published_on, article.published_precision)
    return dateline_text(article.dateline) if article.dateline else None


def reference_date(article):
    """The date a numbered reference gives its article: the dateline as
    printed on an English page, else the article's date (`article_date`)."""
    if article.dateline and content_language() == SOURCE_LANGUAGE:
        return article.dateline
    return article_date(article)


def as_of(record, citations):
    """(how, date text) for a lifecycle status: the last verification if
    staff verified the record, else the date of the newest dated article
    among the citations backing the status (all the record's, if none says
    so), else (None, None)."""
    if record.last_verified_on:
        return "verified", fuzzy_date(record.last_verified_on, "day")
    backing = supporting(citations, "status") or citations
    dated = [c.article for c in backing if article_date(c.article)]
    if not dated:
        return None, None
    # A full date beats a dateline without a year, which cannot be ordered.
    newest = max(dated, key=lambda a: (a.published_on is not None, a.published_on or 0))
    return "reported", article_date(newest)
