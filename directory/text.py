import re

_WHITESPACE = re.compile(r"\s+")


def normalise_whitespace(text):
    """Collapse every run of whitespace to one space, so quotes survive reflowing."""
    return _WHITESPACE.sub(" ", text).strip()
