"""The JSON API's shared machinery, by concern:

- `errors`: ApiError and its JSON response;
- `parameters`: the query string read strictly, the language, page numbers;
- `openapi`: the OpenAPI description of a list's parameters;
- `references`: texts in a language, related records, citations;
- `responses`: JSON with validators and cache headers;
- `lists`: a filtered list's page, a plain list's page, one record.

Its names are re-exported here for the modules that import them from here.
"""

from directory.api.errors import ApiError, error_response
from directory.api.lists import page_link, record_detail, record_list, simple_list
from directory.api.openapi import query_parameters
from directory.api.parameters import (
    COMMON,
    DEFAULT_PAGE_SIZE,
    LANGUAGES,
    MAX_PAGE_SIZE,
    PAGED,
    api_language,
    check_slug,
    page_count,
    read_parameters,
    refuse_unknown,
    whole_number,
)
from directory.api.references import (
    api_url,
    citation_data,
    citations_by_record,
    name_of,
    page_url,
    partial_date,
    published,
    ref,
    source_ref,
    term,
    texts,
)
from directory.api.responses import MAX_AGE, cache_headers, respond

__all__ = [
    "COMMON",
    "DEFAULT_PAGE_SIZE",
    "LANGUAGES",
    "MAX_AGE",
    "MAX_PAGE_SIZE",
    "PAGED",
    "ApiError",
    "api_language",
    "api_url",
    "cache_headers",
    "check_slug",
    "citation_data",
    "citations_by_record",
    "error_response",
    "name_of",
    "page_count",
    "page_link",
    "page_url",
    "partial_date",
    "published",
    "query_parameters",
    "read_parameters",
    "record_detail",
    "record_list",
    "ref",
    "refuse_unknown",
    "respond",
    "simple_list",
    "source_ref",
    "term",
    "texts",
    "whole_number",
]
