import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tablib import Dataset

from directory.models import PublicationStatus
from programmes.models import Event, Programme, ProgrammeOrganisation
from programmes.resources import EventResource, ProgrammeResource

IMPORT_URL = reverse("admin:programmes_programme_import")
PROCESS_URL = reverse("admin:programmes_programme_process_import")

# going-global cites a quote found in its article, so it may be published;
# gba-fund is new, with no source yet, so it comes in as a draft.
GOOD_CSV = (
    "slug,name,kind,organisations,regions,status\n"
    "gba-fund,GBA Start-up Fund,fund,hkpc:lead,shenzhen,draft\n"
    "going-global,Going Global Service Centre,service_centre,hkpc:lead,shenzhen,published\n"
)
BAD_CSV = GOOD_CSV + "broken,Broken row,no-such-kind,hkpc:lead,shenzhen,draft\n"


def upload(text):
    return SimpleUploadedFile("programmes.csv", text.encode(), content_type="text/csv")


def dry_run(client, text):
    return client.post(IMPORT_URL, {"format": "0", "import_file": upload(text)})


def confirm(client, response):
    return client.post(PROCESS_URL, response.context["confirm_form"].initial)


def preview(client, user, text):
    """(the preview page, its result) of importing `text` as `user`."""
    client.force_login(user)
    response = dry_run(client, text)
    assert response.status_code == 200
    return response, response.context["result"]


def test_a_dry_run_previews_each_row_and_writes_nothing(client, publisher, records):
    before = Programme.history.count()
    response, result = preview(client, publisher, GOOD_CSV)
    assert [row.import_type for row in result.rows] == ["new", "update"]
    assert not Programme.objects.filter(slug="gba-fund").exists()
    assert Programme.history.count() == before


def test_a_file_with_one_bad_row_writes_nothing(client, publisher, records):
    client.force_login(publisher)
    response = dry_run(client, BAD_CSV)
    html = response.content.decode()
    assert "no-such-kind" in html
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not Programme.objects.filter(slug="gba-fund").exists()

    # Even straight to the resource, past the preview, the good rows roll back.
    dataset = Dataset().load(BAD_CSV, format="csv")
    result = ProgrammeResource().import_data(dataset, dry_run=False, user=publisher)
    assert result.has_validation_errors()
    assert not Programme.objects.filter(slug="gba-fund").exists()


def test_an_unknown_slug_is_an_error_not_a_silent_gap(publisher, records):
    dataset = Dataset().load(
        "slug,name,kind,regions\nnew-fund,New fund,fund,shenzhen|atlantis\n", format="csv"
    )
    result = ProgrammeResource().import_data(dataset, dry_run=False, user=publisher)
    assert result.has_errors() or result.has_validation_errors()
    assert not Programme.objects.filter(slug="new-fund").exists()


def test_a_good_import_creates_rows_with_history(client, publisher, records):
    client.force_login(publisher)
    response = confirm(client, dry_run(client, GOOD_CSV))
    assert response.status_code == 302
    fund = Programme.objects.get(slug="gba-fund")
    assert fund.status == PublicationStatus.DRAFT
    assert Programme.objects.get(slug="going-global").status == PublicationStatus.PUBLISHED
    assert list(fund.regions.values_list("slug", flat=True)) == ["shenzhen"]
    assert ProgrammeOrganisation.objects.get(programme=fund).organisation.slug == "hkpc"
    created = fund.history.earliest()
    assert created.history_user == publisher
    assert created.history_change_reason == "Imported from a file"
    # Searchable at once, partner included.
    assert "hkpc" in Programme.objects.get(pk=fund.pk).search_document


def test_an_editor_import_lands_as_draft_and_cannot_change_status(client, editor, records):
    client.force_login(editor)
    records["programme"].status = PublicationStatus.IN_REVIEW
    records["programme"].save()
    response = confirm(client, dry_run(client, GOOD_CSV))
    assert response.status_code == 302
    assert Programme.objects.get(slug="gba-fund").status == PublicationStatus.DRAFT
    assert Programme.objects.get(slug="going-global").status == PublicationStatus.IN_REVIEW


def test_it_imports_events_with_their_end_after_their_start(publisher, records):
    dataset = Dataset().load(
        "slug,name,kind,start_date,end_date\nbackwards,Backwards,forum,2025-05-02,2025-05-01\n",
        format="csv",
    )
    result = EventResource().import_data(dataset, dry_run=False, user=publisher)
    assert result.has_validation_errors()
    assert not Event.objects.filter(slug="backwards").exists()


def test_it_exports_the_filtered_changelist_to_csv_and_xlsx(client, editor, records):
    Programme.objects.create(name="Other fund", slug="other-fund", kind="fund")
    client.force_login(editor)
    export_url = reverse("admin:programmes_programme_export")
    fields = [f"programmeresource_{name}" for name in ProgrammeResource._meta.fields]

    response = client.post(
        export_url + "?kind__exact=service_centre", {"format": "0", **dict.fromkeys(fields, "on")}
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "going-global" in text and "hkpc:lead" in text
    assert "other-fund" not in text

    response = client.post(export_url, {"format": "1", **dict.fromkeys(fields, "on")})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    slugs = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert slugs == {"going-global", "other-fund"}


DUPLICATE_CSV = (
    "slug,name,kind,organisations,regions,status\n"
    "gba-fund,GBA Start-up Fund,fund,hkpc:lead,shenzhen,draft\n"
    "other-fund,Another fund,fund,hkpc:lead,shenzhen,draft\n"
    "gba-fund,GBA Start-up Fund (second row),fund,hkpc:lead,shenzhen,draft\n"
)


def test_two_rows_with_one_slug_are_an_error_and_write_nothing(client, publisher, records):
    before = Programme.history.count()
    response, result = preview(client, publisher, DUPLICATE_CSV)
    assert result.has_validation_errors() or result.has_errors()
    assert "is also on row 1 of this file" in response.content.decode()
    assert response.context.get("confirm_form") is None
    assert not Programme.objects.filter(slug__in=["gba-fund", "other-fund"]).exists()
    # Straight to the resource, past the preview, nothing is written either.
    dataset = Dataset().load(DUPLICATE_CSV, format="csv")
    result = ProgrammeResource().import_data(dataset, dry_run=False, user=publisher)
    assert result.has_validation_errors() or result.has_errors()
    assert not Programme.objects.filter(slug__in=["gba-fund", "other-fund"]).exists()
    assert Programme.history.count() == before
