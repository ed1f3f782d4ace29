"""Every CSV and XLSX export escapes cells a spreadsheet would run as formulae."""

import csv
import io

import openpyxl
import pytest
from django.contrib import admin
from django.test import RequestFactory
from import_export.admin import ExportMixin

from directory.admin.formats import escape_formula
from directory.models import Citation, SourceArticle
from programmes.models import Programme
from tests import factories as f

EVIL = '=HYPERLINK("https://evil.example","x")'

pytestmark = pytest.mark.django_db


def export_admins():
    return [a for a in admin.site._registry.values() if isinstance(a, ExportMixin)]


@pytest.fixture
def evil_records(db):
    source = f.article(text=f"The council said {EVIL} in public.", title=EVIL)
    programme = f.programme(EVIL)
    f.cite(programme, source, EVIL)
    return programme, source


def export(model, extension, user):
    """The export the admin offers for `model` in the format `extension`."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/admin/")
    request.user = user
    formats = model_admin.get_export_formats()
    (file_format,) = [f for f in formats if f().get_extension() == extension]
    return model_admin.get_export_data(
        file_format(), request, model_admin.get_export_queryset(request)
    )


def test_every_export_uses_the_escaping_formats():
    for model_admin in export_admins():
        for file_format in model_admin.get_export_formats():
            assert file_format.__module__ == "directory.admin.formats", (model_admin, file_format)


@pytest.mark.parametrize("model", [Programme, Citation, SourceArticle])
def test_a_formula_in_a_csv_export_is_text(evil_records, superuser, model):
    rows = list(csv.reader(io.StringIO(export(model, "csv", superuser))))
    cells = [cell for row in rows[1:] for cell in row if cell.lstrip("'").startswith("=HYP")]
    assert cells, rows
    for cell in cells:
        assert cell.startswith("'"), cell
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)


@pytest.mark.parametrize("model", [Programme, Citation, SourceArticle])
def test_a_formula_in_an_xlsx_export_is_not_a_formula(evil_records, superuser, model):
    book = openpyxl.load_workbook(io.BytesIO(export(model, "xlsx", superuser)))
    cells = [cell for row in book.active.iter_rows(min_row=2) for cell in row]
    evil = [cell for cell in cells if str(cell.value).lstrip("'").startswith("=HYP")]
    assert evil
    for cell in evil:
        assert cell.data_type == "s" and cell.value.startswith("'"), (cell.data_type, cell.value)
    assert not [cell for cell in cells if cell.data_type == "f"]


@pytest.mark.parametrize(
    "value, escaped",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("HKPC", "HKPC"),
        (None, None),
        (3, 3),
    ],
)
def test_the_escape(value, escaped):
    assert escape_formula(value) == escaped
