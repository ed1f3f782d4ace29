"""Find help for my company: three short steps of links (where the firm is
registered, its sector, what it needs), each carrying the answers so far in
the query string, ending on the programmes list filtered by them and ranked
best fit first. No form and no JavaScript: every step is a page of links."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse

from directory.filters import Vocabulary
from directory.forms import SLUG

ANY = "any"


def _answer(request, name, table):
    value = request.GET.get(name, "")
    if value == ANY:
        return ANY
    if not SLUG.match(value):
        return None
    return next((term for term in table.values() if term.slug == value), None)


def guided_start(request):
    vocab = Vocabulary.load()
    region = _answer(request, "region", vocab.regions)
    sector = _answer(request, "sector", vocab.sectors) if region not in (None, ANY) else None
    context = {"region": region, "sector": sector}
    if region in (None, ANY):
        # Step 1: top-level regions, each with the places under it.
        children = {}
        for term in vocab.regions.values():
            children.setdefault(term.parent_id, []).append(term)
        for terms in children.values():
            terms.sort(key=lambda t: t.name)

        def tree(term):
            return {"term": term, "children": [tree(c) for c in children.get(term.pk, [])]}

        context |= {"step": 1, "regions": [tree(t) for t in children.get(None, [])]}
    elif sector is None:
        context |= {
            "step": 2,
            "sectors": sorted(vocab.sectors.values(), key=lambda t: t.name),
            "base": {"region": region.slug},
        }
    else:
        chosen = {"region": region.slug}
        if sector != ANY:
            chosen["sector"] = sector.slug
        programmes = reverse("programmes:programme_list")
        services = reverse("programmes:service_list")

        def links(help_slug=None):
            extra = {"help": help_slug} if help_slug else {}
            return {
                "programmes": f"{programmes}?{urlencode({**chosen, **extra, 'sort': 'fit'})}",
                # Services are not filed under sectors.
                "services": f"{services}?"
                + urlencode({"region": region.slug, **extra, "sort": "fit"}),
            }

        context |= {
            "step": 3,
            "helps": [
                {"term": term, **links(term.slug)}
                for term in sorted(vocab.categories.values(), key=lambda t: t.name)
            ],
            "anything": links(),
            "back": f"?{urlencode({'region': region.slug})}",
        }
    return render(request, "programmes/start.html", context)
