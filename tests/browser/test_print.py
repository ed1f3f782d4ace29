"""A record page on paper: one or two A4 pages, its links written out."""

import re

from programmes.models import Programme

# Each page object of a PDF is one "/Type /Page" dictionary ("/Pages" is the tree).
PDF_PAGE = re.compile(rb"/Type\s*/Page(?!s)")


def test_a_record_page_prints_on_at_most_two_a4_pages_with_its_links_written_out(
    page, live_server, seeded
):
    # The programme with the most citations: the longest record page.
    longest = max(Programme.objects.published(), key=lambda p: p.citations.count())
    page.goto(live_server.url + longest.get_absolute_url())
    page.emulate_media(media="print")
    # Links to other records and sites carry their address on paper.
    written_out = page.evaluate(
        """() => [...document.querySelectorAll("main a[href^='http'], main a[href^='/']")]
            .filter(a => !/[?#]/.test(a.getAttribute("href")))
            .map(a => [a.getAttribute("href"), getComputedStyle(a, "::after").content])"""
    )
    assert written_out, "no links to check"
    for href, content in written_out:
        assert href in content, (href, content)
    assert page.locator(".site-header nav").first.is_hidden()
    pdf = page.pdf(format="A4")
    pages = len(PDF_PAGE.findall(pdf))
    assert 1 <= pages <= 2, f"{longest.slug} prints on {pages} A4 pages"
