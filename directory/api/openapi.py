"""OpenAPI parameter objects describing a list's query string (the same
kinds of parameter `directory.api.parameters` reads)."""

from directory import search
from directory.api.parameters import COMMON, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from directory.forms import MAX_PAGE, SLUG


def query_parameters(spec, sorts=None, paged=True):
    """OpenAPI parameter objects for a list's parameters."""
    params = []
    for name, kind in {**spec, **COMMON}.items():
        if kind == "text":
            schema = {"type": "string", "maxLength": search.MAX_QUERY_LENGTH}
            description = "Search words (the site search)."
        elif kind == "slug":
            schema = {"type": "string", "pattern": SLUG.pattern}
            description = "The slug of one organisation."
        elif kind == "slugs":
            schema = {"type": "array", "items": {"type": "string", "pattern": SLUG.pattern}}
            description = "Slugs; repeat the parameter for several (any of them)."
        elif kind == "date":
            schema = {"type": "string", "format": "date"}
            description = "A day, YYYY-MM-DD."
        elif kind == "years":
            schema = {"type": "array", "items": {"type": "string", "pattern": "^[0-9]{4}$"}}
            description = "Years (YYYY); repeat for several."
        elif isinstance(kind, list):
            schema = {"type": "array", "items": {"type": "string", "enum": kind}}
            description = "Values; repeat for several (any of them)."
        elif isinstance(kind, tuple):
            schema = {"type": "string", "enum": list(kind)}
            description = (
                "The language of texts (else Accept-Language, else English)."
                if name == "lang"
                else "One of the values."
            )
        else:
            raise ValueError(kind)
        param = {"name": name, "in": "query", "required": False, "schema": schema}
        param["description"] = description
        if schema["type"] == "array":
            param["style"], param["explode"] = "form", True
        params.append(param)
    if sorts is not None:
        params.append(
            {
                "name": "sort",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "enum": ["relevance", *sorts]},
                "description": "Order; relevance only with q. Ties are broken by id.",
            }
        )
    if paged:
        params += [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                "description": "Page number, from 1.",
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                "description": f"Records per page (default {DEFAULT_PAGE_SIZE}).",
            },
        ]
    return params
