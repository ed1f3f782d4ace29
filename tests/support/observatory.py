"""A Mozilla (MDN) HTTP Observatory-style score, from one response's headers.

Implements the published scoring of the Observatory's header tests
(https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring):
start at 100, add each test's modifier; bonuses count only when the score
before them is at least 90. Tests not computable from one response on
loopback (redirection to HTTPS, the HSTS preload list) are left out;
subresource integrity is not needed when every script is same-origin.
Returns (score, {test: (result, modifier)}).
"""

from http.cookies import SimpleCookie

UNSAFE_SCRIPT = ("'unsafe-inline'", "'unsafe-eval'", "data:", "http:", "*")


def parse_csp(value):
    policy = {}
    for part in value.split(";"):
        words = part.strip().split()
        if words:
            policy.setdefault(words[0].lower(), [w.lower() for w in words[1:]])
    return policy


def csp(headers):
    value = headers.get("Content-Security-Policy")
    if not value:
        return "csp-not-implemented", -25
    policy = parse_csp(value)
    default = policy.get("default-src")
    script = policy.get("script-src", default)
    style = policy.get("style-src", default)
    if script is None:
        return "csp-implemented-with-unsafe-inline", -20
    if any(source in UNSAFE_SCRIPT for source in script):
        return "csp-implemented-with-unsafe-inline", -20
    if "object-src" not in policy and (default is None or "'none'" not in default):
        return "csp-implemented-but-object-src-not-restricted", -10  # not in the table; strict
    if style is not None and "'unsafe-inline'" in style:
        return "csp-implemented-with-unsafe-inline-in-style-src-only", 0
    if default == ["'none'"]:
        return "csp-implemented-with-no-unsafe-default-src-none", 10
    return "csp-implemented-with-no-unsafe", 5


def cookies(headers, set_cookie_headers):
    if not set_cookie_headers:
        return "cookies-not-found", 0
    jar = SimpleCookie()
    for header in set_cookie_headers:
        jar.load(header)
    secure = all(morsel["secure"] for morsel in jar.values())
    samesite = all(morsel["samesite"] for morsel in jar.values())
    sessions_httponly = all(
        morsel["httponly"]
        for name, morsel in jar.items()
        if any(word in name.lower() for word in ("session", "login", "auth"))
    )
    if not secure:
        return "cookies-without-secure-flag", -20
    if not sessions_httponly:
        return "cookies-session-without-httponly-flag", -30
    if samesite:
        return "cookies-secure-with-httponly-sessions-and-samesite", 5
    return "cookies-secure-with-httponly-sessions", 0


def cors(headers):
    origin = headers.get("Access-Control-Allow-Origin")
    if origin is None:
        return "cross-origin-resource-sharing-not-implemented", 0
    if origin == "*" and headers.get("Access-Control-Allow-Credentials") != "true":
        return "cross-origin-resource-sharing-implemented-with-public-access", 0
    return "cross-origin-resource-sharing-implemented-with-universal-access", -50


def referrer_policy(headers):
    value = headers.get("Referrer-Policy")
    if value is None:
        return "referrer-policy-not-implemented", 0
    last = value.split(",")[-1].strip().lower()
    if last in ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"):
        return "referrer-policy-private", 5
    if last in ("origin", "origin-when-cross-origin", "no-referrer-when-downgrade"):
        return "referrer-policy-no-referrer-when-downgrade", 0
    if last == "unsafe-url":
        return "referrer-policy-unsafe", -5
    return "referrer-policy-header-invalid", -5


def hsts(headers):
    value = headers.get("Strict-Transport-Security")
    if value is None:
        return "hsts-not-implemented", -20
    directives = {
        part.strip().split("=")[0].lower(): part.strip().partition("=")[2]
        for part in value.split(";")
    }
    try:
        max_age = int(directives.get("max-age", "").strip('"'))
    except ValueError:
        return "hsts-header-invalid", -20
    if max_age < 15_768_000:
        return "hsts-implemented-max-age-less-than-six-months", -10
    return "hsts-implemented-max-age-at-least-six-months", 0


def x_content_type_options(headers):
    if (headers.get("X-Content-Type-Options") or "").strip().lower() == "nosniff":
        return "x-content-type-options-nosniff", 0
    if "X-Content-Type-Options" in headers:
        return "x-content-type-options-header-invalid", -5
    return "x-content-type-options-not-implemented", -5


def x_frame_options(headers):
    policy = parse_csp(headers.get("Content-Security-Policy") or "")
    if policy.get("frame-ancestors") in (["'none'"], ["'self'"]):
        return "x-frame-options-implemented-via-csp", 5
    value = (headers.get("X-Frame-Options") or "").strip().lower()
    if value in ("deny", "sameorigin"):
        return "x-frame-options-sameorigin-or-deny", 0
    if value:
        return "x-frame-options-header-invalid", -20
    return "x-frame-options-not-implemented", -20


def corp(headers):
    value = (headers.get("Cross-Origin-Resource-Policy") or "").strip().lower()
    if not value:
        return "corp-not-implemented", 0
    if value in ("same-origin", "same-site"):
        return "corp-implemented-with-same-origin", 0
    if value == "cross-origin":
        return "corp-implemented-with-cross-origin", 0
    return "corp-header-invalid", -5


def score(headers, set_cookie_headers=()):
    results = {
        "content-security-policy": csp(headers),
        "cookies": cookies(headers, list(set_cookie_headers)),
        "cross-origin-resource-sharing": cors(headers),
        "referrer-policy": referrer_policy(headers),
        "strict-transport-security": hsts(headers),
        "x-content-type-options": x_content_type_options(headers),
        "x-frame-options": x_frame_options(headers),
        "cross-origin-resource-policy": corp(headers),
    }
    penalties = sum(m for _r, m in results.values() if m < 0)
    bonuses = sum(m for _r, m in results.values() if m > 0)
    total = 100 + penalties
    if total >= 90:
        total += bonuses
    return total, results
