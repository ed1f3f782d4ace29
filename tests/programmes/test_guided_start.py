"""Find help for my company (issue 21 B): three steps of links, no form,
each carrying the answers so far, ending on the filtered programmes list
ranked best fit first, each result saying why it matches. Real seeds."""

import re
from html import unescape

import pytest

pytestmark = pytest.mark.django_db


def links(response, container):
    html = response.content.decode()
    block = html[html.index(f'id="{container}"') :]
    block = block[: block.index("</ul>\n")]
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', block)]


def follow(client, url, text):
    response = client.get(url)
    html = response.content.decode()
    match = re.search(r'<a href="([^"]+)"[^>]*>' + re.escape(text) + "</a>", html)
    assert match, text
    href = unescape(match.group(1))
    return href if href.startswith("/") else url.split("?")[0] + href


def test_the_home_page_and_the_nav_link_to_it(client, seeded):
    home = client.get("/").content.decode()
    assert 'href="/start/"' in home
    assert client.get("/programmes/").content.decode().count('href="/start/"') == 1


def test_three_steps_of_links_end_on_the_filtered_list(client, seeded):
    step1 = client.get("/start/")
    assert step1.status_code == 200
    assert b"<form" not in step1.content.split(b"<main", 1)[1]
    assert "?region=wuxi" in links(step1, "start-regions")
    step2_url = follow(client, "/start/", "Wuxi")
    assert step2_url == "/start/?region=wuxi"
    step2 = client.get(step2_url)
    assert "?region=wuxi&sector=artificial-intelligence" in links(step2, "start-sectors")
    step3_url = follow(client, step2_url, "Artificial intelligence (AI)")
    step3 = client.get(step3_url)
    final = [h for h in links(step3, "start-helps") if "help=intellectual-property" in h]
    assert final[0] == (
        "/programmes/?region=wuxi&sector=artificial-intelligence"
        "&help=intellectual-property&sort=fit"
    )
    results = client.get(final[0])
    slugs = [item.slug for item in results.context["results"]]
    assert "cradle-going-global-service-centre" in slugs
    cradle = next(
        i
        for i in results.context["results"]
        if i.slug == slugs[slugs.index("cradle-going-global-service-centre")]
    )
    reasons = [str(r) for r in cradle.match_reasons]
    assert "open to mainland firms" in reasons
    assert "open to all technology sectors" in reasons
    assert b"Why it matches:" in results.content


def test_the_best_fit_comes_first(client, seeded):
    # A programme placed in Shaanxi fits a Xi'an firm more specifically than
    # one open to every mainland firm.
    response = client.get("/programmes/?region=xian&sort=fit")
    scores = [item.fit_score for item in response.context["results"]]
    assert scores == sorted(scores)
    assert scores[0] < scores[-1]


def test_unknown_answers_go_back_to_the_first_step(client, seeded):
    response = client.get("/start/?region=atlantis&sector=%00")
    assert response.status_code == 200
    assert b'id="start-regions"' in response.content


def test_it_is_translated(client, seeded):
    response = client.get("/zh-hans/start/?region=wuxi")
    html = response.content.decode()
    assert "为我的公司寻找支持" in html
    assert "人工智能" in html
