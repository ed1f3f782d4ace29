"""Turning text copied from a news web page into the article's own prose.

Pages pasted into the admin (and the seed articles) carry the site around the
article: menus, language switchers, share buttons, "ALSO READ" teasers,
newsletter and consent forms, related-article lists, footers, stray template
code and image captions that repeat the body. `clean_article_text` drops those
with general rules about the *shape* of a line, never with per-site line
numbers, so it keeps working for articles nobody has seen yet.

What it keeps: the title, standfirst, dateline, body paragraphs, subheadings,
quotes, and credit lines ("Editors: ...", "Author: ..."). Credits stay because
they are part of the article as published and a source page should show who
wrote it; they never get in the way of a citation.

Citations are checked against the cleaned text, so a rule here that drops a
real sentence would break a quote: rules err on the side of keeping prose.
"""

import html
import re

# A line that reads as a sentence of the article rather than page furniture.
_SENTENCE_END = re.compile(r"[.!?。！？…]['\"’”)\]]*$")
_PROSE_MIN_WORDS = 12
# Menus, buttons and headings are short; anything longer is treated as prose.
_SHORT_MAX_WORDS = 10

_BULLET = re.compile(r"^[•·▪◦●■\-*]\s*")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_CODE_BLOCK = re.compile(r"<\?(php)?.*?\?>", re.DOTALL)
_URL_ONLY = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
_HAS_WORD = re.compile(r"\w")

# Whole lines that are buttons, widgets or navigation on news sites.
_FURNITURE = {
    "advertisement",
    "back to top",
    "comments",
    "create an account",
    "create new account",
    "don't have an account?",
    "email",
    "facebook",
    "find an event",
    "follow us",
    "footer logo",
    "footer menu",
    "home",
    "instagram",
    "languages",
    "linkedin",
    "log in",
    "login",
    "menu",
    "print",
    "request new password",
    "save",
    "save for later",
    "search",
    "search form",
    "section menu",
    "share",
    "share / send",
    "share this",
    "share this story",
    "sign in",
    "skip to content",
    "skip to main content",
    "social share",
    "subscribe",
    "thank you",
    "thank you for registering.",
    "twitter",
    "user login",
    "wechat",
    "weibo",
    "whatsapp",
    "x",
    "youtube",
}

# Lines that start like a teaser, a form or legal small print.
_FURNITURE_PREFIXES = re.compile(
    r"^(also read|read more|read also|see also|related:|recommended:|more from|"
    r"copyright|©|\(c\) \d{4}|all rights reserved|"
    r"i acknowledge that|i agree to|i confirm that|by subscribing|by signing up|"
    r"we use cookies|this (web)?site uses cookies|\*?for non-eu|"
    r"\"?scan qr code|id:\s|successfully added)",
    re.IGNORECASE,
)

# Headings after which a page holds only related content, forms and footers:
# once the article body has started, everything from here on is dropped.
_END_OF_ARTICLE = re.compile(
    r"^(back to top\b.*|related (links?|articles?|stories|news|events|content|reading)|"
    r"you may (also )?(be interested in|like)|more (stories|news|articles)|"
    r"content provided by|article topics|topics:|tags:|share this story|"
    r"get (our )?weekly (email )?updates|sign up for (our )?newsletter|"
    r"subscribe to (our )?newsletter|most (read|popular)|footer menu)$",
    re.IGNORECASE,
)


def _words(line):
    return len(line.split())


def _is_sentence(line):
    return bool(_SENTENCE_END.search(line))


def _is_prose(line):
    return _words(line) >= _PROSE_MIN_WORDS and _is_sentence(line)


def _is_short_label(line):
    return _words(line) <= _SHORT_MAX_WORDS and not _is_sentence(line)


def _key(line):
    return " ".join(line.casefold().split())


def _normalise(raw):
    text = raw.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    text = _CODE_BLOCK.sub("", text)
    text = html.unescape(_HTML_TAG.sub("", text))
    # Non-breaking and other exotic spaces become plain spaces; tabs too.
    text = re.sub(r"[^\S\n]+", " ", text)
    return [line.strip() for line in text.split("\n")]


def _is_furniture(line):
    if not _HAS_WORD.search(line):
        # Stray code such as "} ?>", rules, lone punctuation.
        return True
    bare = _key(_BULLET.sub("", line)).rstrip(" ^:")
    if bare in _FURNITURE or _URL_ONLY.match(line):
        return True
    if _FURNITURE_PREFIXES.match(line):
        return True
    # A short bulleted item is a menu or tag entry; a bulleted sentence is prose.
    return bool(_BULLET.match(line)) and _is_short_label(_BULLET.sub("", line))


def _repeated_labels(lines):
    """Short lines the page prints more than once: menus, mastheads, captions."""
    counts = {}
    for line in lines:
        if line and _is_short_label(line):
            counts[_key(line)] = counts.get(_key(line), 0) + 1
    return {key for key, n in counts.items() if n > 1}


def _is_alt_text(line, following):
    """Alt text printed just above its own caption ("Li Yunze" / "Li Yunze, Vice Governor")."""
    return (
        _is_short_label(line)
        and bool(following)
        and not _is_sentence(following)
        and _words(following) <= 40
        and _key(following).startswith(_key(line))
    )


def _repeats_body(line, body_text):
    """A caption that repeats a sentence of the body word for word."""
    return not _is_sentence(line) and 6 <= _words(line) <= 40 and _key(line) in body_text


def clean_article_text(raw: str) -> str:
    """The article's own prose from text copied off a web page, as paragraphs
    separated by blank lines."""
    lines = _normalise(raw)
    repeated = _repeated_labels(lines)
    lines = [line for line in lines if line and not _is_furniture(line)]

    first_prose = next((i for i, line in enumerate(lines) if _is_prose(line)), None)
    if first_prose is None:
        # Nothing reads as prose (a short note, a list): keep what survived.
        return "\n\n".join(lines)

    # Paragraphs of the body, to recognise captions that repeat a sentence.
    body_text = " ".join(_key(line) for line in lines if _words(line) > 40)

    # Mastheads print the site name several ways ("HKTDC Hong Kong Means
    # Business", "Hong Kong Means Business"): header labels that overlap.
    header = [_key(line) for line in lines[:first_prose] if _is_short_label(line)]
    masthead = {
        key
        for key in header
        if any(key != other and (key in other or other in key) for other in header)
    }

    kept = []
    caption_follows = False
    for i, line in enumerate(lines):
        key = _key(line)
        before_body = i < first_prose
        if not before_body and _END_OF_ARTICLE.match(key):
            break
        if key in repeated:
            continue
        if before_body and _is_short_label(line):
            # Section labels are printed in lower case ("inside china").
            if key in masthead or any(label in key for label in repeated):
                continue
            if line == line.lower():
                continue
        if before_body:
            kept.append(line)
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if caption_follows or _is_alt_text(line, following):
            caption_follows = not caption_follows
            continue
        if _repeats_body(line, body_text):
            # Alt text such as "cooperation agreement" sits right above its caption.
            previous = lines[i - 1]
            if (
                kept
                and kept[-1] == previous
                and _is_short_label(previous)
                and _words(previous) <= 4
            ):
                kept.pop()
            continue
        kept.append(line)
    return "\n\n".join(kept)
