"""Who a record is for, as the seed files state it: `open_to` (where the
firms it takes may come from) and `all_sectors`, each with its quote."""

from directory.models import KeyFact, OpenToScope


def _merged(citations):
    """One citation per quote: the same words cited for several facts (say
    `open_to` and `all_sectors`) become one citation supporting all of them,
    its notes joined and its key facts combined (in `KeyFact` order)."""
    by_quote = {}
    for article, quote, supports, facts in citations:
        notes, backed = by_quote.setdefault((article, quote), ([], set()))
        if supports and supports not in notes:
            notes.append(supports)
        backed.update(facts)
    return sorted(
        [article, quote, "; ".join(notes), [f for f in KeyFact.values if f in backed]]
        for (article, quote), (notes, backed) in by_quote.items()
    )


OPEN_TO_KEYS = {"scope", "regions", "quote", "article"}


def _check_open_to(raw, fail, resolve, values, extra_citations):
    """`open_to` and `all_sectors`: values and citations; the regions' slugs."""
    scope_field = raw.get("open_to")
    regions = []
    values["open_to_scope"] = ""
    if scope_field is not None:
        if not isinstance(scope_field, dict) or not {"scope", "quote", "article"} <= set(
            scope_field
        ):
            fail("field 'open_to' needs 'scope', 'quote' and 'article' (and 'regions')")
        extra = set(scope_field) - OPEN_TO_KEYS
        if extra:
            fail(f"field 'open_to' has unknown field(s) {', '.join(sorted(extra))}")
        scope = scope_field["scope"]
        if scope not in OpenToScope.values:
            fail(f"field 'open_to': scope '{scope}' is not one of {sorted(OpenToScope.values)}")
        items = scope_field.get("regions") or []
        if not isinstance(items, list):
            fail("field 'open_to': 'regions' must be a list of region slugs")
        if scope == OpenToScope.REGION and not items:
            fail("field 'open_to': scope 'region' needs the list of 'regions'")
        if scope != OpenToScope.REGION and items:
            fail("field 'open_to': 'regions' go only with scope 'region'")
        regions = sorted({resolve("open_to", "regions.yaml", item) for item in items})
        values["open_to_scope"] = scope
        extra_citations.append(
            {
                "article": scope_field["article"],
                "quote": scope_field["quote"],
                "supports": "who it is for",
                "facts": [KeyFact.FOR_WHOM],
            }
        )
    quote, article = raw.get("all_sectors_quote"), raw.get("all_sectors_article")
    if values.get("all_sectors"):
        if not quote or not article:
            fail("'all_sectors' needs 'all_sectors_quote' and 'all_sectors_article'")
        extra_citations.append(
            {
                "article": article,
                "quote": quote,
                "supports": "all sectors",
                "facts": [KeyFact.SECTORS],
            }
        )
    elif quote or article:
        fail("'all_sectors_quote' and 'all_sectors_article' go only with 'all_sectors: true'")
    return regions
