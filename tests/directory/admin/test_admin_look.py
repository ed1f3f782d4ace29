"""What staff see of the admin before they do anything: the directory's own
name, a review queue with counts, changelists whose filters and columns say
different things, statuses as labels, and labelled inline inputs."""

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import Organisation, PublicationStatus
from programmes.models import Programme
from tests.support.admin import admin_url, many_rows

Status = PublicationStatus

DIRECTORY_MODELS = [
    m for m in admin.site._registry if m._meta.app_label in ("directory", "programmes")
]


@pytest.fixture
def signed_in(client, superuser):
    client.force_login(superuser)
    return client


@pytest.mark.parametrize(
    "prefix, header, title",
    [
        ("", "Cross-border innovation directory", "Cross-border directory admin"),
        ("/zh-hans", "跨境创新名录", "跨境名录管理后台"),
        ("/zh-hant", "跨境創新名錄", "跨境名錄管理後台"),
    ],
)
def test_it_heads_every_admin_page_with_the_directorys_name(signed_in, prefix, header, title):
    for path in ["/admin/", "/admin/programmes/programme/", "/admin/programmes/programme/add/"]:
        html = signed_in.get(prefix + path).content.decode()
        site_name = re.search(r'<div id="site-name">(.*?)</div>', html, re.S).group(1)
        assert header in site_name, path
        assert re.search(rf"<title>[^<]*\| {title}</title>", html), path
        assert "Django" not in html, path


def test_the_sign_in_page_is_the_directorys_too(client, db):
    html = client.get("/admin/login/").content.decode()
    assert "Cross-border innovation directory" in html
    assert "Django" not in html


def filter_titles(response):
    return [str(spec.title) for spec in response.context["cl"].filter_specs]


def column_headers(response):
    headers = re.findall(
        r'<th scope="col"[^>]*>.*?<div class="text">(.*?)</div>', response.content.decode(), re.S
    )
    return [re.sub(r"<[^>]+>", "", header).strip() for header in headers]


@pytest.mark.parametrize("model", DIRECTORY_MODELS, ids=lambda m: m.__name__)
def test_no_two_filters_or_columns_of_a_changelist_share_a_title(signed_in, records, model):
    response = signed_in.get(admin_url(model, "changelist"))
    titles = filter_titles(response)
    assert len(titles) == len(set(titles)), titles
    headers = [header for header in column_headers(response) if header]
    assert len(headers) == len(set(headers)), headers


def test_the_programme_list_tells_publication_from_lifecycle_status(signed_in, records):
    response = signed_in.get(admin_url(Programme, "changelist"))
    titles = filter_titles(response)
    assert "publication status" in titles and "lifecycle status" in titles
    assert "status" not in titles
    headers = column_headers(response)
    assert "Publication status" in headers and "Lifecycle status" in headers


def test_it_shows_the_publication_status_as_a_labelled_badge(signed_in, records):
    programme = records["programme"]
    programme.status = Status.IN_REVIEW
    programme.save()
    html = signed_in.get(admin_url(Programme, "changelist")).content.decode()
    assert '<span class="status-label status-in_review">In review</span>' in html
    html = signed_in.get(admin_url(Organisation, "changelist")).content.decode()
    assert '<span class="status-label status-published">Published</span>' in html


def test_the_programme_list_keeps_to_seven_columns(signed_in, records):
    # Name, organisations, kind, lifecycle, publication status, last verified,
    # updated, plus the translations column: what fits 1280 px beside the filters.
    headers = [h for h in column_headers(signed_in.get(admin_url(Programme, "changelist"))) if h]
    assert headers == [
        "Name",
        "Organisations",
        "Kind",
        "Lifecycle status",
        "Publication status",
        "Last verified",
        "Updated",
        "Translations",
    ]


def queue_row(html, label):
    section = re.search(r'<section class="module review-queue".*?</section>', html, re.S).group(0)
    row = re.search(rf"<th scope=\"row\">{label}</th>(.*?)</tr>", section, re.S).group(1)
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', row)


def test_the_index_counts_what_waits_in_the_review_queue(signed_in, records):
    many_rows(3)
    Programme.objects.filter(slug__startswith="bulk").update(status=Status.IN_REVIEW)
    Organisation.objects.filter(slug__startswith="bulk").update(status=Status.PUBLISHED)
    html = signed_in.get(reverse("admin:index")).content.decode()

    (in_review_url, in_review), (due_url, due) = queue_row(html, "Programmes")
    assert in_review == "3" and due == "0"
    assert in_review_url == admin_url(Programme, "changelist") + "?status__exact=in_review"
    assert due_url == admin_url(Programme, "changelist") + "?needs_review=yes"
    # Never verified, so every published organisation is due: HKPC and three more.
    (_url, in_review), (_url, due) = queue_row(html, "Organisations")
    assert in_review == "0" and due == "4"

    # Each link lists exactly the records it counted.
    listed = signed_in.get(in_review_url).context["cl"].result_list
    assert {p.slug for p in listed} == {f"bulk-programme-{i}" for i in range(3)}


def test_an_editor_sees_the_queue_too(client, editor, records):
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    for label in ("Organisations", "Programmes", "Services", "Events"):
        assert len(queue_row(html, label)) == 2, label


def index_queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("admin:index")).status_code == 200
    return len(captured)


def test_the_index_runs_the_same_queries_whatever_the_number_of_records(signed_in, records):
    signed_in.get(reverse("admin:index"))  # warm the content-type and session caches
    few = index_queries(signed_in)
    many_rows(60)
    Programme.objects.update(status=Status.IN_REVIEW)
    many = index_queries(signed_in)
    assert many == few
    # Two capped counts per kind of record, plus the session, user and recent actions.
    assert few <= 2 * 4 + 4, few


TEXT_INPUT = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.S)


def unlabelled_inputs(html):
    """Visible form fields of a page with neither a <label for> nor an aria-label."""
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    missing = []
    for tag, attrs in TEXT_INPUT.findall(html):
        if re.search(r'type="(hidden|submit|button)"', attrs) or "__prefix__" in attrs:
            continue
        field_id = re.search(r'\bid="([^"]+)"', attrs)
        if "aria-label=" in attrs or (field_id and field_id.group(1) in labelled):
            continue
        missing.append(f"<{tag}{attrs[:80]}>")
    return missing


@pytest.mark.parametrize("model", [Organisation, Programme], ids=lambda m: m.__name__)
def test_every_input_of_a_form_and_its_inlines_has_a_label(signed_in, records, model):
    record = records[model._meta.model_name]
    html = signed_in.get(admin_url(model, "change", record.pk)).content.decode()
    assert 'name="organisation_roles-0-role"' in html or model is Organisation
    missing = [
        field
        for field in unlabelled_inputs(html)
        # The changelist search and the admin's own action picker are not on forms.
        if "searchbar" not in field
    ]
    assert missing == []
