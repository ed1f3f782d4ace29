"""The admin stays usable however many records the directory holds: forms
pick related records by search instead of listing them all, and a changelist
runs the same few queries for five records as for fifty, whatever its search,
filter, sort or page."""

import re
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from directory.admin.filters import OrganisationFilter
from directory.admin.paginator import KEYS_FIRST_FROM
from directory.models import Organisation, Region, Sector, StaffConfirmation
from directory.search import refresh_search_index
from programmes.models import Event, Programme, Service
from tests.support.admin import admin_url, an_enquiry, many_rows

LONGEST_SELECT = 100
MAX_QUERIES = 10
SELECT = re.compile(r"<select\b[^>]*>.*?</select>", re.S)
SELECT_NAME = re.compile(r'<select\b[^>]*name="([^"]*)"')

SEARCHABLE = [Organisation, Programme, Service, Event]


@pytest.fixture
def signed_in(client, superuser):
    client.force_login(superuser)
    return client


def select_sizes(html):
    """{select name: option count} of a page."""
    sizes = {}
    for match in SELECT.finditer(html):
        name = SELECT_NAME.search(match.group(0))
        key = name.group(1) if name else "(unnamed)"
        sizes[key] = max(sizes.get(key, 0), match.group(0).count("<option"))
    return sizes


def one_of_each_other_model():
    """A record for the registered models `records` does not make."""
    Group.objects.get_or_create(name="Reviewers")
    access = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "someone",
              "http_accept": "*/*", "path_info": "/admin/login/"}  # fmt: skip
    AccessAttempt.objects.create(**access, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**access)
    AccessFailureLog.objects.create(**access)
    organisation = Organisation.objects.order_by("pk").first()
    an_enquiry(organisation)
    StaffConfirmation.objects.create(
        record=organisation,
        confirmed_by=User.objects.order_by("pk").first(),
        confirmed_with="Its press office",
    )


def form_urls():
    """The add and change form of every registered model, with its inlines."""
    urls = []
    for model in admin.site._registry:
        urls.append(admin_url(model, "add"))
        record = model.objects.order_by("pk").first()
        urls.append(admin_url(model, "change", record.pk))
    return urls


def more_rows_everywhere(n):
    many_rows(n)
    User.objects.bulk_create(User(username=f"bulk-user-{i}") for i in range(n))


def test_no_form_lists_every_row_of_a_related_table(signed_in, records):
    one_of_each_other_model()
    urls = form_urls()
    before = {url: select_sizes(signed_in.get(url).content.decode()) for url in urls}
    more_rows_everywhere(LONGEST_SELECT + 50)
    for url in urls:
        response = signed_in.get(url)
        assert response.status_code in (200, 403), url
        for name, options in select_sizes(response.content.decode()).items():
            # A list fixed by the code (permissions, choices) may be long;
            # one that grows with the records may not.
            grew = options > before[url].get(name, 0)
            assert not (grew and options > LONGEST_SELECT), (
                f"{url}: <select name={name}> lists {options} options"
            )


def bulk_records(n):
    """n records of each kind, indexed for search as the admin indexes them."""
    many_rows(n, prefix=f"scale{n}")
    for model in SEARCHABLE:
        refresh_search_index(model.objects.filter(name__startswith=f"scale{n}"))


def changelist_variants(model, user):
    """Query strings of the changelist: searches, one choice of each filter,
    and each sortable column both ways."""
    request = RequestFactory().get(admin_url(model, "changelist"))
    request.user = user
    changelist = admin.site._registry[model].get_changelist_instance(request)
    variants = ["", "?" + urlencode({"q": "1"}), "?" + urlencode({"q": "O1"})]
    for spec in changelist.filter_specs:
        if isinstance(spec, OrganisationFilter):
            variants.append(f"?{spec.parameter_name}=O1")
        else:
            choices = [c for c in spec.choices(changelist) if not c["selected"]]
            variants += [c["query_string"] for c in choices[:1]]
    for index, name in enumerate(changelist.list_display):
        if changelist.get_ordering_field(name) and name in changelist.sortable_by:
            variants += [f"?o={index}", f"?o=-{index}"]
    return variants


