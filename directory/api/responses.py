"""JSON responses with validators (an ETag of the body, Last-Modified),
answering 304 when the client's copy is current, and cache headers."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

# Responses may be kept this long by browsers and shared caches; the ETag
# makes revalidation after that cheap (304, no body).
MAX_AGE = 300


def respond(request, data, language, last_modified=None):
    """JSON with an ETag (of the body) and Last-Modified, answering 304 when
    the client's copy is current."""
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    etag = cache_headers(response, body, last_modified, language)
    timestamp = int(last_modified.timestamp()) if last_modified else None
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)


def cache_headers(response, body, last_modified, language=None):
    """Validators and Cache-Control for a response of `body`; its ETag."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(int(last_modified.timestamp()))
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    if language:
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
    return etag


def last_change(records):
    return max((r.updated_at for r in records if hasattr(r, "updated_at")), default=None)
