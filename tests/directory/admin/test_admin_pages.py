import datetime

import pytest
from django.urls import reverse

from directory.models import Citation, Organisation, Region, Sector, ServiceCategory, SourceArticle
from programmes.models import Event, Programme, Service
from tests.support.admin import largest_select, many_rows, post_data

MODELS = [
    Region,
    Sector,
    ServiceCategory,
    SourceArticle,
    Citation,
    Organisation,
    Programme,
    Service,
    Event,
]
RECORD_KEYS = {
    Region: "region",
    Sector: "sector",
    ServiceCategory: "category",
    SourceArticle: "article",
    Organisation: "organisation",
    Programme: "programme",
    Service: "service",
    Event: "event",
}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def some_record(model, created):
    if model in RECORD_KEYS:
        return created[RECORD_KEYS[model]]
    return model.objects.first()


@pytest.fixture
def admin_client_(client, superuser):
    client.force_login(superuser)
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_it_loads_every_changelist_add_and_change_page(admin_client_, records, model):
    record = some_record(model, records)
    for url in [
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", record.pk),
        admin_url(model, "history", record.pk),
    ]:
        response = admin_client_.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_it_renders_no_long_select_with_hundreds_of_rows(admin_client_, records, model):
    many_rows(300)
    record = some_record(model, records)
    for url in [admin_url(model, "add"), admin_url(model, "change", record.pk)]:
        html = admin_client_.get(url).content.decode()
        name, options = largest_select(html)
        assert options <= 50, f"{url}: <select name={name}> has {options} options"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_it_lists_many_rows_in_a_few_queries(
    admin_client_,
    records,
    model,
    django_assert_max_num_queries,
):
    many_rows(300)
    url = admin_url(model, "changelist")
    admin_client_.get(url)  # warm the content-type cache, as a running site has
    with django_assert_max_num_queries(10) as captured:
        response = admin_client_.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="action-select"') == 50
    print(f"{model.__name__} changelist: {len(captured)} queries")


def test_it_filters_and_searches_the_programme_list_by_acronym(admin_client_, records):
    many_rows(30)
    url = admin_url(Programme, "changelist")
    by_search = admin_client_.get(url, {"q": "HKPC"}).content.decode()
    by_filter = admin_client_.get(url, {"organisation": "HKPC"}).content.decode()
    for html in (by_search, by_filter):
        assert "Going Global Service Centre" in html
        assert "bulk programme 1" not in html


def test_it_filters_by_a_province_including_its_cities(admin_client_, records):
    many_rows(5)
    html = admin_client_.get(admin_url(Programme, "changelist"), {"region": "guangdong"})
    html = html.content.decode()
    assert "Going Global Service Centre" in html
    assert "bulk programme 1" not in html


def test_it_offers_view_on_site_and_a_needs_review_link(admin_client_, records):
    programme = records["programme"]
    html = admin_client_.get(admin_url(Programme, "change", programme.pk)).content.decode()
    assert "View on site" in html
    index = admin_client_.get(reverse("admin:index")).content.decode()
    assert admin_url(Programme, "changelist") + "?needs_review=yes" in index


def test_it_shows_whether_each_quote_is_found(admin_client_, records):
    programme = records["programme"]
    html = admin_client_.get(admin_url(Programme, "change", programme.pk)).content.decode()
    assert "Quote found" in html and "✓" in html
    # A quote that no longer matches (the article was edited) shows a cross.
    Citation.objects.update(quote="Words the article never said")
    assert "✗" in admin_client_.get(admin_url(Citation, "changelist")).content.decode()


def test_it_rejects_an_event_that_ends_before_it_starts(admin_client_, records):
    event = records["event"]
    url = admin_url(Event, "change", event.pk)
    data = post_data(admin_client_.get(url), end_date="2025-04-01")
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "An event cannot end before it starts." in response.content.decode()
    event.refresh_from_db()
    assert event.end_date == datetime.date(2025, 4, 16)


def test_it_rejects_a_duplicate_slug(admin_client_, records):
    url = admin_url(Organisation, "add")
    data = post_data(admin_client_.get(url), name="Another", slug="hkpc", kind="company")
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "Organisation with this Slug already exists." in response.content.decode()
    assert Organisation.objects.filter(slug="hkpc").count() == 1


def post_citation(client, record, row, article, quote):
    """Saves `record`'s change form with a citation of `quote` in row `row`
    (numbered from 0) of its citations."""
    url = admin_url(type(record), "change", record.pk)
    prefix = "directory-citation-content_type-object_id"
    data = post_data(client.get(url))
    data[f"{prefix}-TOTAL_FORMS"] = str(row + 1)
    data[f"{prefix}-{row}-article"] = str(article.pk)
    data[f"{prefix}-{row}-quote"] = quote
    return client.post(url, data)


def test_it_rejects_a_citation_whose_quote_is_not_in_the_article(admin_client_, records):
    programme = records["programme"]
    quote = "HKPC will open ten more centres"
    response = post_citation(admin_client_, programme, 1, records["article"], quote)
    assert response.status_code == 200
    assert "This quote does not occur in the article" in response.content.decode()
    assert programme.citations.count() == 1


def test_it_adds_a_citation_next_to_the_record(admin_client_, records):
    organisation = records["organisation"]
    quote = "The Hong Kong Productivity Council (HKPC) opened"
    response = post_citation(admin_client_, organisation, 0, records["article"], quote)
    assert response.status_code == 302
    assert organisation.citations.get().quote_found


def test_it_cleans_a_pasted_article_when_it_is_saved(admin_client_, db):
    url = admin_url(SourceArticle, "add")
    data = post_data(
        admin_client_.get(url),
        title="A seminar",
        slug="a-seminar",
        raw_text="  A   seminar   was held.\n\n\n\nShare this article\n",
    )
    assert admin_client_.post(url, data).status_code == 302
    article = SourceArticle.objects.get(slug="a-seminar")
    assert article.cleaned_text
    assert "   " not in article.cleaned_text