def query_counts(client, model, variants):
    base = admin_url(model, "changelist")
    client.get(base)  # content types cached, as on a running site
    counts = {}
    for variant in variants:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(base + variant)
        assert response.status_code == 200, base + variant
        counts[variant] = len(captured)
    return counts


CHANGELIST_MODELS = [
    m for m in admin.site._registry if m._meta.app_label in ("directory", "programmes")
]


@pytest.mark.parametrize("model", CHANGELIST_MODELS, ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_records(signed_in, superuser, records, model):
    bulk_records(5)
    variants = changelist_variants(model, superuser)
    assert len(variants) > 4
    few = query_counts(signed_in, model, variants)
    bulk_records(50)
    many = query_counts(signed_in, model, variants)
    assert many == few
    assert max(many.values()) <= MAX_QUERIES, many


@pytest.mark.parametrize("model", SEARCHABLE, ids=lambda m: m.__name__)
def test_a_second_page_runs_as_few_queries(signed_in, records, model):
    bulk_records(60)
    url = admin_url(model, "changelist")
    signed_in.get(url, {"p": 2})
    with CaptureQueriesContext(connection) as captured:
        response = signed_in.get(url, {"p": 2})
    assert response.status_code == 200
    assert 'class="action-select"' in response.content.decode()
    assert len(captured) <= MAX_QUERIES


def listed_pks(client, model, **params):
    """The records a changelist page links to, in order."""
    html = client.get(admin_url(model, "changelist"), params).content.decode()
    link = re.escape(admin_url(model, "change", 0)).replace("/0/", r"/(\d+)/")
    return [int(pk) for pk in re.findall(f'href="{link}', html)]


def test_reversing_a_sort_reverses_the_list_even_among_equal_names(signed_in, db):
    Programme.objects.bulk_create(
        Programme(name=f"Same name {i // 3}", slug=f"same-{i}", kind="fund") for i in range(12)
    )
    ascending = listed_pks(signed_in, Programme, o="1")
    descending = listed_pks(signed_in, Programme, o="-1")
    assert len(ascending) == 12
    assert descending == ascending[::-1]


def test_a_deep_page_lists_the_same_records_as_counting_through_them(signed_in, db):
    count = KEYS_FIRST_FROM + 120
    Sector.objects.bulk_create(
        Sector(name=f"Sector {i % 400:03}", slug=f"sector-{i}") for i in range(count)
    )
    expected = list(Sector.objects.order_by("name", "pk").values_list("pk", flat=True))
    page = KEYS_FIRST_FROM // 50 + 2
    shown = listed_pks(signed_in, Sector, p=page)
    assert shown == expected[(page - 1) * 50 : page * 50]


def test_a_column_that_does_not_sort_ignores_a_hand_made_sort(signed_in, records):
    # Sorting services by provider would sort every service by a joined name.
    many_rows(5)
    assert listed_pks(signed_in, Service, o="-2") == listed_pks(signed_in, Service)


def test_search_finds_a_record_by_its_slug_and_its_region_filter_still_applies(
    signed_in,
    records,
):
    refresh_search_index([records["programme"]])
    url = admin_url(Programme, "changelist")
    assert (
        "Going Global Service Centre" in signed_in.get(url, {"q": "going-global"}).content.decode()
    )
    other = Region.objects.create(name="Macao", slug="macao", kind="sar")
    html = signed_in.get(url, {"q": "going-global", "region": other.slug}).content.decode()
    assert "Going Global Service Centre" not in html


def test_the_event_list_offers_each_year_and_narrows_to_the_chosen_one(signed_in, records):
    many_rows(3)  # forum events on 1-3 January 2024; the expo is in 2025
    url = admin_url(Event, "changelist")
    html = signed_in.get(url).content.decode()
    assert "?start_date__year=2024" in html and "?start_date__year=2025" in html
    in_2024 = signed_in.get(url, {"start_date__year": "2024"}).content.decode()
    assert "bulk event 0" in in_2024 and "Innovation Expo" not in in_2024
    assert "?start_date__month=1&amp;start_date__year=2024" in in_2024
