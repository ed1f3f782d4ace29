"""The spreadsheet formats of every admin import and export.

A cell that starts with "=", "+", "-", "@", a tab or a carriage return is
run as a formula by Excel, LibreOffice and Google Sheets when the file is
opened (CSV injection: `=HYPERLINK(...)` in a programme's name). With
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT, django-import-export only drops a
leading "=" (and turns every cell, empty ones too, into text); these formats
prefix such a cell with an apostrophe instead, as OWASP recommends, which
every spreadsheet shows as text and which keeps the value readable. Applies
to CSV and XLSX alike.
"""

from import_export.formats import base_formats

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class EscapingFormat:
    def _escape_formulae(self, dataset):
        for index, row in enumerate(dataset):
            dataset[index] = [escape_formula(cell) for cell in row]

    def export_data(self, dataset, **kwargs):
        # Whatever the setting says (the library escapes only when it is on).
        self._escape_formulae(dataset)
        return super().export_data(dataset, **kwargs)


class CSV(EscapingFormat, base_formats.CSV):
    pass


class XLSX(EscapingFormat, base_formats.XLSX):
    pass
