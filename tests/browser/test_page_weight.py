"""A first visit stays light: few requests, few bytes, all from this site."""

from urllib.parse import urlsplit

import pytest

MAX_REQUESTS = 10
MAX_BYTES = 150 * 1024


def first_visit(page, url):
    """Every request a fresh browser makes to show `url`, with its body size."""
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(url, wait_until="networkidle")
    return [(request.url, request.sizes()["responseBodySize"]) for request in requests]


@pytest.mark.parametrize("path", ["/", "/programmes/", "/zh-hans/programmes/"])
def test_a_first_visit_is_at_most_ten_requests_and_150_kb_from_this_host(
    page, live_server, seeded, path
):
    requests = first_visit(page, live_server.url + path)
    assert requests, "the page made no requests"
    assert len(requests) <= MAX_REQUESTS, requests
    hosts = {urlsplit(url).netloc for url, _size in requests}
    assert hosts == {urlsplit(live_server.url).netloc}
    total = sum(size for _url, size in requests)
    assert total <= MAX_BYTES, (total, requests)
