"""Choosing the page language: URL prefix, the reader's choice, or the browser.

English pages keep their unprefixed URLs (`/programmes/`), Chinese ones are
prefixed (`/zh-hans/programmes/`). An unprefixed page asked for by a reader who
chose Chinese with the switcher (a cookie), or on a first visit by a browser
that prefers Chinese (Accept-Language), is sent to the Chinese page. Choosing
English with the switcher stops that.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import (
    check_for_language,
    get_language,
    get_language_from_path,
    override,
)
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_GET, require_safe

from directory.i18n.translation import content_language
from directory.search.text import MAX_QUERY_LENGTH

# Pages outside the public site keep their own language handling.
NOT_NEGOTIATED_PREFIXES = ("/static/", "/language/")


def preferred_language(accept_language):
    """The first language of the browser's list that the site has."""
    for code, _quality in parse_accept_lang_header(accept_language or ""):
        code = code.lower()
        if code.startswith("en"):
            return "en"
        if code.startswith("zh"):
            return content_language(code)
    return None


def chosen_language(request):
    """The reader's own choice (the switcher's cookie), else the browser's
    preference, if the site has that language."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in dict(settings.LANGUAGES):
        language = preferred_language(request.headers.get("Accept-Language"))
    return language


class FirstVisitLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect = self.redirect_for(request)
        if redirect is not None:
            return redirect
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def redirect_for(self, request):
        if request.method not in ("GET", "HEAD"):
            return None
        path = request.path_info
        if path.startswith(NOT_NEGOTIATED_PREFIXES) or get_language_from_path(path):
            return None
        language = chosen_language(request)
        if language in (None, settings.LANGUAGE_CODE):
            return None
        target = translate_url(request.get_full_path(), language)
        if target == request.get_full_path():
            return None
        response = HttpResponseRedirect(target)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


@require_GET
@require_safe
def switch_language(request, language):
    """Follow a switcher link: remember the choice and show the same page in it.

    A plain link (no form, no script) so it works everywhere; it only sets the
    reader's language preference.
    """
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if not check_for_language(language) or language not in dict(settings.LANGUAGES):
        return HttpResponseRedirect(next_url)
    # translate_url resolves the path in the active language, so resolve it in
    # the language the page was in (its prefix), not the request's.
    with override(get_language_from_path(urlsplit(next_url).path) or settings.LANGUAGE_CODE):
        target = translate_url(next_url, language)
    if urlsplit(target).netloc:
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 60 * 60,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


# Each language is offered in its own words, whatever the page's language.
NATIVE_NAMES = {"en": "English", "zh-hans": "简体中文", "zh-hant": "繁體中文"}
# BCP 47 tags for `lang` and `hreflang` attributes.
TAGS = {"en": "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}


def alternates(request):
    """The current page in every language, for the switcher and hreflang links.

    Each keeps the page's query string, so a filtered list stays filtered.
    """
    current = get_language() or settings.LANGUAGE_CODE
    context = {"html_lang": TAGS.get(current, current)}
    if getattr(request, "resolver_match", None) is None:
        return context
    query = linked_query(request)
    full_path = escape_uri_path(request.path) + (f"?{query}" if query else "")
    context["language_alternates"] = [
        {
            "code": code,
            "tag": TAGS[code],
            "name": NATIVE_NAMES[code],
            "is_current": code == current,
            "href": request.build_absolute_uri(in_language(request, full_path, code)),
            "switch_url": reverse("switch_language", args=[code])
            + "?"
            + urlencode({"next": full_path}),
        }
        for code, _name in settings.LANGUAGES
    ]
    return context


def linked_query(request, pairs=None):
    """The query string of links to this page (its other languages, its
    canonical URL): built from the decoded parameters, `pairs` of them or
    all, each value cut to as much as a page reads of one (a search's first
    MAX_QUERY_LENGTH characters).

    Not the raw query string: a client that sends UTF-8 unescaped (a browser
    escapes it; scripts may not) has it passed on as Latin-1, which
    get_full_path() escapes as such (长 as %C3%A9%C2%95%C2%BF), and a query
    of 3,000 characters made a 400 KB page of links."""
    if pairs is None:
        pairs = [(name, value) for name in request.GET for value in request.GET.getlist(name)]
    return urlencode([(name, value[:MAX_QUERY_LENGTH]) for name, value in pairs])


def in_language(request, full_path, code):
    """`translate_url(full_path, code)` from the match the request already
    has: translate_url resolves the path again for each language (three
    resolutions of every page, for its hreflang links)."""
    match = request.resolver_match
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with override(code):
        try:
            path = reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return full_path
    query = urlsplit(full_path).query
    return f"{path}?{query}" if query else path
