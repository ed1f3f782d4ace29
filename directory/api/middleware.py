"""CORS for the open data, and JSON errors for every URL under /api/.

The machine-readable outputs are public and read-only, so any site may read
them from a browser: GET and HEAD answer with `Access-Control-Allow-Origin: *`
(no credentials), and a preflight OPTIONS gets the methods and headers a
reader may send. Under /api/, a 404 or 405 from Django's URL resolver
(an HTML page) is answered as JSON like the API's own errors.
"""

import json

from django.http import HttpResponse

OPEN_PREFIXES = ("/api/",)
OPEN_SUFFIXES = (".csv", ".ics", "/feed/", ".zip", ".xml")
ALLOWED_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = "ETag, Last-Modified, Content-Language, Content-Disposition"


def is_open(path):
    return path.startswith(OPEN_PREFIXES) or path.endswith(OPEN_SUFFIXES)


class OpenDataMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not is_open(path):
            return self.get_response(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
            if (
                path.startswith("/api/")
                and response.status_code in (404, 405)
                and not response.get("Content-Type", "").startswith("application/json")
            ):
                response = json_error(response.status_code)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response


def json_error(status):
    message = "Not found." if status == 404 else "Only GET and HEAD are allowed."
    response = HttpResponse(
        json.dumps({"error": message, "status": status}),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    if status == 405:
        response["Allow"] = "GET, HEAD, OPTIONS"
    return response
