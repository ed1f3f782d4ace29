"""The read-only JSON API under /api/v1/ (django-ninja, OpenAPI 3.1).

The core defines the API object and the endpoints of its own records
(organisations, regions, sectors, kinds of help, sources); `programmes` adds
a router for programmes, services and events, wired by the root URL conf.
Only published records are served, in English, Simplified or Traditional
Chinese (`?lang=`, else Accept-Language).
"""

from ninja import NinjaAPI

from directory.api.errors import ApiError, error_response

api = NinjaAPI(
    title="Cross-border innovation directory API",
    version="1",
    description=(
        "Read-only open data: the directory's published organisations, programmes, "
        "services and events, their vocabularies and sources, with each record's "
        "citations. Texts in English, Simplified or Traditional Chinese (`lang`, else "
        "Accept-Language). Responses carry ETag and Last-Modified and answer 304 to a "
        "current conditional request."
    ),
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
)


@api.exception_handler(ApiError)
def api_error(request, error):
    return error_response(request, error)


def register_core():
    from directory.api import records  # noqa: F401 (adds the core's endpoints)


register_core()
